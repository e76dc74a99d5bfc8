/*
 * The ISO/IEC 7816-3 character frame on an ESP32 UART, for the contact slot (hal/esp32/contact-slot.ts).
 *
 * Moddable's ECMA-419 Serial on the ESP32 is 8N1 only; a card needs what this module adds:
 * - even parity and two stop bits: 1 start + 8 data + 1 parity + guard time = 12 etu a character
 *   (ISO/IEC 7816-3:2006, 7.1 and 7.2), and the extra guard time N of TC1 (12 + N etu between the
 *   leading edges of two characters the terminal sends, 7.2; 11 etu for N = 255 under T=1, 11.2);
 * - the turnaround: at least 16 etu (T=0, 10.2) or BGT = 22 etu (T=1, 11.4.3) between the leading
 *   edge of the last character received and the first one sent;
 * - the inverse convention (8.1): data bits complemented and most significant bit first, which is
 *   the direct-convention frame with the byte reversed and complemented, and odd parity on the line;
 * - T=0 character repetition (7.3): the card that received a character with a parity error pulls
 *   I/O low in the guard time; the terminal sees its own echo end with a framing error and repeats
 *   the character, at most `repeats` times (EMV Book 1, 9.2.3: 3), after which it gives up.
 *
 * The board wires the UART's TXD (open drain) and RXD to the TDA8035's I/OUC line, so every
 * character sent comes back on RXD: the echo proves the line is free and carries the card's error
 * signal. Received characters with a parity error are counted, not signalled back (the UART cannot
 * pull I/O low inside the guard time); the kernel's T=0 and T=1 engines treat them as errors.
 *
 * Every wait is bounded by a timeout the caller gives in etu; nothing here waits forever.
 */

#include "xsmc.h"
#include "xsHost.h"
#include "mc.xs.h"

#include "driver/uart.h"
#include "driver/gpio.h"
#include "esp_timer.h"
#include "esp_rom_sys.h"
#include "freertos/FreeRTOS.h"
#include "freertos/queue.h"

/* ISO/IEC 7816-3:2006, 7.1: the ATR runs at Fi = 372, Di = 1. */
#define kAtrFi 372
#define kAtrDi 1
/* The longest character: 12 etu on the line; the UART hands it over about 10.5 etu after its leading edge. */
#define kCharEtu 12
#define kHandOverEtu 10
/* Scheduling margin for a character the UART driver hands over through its ring buffer, us. */
#define kMarginUs 2000

enum {
	kErrorParity = 1,
	kErrorFrame = 2,
};

typedef struct {
	uart_port_t port;
	QueueHandle_t events;
	uint32_t clockHz;
	uint32_t etuNs;
	uint16_t charEtu;
	uint16_t turnaroundEtu;
	uint8_t repeats;
	uint8_t inverse;
	uint8_t lastWasReceive;
	uint8_t lineFault;
	int64_t lastEdgeUs;
	uint32_t parityErrors;
} ISO7816Record, *ISO7816;

static int64_t etuUs(ISO7816 u, uint32_t etu)
{
	return ((int64_t)etu * u->etuNs + 999) / 1000;
}

/* Inverse convention: complement and reverse the byte (an involution: the same function both ways). */
static uint8_t convert(ISO7816 u, uint8_t b)
{
	if (!u->inverse)
		return b;
	uint8_t r = 0;
	for (int i = 0; i < 8; i++)
		if (b & (1 << i))
			r |= 0x80 >> i;
	return (uint8_t)~r;
}

static void waitUntil(int64_t when)
{
	for (;;) {
		int64_t now = esp_timer_get_time();
		if (now >= when)
			return;
		int64_t left = when - now;
		if (left > 2000) {
			TickType_t ticks = pdMS_TO_TICKS((left / 1000) - 1);
			vTaskDelay(ticks ? ticks : 1);
		}
		else
			esp_rom_delay_us((uint32_t)left);
	}
}

/* Reads the UART driver's events since the last call: the errors they report. */
static int drainErrors(ISO7816 u)
{
	int errors = 0;
	uart_event_t event;
	while (pdTRUE == xQueueReceive(u->events, &event, 0)) {
		if (UART_PARITY_ERR == event.type)
			errors |= kErrorParity;
		else if (UART_FRAME_ERR == event.type)
			errors |= kErrorFrame;
		else if ((UART_FIFO_OVF == event.type) || (UART_BUFFER_FULL == event.type)) {
			uart_flush_input(u->port);
			errors |= kErrorFrame;
		}
	}
	return errors;
}

/* One character from the line before `deadline` (us); 0 when none came. */
static int readByte(ISO7816 u, uint8_t *byte, int64_t deadline)
{
	int64_t left = deadline - esp_timer_get_time();
	TickType_t ticks = (left <= 0) ? 0 : (pdMS_TO_TICKS((left + 999) / 1000) + 1);
	return 1 == uart_read_bytes(u->port, byte, 1, ticks);
}

static void applySettings(ISO7816 u, uint32_t Fi, uint32_t Di)
{
	u->etuNs = (uint32_t)(((uint64_t)Fi * 1000000000ULL) / ((uint64_t)Di * u->clockHz));
	uart_set_baudrate(u->port, (uint32_t)(((uint64_t)u->clockHz * Di) / Fi));
	uart_set_parity(u->port, u->inverse ? UART_PARITY_ODD : UART_PARITY_EVEN);
}

static int requiredInteger(xsMachine *the, xsIdentifier id, const char *name, int min, int max)
{
	if (!xsmcHas(xsArg(0), id))
		xsRangeError("%s required", name);
	xsmcGet(xsVar(0), xsArg(0), id);
	int value = xsmcToInteger(xsVar(0));
	if ((value < min) || (value > max))
		xsRangeError("invalid %s", name);
	return value;
}

static ISO7816 getRecord(xsMachine *the)
{
	ISO7816 u = xsmcGetHostData(xsThis);
	if (!u)
		xsUnknownError("closed");
	return u;
}

static void release(ISO7816 u)
{
	uart_driver_delete(u->port);
	c_free(u);
}

void xs_iso7816uart_destructor(void *data)
{
	if (data)
		release((ISO7816)data);
}

/* new ISO7816UART({ port, transmit, receive, clockHz }) */
void xs_iso7816uart_constructor(xsMachine *the)
{
	xsmcVars(1);
	int port = requiredInteger(the, xsID_port, "port", 1, UART_NUM_MAX - 1);
	int transmit = requiredInteger(the, xsID_transmit, "transmit", 0, GPIO_NUM_MAX - 1);
	int receive = requiredInteger(the, xsID_receive, "receive", 0, GPIO_NUM_MAX - 1);
	/* EMV Book 1, 4.3.3: the terminal clocks the card at 1 to 5 MHz. */
	int clockHz = requiredInteger(the, xsID_clockHz, "clockHz", 1000000, 5000000);

	uart_config_t config = {
		.baud_rate = clockHz / kAtrFi,
		.data_bits = UART_DATA_8_BITS,
		.parity = UART_PARITY_EVEN,
		.stop_bits = UART_STOP_BITS_2,
		.flow_ctrl = UART_HW_FLOWCTRL_DISABLE,
		.source_clk = UART_SCLK_DEFAULT,
	};
	QueueHandle_t events = NULL;
	if (ESP_OK != uart_driver_install(port, 512, 0, 16, &events, 0))
		xsUnknownError("uart unavailable");
	if ((ESP_OK != uart_param_config(port, &config)) ||
		(ESP_OK != uart_set_pin(port, transmit, receive, UART_PIN_NO_CHANGE, UART_PIN_NO_CHANGE)) ||
		(ESP_OK != gpio_od_enable(transmit)) ||
		(ESP_OK != uart_set_rx_full_threshold(port, 1)) ||
		(ESP_OK != uart_set_rx_timeout(port, 1))) {
		uart_driver_delete(port);
		xsUnknownError("uart configuration failed");
	}

	ISO7816 u = c_calloc(1, sizeof(ISO7816Record));
	if (!u) {
		uart_driver_delete(port);
		xsUnknownError("no memory");
	}
	u->port = port;
	u->events = events;
	u->clockHz = (uint32_t)clockHz;
	u->charEtu = kCharEtu;
	u->turnaroundEtu = 16;
	u->lastEdgeUs = -1;
	applySettings(u, kAtrFi, kAtrDi);
	xsmcSetHostData(xsThis, u);
}

void xs_iso7816uart_close(xsMachine *the)
{
	ISO7816 u = xsmcGetHostData(xsThis);
	if (u) {
		release(u);
		xsmcSetHostData(xsThis, NULL);
	}
}

/* configure(Fi, Di, charEtu, turnaroundEtu, repeats, inverse): takes effect for the next character. */
void xs_iso7816uart_configure(xsMachine *the)
{
	ISO7816 u = getRecord(the);
	int Fi = xsmcToInteger(xsArg(0));
	int Di = xsmcToInteger(xsArg(1));
	int charEtu = xsmcToInteger(xsArg(2));
	int turnaroundEtu = xsmcToInteger(xsArg(3));
	int repeats = xsmcToInteger(xsArg(4));
	/* ISO/IEC 7816-3:2006, Tables 7 and 8: Fi 372 to 2048, Di 1 to 64. */
	if ((Fi < 372) || (Fi > 2048) || (Di < 1) || (Di > 64) || ((uint64_t)u->clockHz * Di < (uint64_t)Fi * 1200))
		xsRangeError("invalid Fi/Di");
	if ((charEtu < 11) || (charEtu > 267) || (turnaroundEtu < 0) || (turnaroundEtu > 1000) || (repeats < 0) || (repeats > 7))
		xsRangeError("invalid timing");
	u->charEtu = (uint16_t)charEtu;
	u->turnaroundEtu = (uint16_t)turnaroundEtu;
	u->repeats = (uint8_t)repeats;
	u->inverse = xsmcToBoolean(xsArg(5)) ? 1 : 0;
	applySettings(u, (uint32_t)Fi, (uint32_t)Di);
}

/* reset(): back to the ATR's settings and the direct convention, input flushed. */
void xs_iso7816uart_reset(xsMachine *the)
{
	ISO7816 u = getRecord(the);
	u->inverse = 0;
	u->charEtu = kCharEtu;
	u->turnaroundEtu = 16;
	u->repeats = 0;
	u->lineFault = 0;
	u->lastEdgeUs = -1;
	applySettings(u, kAtrFi, kAtrDi);
	uart_flush_input(u->port);
	drainErrors(u);
}

/* mark(): a timing reference on the line now (RST went high: the ATR's first character counts from here). */
void xs_iso7816uart_mark(xsMachine *the)
{
	ISO7816 u = getRecord(the);
	u->lastEdgeUs = esp_timer_get_time();
	u->lastWasReceive = 1;
}

/* transmit(buffer): sends every character; returns how many were sent before one was refused. */
void xs_iso7816uart_transmit(xsMachine *the)
{
	ISO7816 u = getRecord(the);
	void *data;
	xsUnsignedValue length, i;
	xsmcGetBufferReadable(xsArg(0), &data, &length);
	const uint8_t *bytes = data;
	u->lineFault = 0;
	for (i = 0; i < length; i++) {
		uint8_t raw = convert(u, bytes[i]);
		int64_t earliest = esp_timer_get_time();
		if (u->lastEdgeUs >= 0) {
			int64_t after = u->lastEdgeUs + etuUs(u, u->lastWasReceive ? u->turnaroundEtu : u->charEtu);
			if (after > earliest)
				earliest = after;
		}
		for (int tries = 0;; tries++) {
			waitUntil(earliest);
			uart_flush_input(u->port);
			drainErrors(u);
			int64_t start = esp_timer_get_time();
			uart_write_bytes(u->port, (const char *)&raw, 1);
			uint8_t echo;
			int echoed = readByte(u, &echo, start + etuUs(u, kCharEtu + 1) + kMarginUs);
			int errors = drainErrors(u);
			u->lastEdgeUs = start;
			u->lastWasReceive = 0;
			if (!echoed || (echo != raw && !errors)) {
				/* The line did not carry the character back: held low, or no card powered on it. */
				u->lineFault = 1;
				xsmcSetInteger(xsResult, (xsIntegerValue)i);
				return;
			}
			if (!errors || !u->repeats)
				break;
			/* ISO/IEC 7816-3:2006, 7.3: the card signalled a parity error; repeat at most `repeats` times. */
			if (tries >= u->repeats) {
				xsmcSetInteger(xsResult, (xsIntegerValue)i);
				return;
			}
			/* The repetition starts at least 2 etu after the error signal (10.5 + 2 etu), one character time on. */
			earliest = start + etuUs(u, u->charEtu + 2);
		}
	}
	xsmcSetInteger(xsResult, (xsIntegerValue)length);
}

/* receive(buffer, count, timeoutEtu): each character within timeoutEtu of the previous leading edge. */
void xs_iso7816uart_receive(xsMachine *the)
{
	ISO7816 u = getRecord(the);
	void *data;
	xsUnsignedValue size, i;
	xsmcGetBufferWritable(xsArg(0), &data, &size);
	int count = xsmcToInteger(xsArg(1));
	int timeoutEtu = xsmcToInteger(xsArg(2));
	if ((count < 0) || ((xsUnsignedValue)count > size) || (timeoutEtu < 1))
		xsRangeError("invalid receive");
	uint8_t *bytes = data;
	u->parityErrors = 0;
	for (i = 0; i < (xsUnsignedValue)count; i++) {
		int64_t base = (u->lastEdgeUs >= 0) ? u->lastEdgeUs : esp_timer_get_time();
		int64_t deadline = base + etuUs(u, (uint32_t)timeoutEtu + kCharEtu) + kMarginUs;
		uint8_t raw;
		if (!readByte(u, &raw, deadline))
			break;
		/* The character's leading edge was no later than this (conservative for the turnaround). */
		u->lastEdgeUs = esp_timer_get_time() - etuUs(u, kHandOverEtu);
		u->lastWasReceive = 1;
		if (drainErrors(u) & kErrorParity)
			u->parityErrors++;
		bytes[i] = convert(u, raw);
	}
	xsmcSetInteger(xsResult, (xsIntegerValue)i);
}

void xs_iso7816uart_get_parityErrors(xsMachine *the)
{
	xsmcSetInteger(xsResult, (xsIntegerValue)getRecord(the)->parityErrors);
}

void xs_iso7816uart_get_lineFault(xsMachine *the)
{
	xsmcSetBoolean(xsResult, getRecord(the)->lineFault);
}
