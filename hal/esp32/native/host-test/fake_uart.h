/* The fake ESP32 UART and the card on its line (fake_uart.c), as the ISO 7816 host test drives them. */
#ifndef FAKE_UART_H
#define FAKE_UART_H
#include <stdint.h>
#include "driver/uart.h"

typedef struct {
	int installed;
	int port;
	int baud;
	uart_config_t config;
	uart_parity_t parity;
	int tx;
	int rx;
	int openDrain;
	int rxFullThreshold;
	int rxTimeout;
} FakeUart;

typedef struct {
	uint8_t raw;
	int64_t at;     /* leading edge on the line, us */
	uint32_t baud;
	uart_parity_t parity;
} FakeWrite;

extern FakeUart fakeUart;
extern FakeWrite fakeWrites[64];
extern int fakeWriteCount;
/* The card pulls I/O low in the guard time of the next `n` characters the terminal sends. */
extern int fakeCardErrorSignals;
/* The line does not carry the terminal's characters back (held low, no card powered). */
extern int fakeLineDead;

void fakeUartReset(void);
/* The card sends `raw` with its leading edge at `at` us (a parity error on the line when `parityError`). */
void fakeCardSends(uint8_t raw, int64_t at, int parityError);
void fakeSetTime(int64_t us);
#endif
