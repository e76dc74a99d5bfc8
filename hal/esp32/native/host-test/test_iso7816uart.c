/* Host test of iso7816uart.c against the fake UART and card of fake_uart.c (ISO/IEC 7816-3:2006). */
#include <stdio.h>
#include <string.h>
#include "xsmc.h"
#include "fake.h"
#include "fake_uart.h"
#include "esp_timer.h"

void xs_iso7816uart_constructor(xsMachine *the);
void xs_iso7816uart_close(xsMachine *the);
void xs_iso7816uart_configure(xsMachine *the);
void xs_iso7816uart_reset(xsMachine *the);
void xs_iso7816uart_mark(xsMachine *the);
void xs_iso7816uart_transmit(xsMachine *the);
void xs_iso7816uart_receive(xsMachine *the);
void xs_iso7816uart_get_parityErrors(xsMachine *the);
void xs_iso7816uart_get_lineFault(xsMachine *the);

#define CLOCK_HZ 3571200   /* 3.5712 MHz: 9600 bit/s at Fi 372, Di 1 */
#define ETU_US (372.0 * 1e6 / CLOCK_HZ)

static xsMachine machine, *the = &machine;
static fakeObject self, options;

static void open(int port, int clockHz)
{
	fakeUartReset();
	fakeReset(the, &self);
	memset(&options, 0, sizeof(options));
	if (port >= 0) fakeSetInteger(&options, "port", port);
	fakeSetInteger(&options, "transmit", 17);
	fakeSetInteger(&options, "receive", 16);
	fakeSetInteger(&options, "clockHz", clockHz);
	fakeArgObject(the, 0, &options);
}

static void configure(int Fi, int Di, int charEtu, int turnaround, int repeats, int inverse)
{
	the->argc = 0;
	fakeArgInteger(the, 0, Fi);
	fakeArgInteger(the, 1, Di);
	fakeArgInteger(the, 2, charEtu);
	fakeArgInteger(the, 3, turnaround);
	fakeArgInteger(the, 4, repeats);
	fakeArgInteger(the, 5, inverse);
	CHECK(!THROWS(the, xs_iso7816uart_configure), "configure accepted");
}

static int transmit(const uint8_t *bytes, int n)
{
	static uint8_t buffer[64];
	memcpy(buffer, bytes, (size_t)n);
	the->argc = 0;
	fakeArgBuffer(the, 0, buffer, (uint32_t)n);
	CHECK(!THROWS(the, xs_iso7816uart_transmit), "transmit runs");
	return the->result.integer;
}

static int receive(uint8_t *buffer, int count, int timeoutEtu)
{
	the->argc = 0;
	fakeArgBuffer(the, 0, buffer, 64);
	fakeArgInteger(the, 1, count);
	fakeArgInteger(the, 2, timeoutEtu);
	CHECK(!THROWS(the, xs_iso7816uart_receive), "receive runs");
	return the->result.integer;
}

static int parityErrors(void)
{
	xs_iso7816uart_get_parityErrors(the);
	return the->result.integer;
}

static void test_frame(void)
{
	open(1, CLOCK_HZ);
	CHECK(!THROWS(the, xs_iso7816uart_constructor), "constructor accepts port 1, pins, 3.5712 MHz");
	/* ISO/IEC 7816-3:2006, 7.1 and 7.2: 8 data bits, even parity, guard time of 2 etu; 9600 bit/s at Fi/Di 372/1. */
	CHECK(fakeUart.config.data_bits == UART_DATA_8_BITS, "8 data bits");
	CHECK(fakeUart.parity == UART_PARITY_EVEN, "even parity");
	CHECK(fakeUart.config.stop_bits == UART_STOP_BITS_2, "2 stop bits: guard time 2 etu");
	CHECK(fakeUart.baud == 9600, "9600 bit/s during the ATR");
	CHECK(fakeUart.tx == 17 && fakeUart.rx == 16 && fakeUart.openDrain == 17, "TXD open drain on the I/O line, RXD on it too");
	CHECK(fakeUart.rxFullThreshold == 1 && fakeUart.rxTimeout == 1, "every character handed over at once");
	/* After the ATR: Fi 512, Di 8 (TA1 = 0x94 per EMV): 3.5712 MHz x 8 / 512 = 55800 bit/s. */
	configure(512, 8, 12, 16, 3, 0);
	CHECK(fakeUart.baud == 55800, "Fi 512 Di 8: 55800 bit/s");
	xs_iso7816uart_close(the);
	CHECK(!fakeUart.installed, "close releases the UART");
	CHECK(THROWS(the, xs_iso7816uart_transmit) && strstr(the->error, "closed"), "a closed line refuses to transmit");
}

static void test_refusals(void)
{
	open(0, CLOCK_HZ);
	CHECK(THROWS(the, xs_iso7816uart_constructor) && strstr(the->error, "invalid port"), "UART 0 (the console) is refused");
	open(-1, CLOCK_HZ);
	CHECK(THROWS(the, xs_iso7816uart_constructor) && strstr(the->error, "port required"), "a port is required");
	open(1, 8000000);
	CHECK(THROWS(the, xs_iso7816uart_constructor) && strstr(the->error, "invalid clockHz"), "EMV Book 1: the card clock is 1 to 5 MHz");
	open(1, CLOCK_HZ);
	xs_iso7816uart_constructor(the);
	the->argc = 0;
	fakeArgInteger(the, 0, 100); fakeArgInteger(the, 1, 1); fakeArgInteger(the, 2, 12); fakeArgInteger(the, 3, 16); fakeArgInteger(the, 4, 0); fakeArgInteger(the, 5, 0);
	CHECK(THROWS(the, xs_iso7816uart_configure) && strstr(the->error, "Fi/Di"), "Fi below 372 is refused");
	xs_iso7816uart_close(the);
}

static void test_guard_time(void)
{
	open(1, CLOCK_HZ);
	xs_iso7816uart_constructor(the);
	/* TC1 = 2: 12 + 2 = 14 etu between the leading edges of the terminal's characters (7.2). */
	configure(372, 1, 14, 16, 0, 0);
	const uint8_t header[5] = { 0x00, 0xA4, 0x04, 0x00, 0x0E };
	CHECK(transmit(header, 5) == 5, "all 5 characters sent");
	CHECK(fakeWriteCount == 5, "each written once");
	int spaced = 1;
	for (int i = 1; i < 5; i++)
		if (fakeWrites[i].at - fakeWrites[i - 1].at < (int64_t)(14 * ETU_US))
			spaced = 0;
	CHECK(spaced, "leading edges at least 14 etu apart");
	CHECK(fakeWrites[4].raw == 0x0E, "direct convention: the byte as is");
	xs_iso7816uart_close(the);
}

static void test_turnaround_and_receive(void)
{
	open(1, CLOCK_HZ);
	xs_iso7816uart_constructor(the);
	configure(372, 1, 12, 16, 3, 0);
	const uint8_t ins[1] = { 0xB2 };
	transmit(ins, 1);
	int64_t t = fakeWrites[0].at;
	/* The card answers with a procedure byte and two data bytes, 12 etu apart, the second with bad parity. */
	fakeCardSends(0xB2, t + (int64_t)(20 * ETU_US), 0);
	fakeCardSends(0x90, t + (int64_t)(32 * ETU_US), 1);
	fakeCardSends(0x00, t + (int64_t)(44 * ETU_US), 0);
	uint8_t got[8];
	CHECK(receive(got, 3, 9600) == 3, "three characters received");
	CHECK(got[0] == 0xB2 && got[1] == 0x90 && got[2] == 0x00, "in order, as sent");
	CHECK(parityErrors() == 1, "the bad one counted as a parity error");
	int64_t lastEdge = t + (int64_t)(44 * ETU_US);
	transmit(ins, 1);
	/* 10.2: at least 16 etu between the leading edge of the last character received and the next sent. */
	CHECK(fakeWrites[1].at - lastEdge >= (int64_t)(16 * ETU_US), "turnaround of 16 etu kept");
	/* Nothing comes: the receive ends after its timeout with what it has. */
	int64_t before = esp_timer_get_time();
	CHECK(receive(got, 2, 960) == 0, "a mute card: nothing received");
	int64_t waited = esp_timer_get_time() - before;
	CHECK(waited >= (int64_t)(960 * ETU_US) && waited <= (int64_t)((960 + 12) * ETU_US) + 5000, "the timeout counted in etu");
	xs_iso7816uart_close(the);
}

static void test_repetition(void)
{
	open(1, CLOCK_HZ);
	xs_iso7816uart_constructor(the);
	configure(372, 1, 12, 16, 3, 0);
	const uint8_t data[3] = { 0x11, 0x22, 0x33 };
	/* 7.3: the card signals an error on the first character twice; the terminal repeats it. */
	fakeCardErrorSignals = 2;
	CHECK(transmit(data, 3) == 3, "all sent after two repetitions");
	CHECK(fakeWriteCount == 5 && fakeWrites[0].raw == 0x11 && fakeWrites[1].raw == 0x11 && fakeWrites[2].raw == 0x11, "the first character went three times");
	CHECK(fakeWrites[1].at - fakeWrites[0].at >= (int64_t)(14 * ETU_US), "a repetition starts 2 etu after the error signal");
	/* EMV Book 1, 9.2.3: at most 3 repetitions; the fourth error rejects the character. */
	fakeWriteCount = 0;
	fakeCardErrorSignals = 4;
	CHECK(transmit(data, 3) == 0, "rejected at the first character");
	CHECK(fakeWriteCount == 4, "sent once and repeated three times, no more");
	/* T=1 does not repeat characters: repeats 0 ignores the line's error. */
	configure(372, 1, 11, 22, 0, 0);
	fakeWriteCount = 0;
	fakeCardErrorSignals = 1;
	CHECK(transmit(data, 3) == 3 && fakeWriteCount == 3, "T=1: no repetition");
	xs_iso7816uart_close(the);
}

static void test_inverse_convention(void)
{
	open(1, CLOCK_HZ);
	xs_iso7816uart_constructor(the);
	xs_iso7816uart_mark(the);
	/* 8.1: an inverse-convention card's TS, (Z)AZZAAAAAAZ, reads as 0x03 with a parity error in the direct convention. */
	fakeCardSends(0x03, esp_timer_get_time() + 500, 1);
	uint8_t got[4];
	CHECK(receive(got, 1, 108) == 1 && got[0] == 0x03 && parityErrors() == 1, "TS in the direct convention: 0x03, bad parity");
	configure(372, 1, 12, 16, 0, 1);
	CHECK(fakeUart.parity == UART_PARITY_ODD, "inverse convention: odd parity on the line");
	const uint8_t x[1] = { 0x3F };
	transmit(x, 1);
	CHECK(fakeWrites[0].raw == 0x03, "0x3F goes on the line complemented, MSB first: 0x03");
	fakeCardSends(0xF2, esp_timer_get_time() + (int64_t)(20 * ETU_US), 0);
	CHECK(receive(got, 1, 9600) == 1 && got[0] == 0xB0, "0xF2 on the line is 0xB0");
	the->argc = 0;
	xs_iso7816uart_reset(the);
	CHECK(fakeUart.parity == UART_PARITY_EVEN && fakeUart.baud == 9600, "reset: the ATR's settings, direct convention");
	xs_iso7816uart_close(the);
}

static void test_line_fault(void)
{
	open(1, CLOCK_HZ);
	xs_iso7816uart_constructor(the);
	fakeLineDead = 1;
	const uint8_t x[2] = { 0x00, 0xC0 };
	CHECK(transmit(x, 2) == 0, "nothing counts as sent on a dead line");
	xs_iso7816uart_get_lineFault(the);
	CHECK(the->result.integer == 1, "lineFault reported");
	xs_iso7816uart_close(the);
}

int main(void)
{
	test_frame();
	test_refusals();
	test_guard_time();
	test_turnaround_and_receive();
	test_repetition();
	test_inverse_convention();
	test_line_fault();
	return fakeSummary("iso7816uart");
}
