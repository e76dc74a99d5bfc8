/*
 * Flux-transition capture for the magnetic head (hal/esp32/magstripe-head.ts, hal/magstripe-head.ts):
 * one RMT receive channel of the ESP32 (ESP-IDF v5 driver/rmt_rx.h) on the output of one track's
 * peak detector. Every edge of that signal is a flux transition on the stripe, so the RMT's level
 * durations, two per rmt_symbol_word_t in arrival order, are exactly the intervals between
 * transitions (ISO/IEC 7811-2 F2F: a one has a transition in the middle of its cell, a zero none).
 *
 * Moddable's pins/rmt is not built for the ESP32 in SDK 8 (its manifest marks the platform "x-esp32"),
 * hence this module. A capture is armed with `arm()`; it ends when the line stays idle longer than
 * `idleNs` (the card has left the head) or the buffer is full; the interrupt then posts the count to
 * the JavaScript machine, which calls `onCapture(durations)` and copies them with `read()`.
 */

#include "xsmc.h"
#include "xsHost.h"
#include "mc.xs.h"

#include "driver/rmt_rx.h"

typedef struct {
	xsMachine *the;
	xsSlot object;
	rmt_channel_handle_t channel;
	rmt_symbol_word_t *symbols;
	size_t capacity;
	volatile size_t received;
	rmt_receive_config_t receive;
	volatile uint8_t armed;
} FluxCaptureRecord, *FluxCapture;

static void deliver(xsMachine *the, void *refcon, uint8_t *message, uint16_t messageLength);

/* Interrupt context: note the count and hand over to the machine's task. */
static bool onReceiveDone(rmt_channel_handle_t channel, const rmt_rx_done_event_data_t *data, void *context)
{
	(void)channel;
	FluxCapture f = context;
	f->received = data->num_symbols;
	f->armed = 0;
	modMessagePostToMachineFromISR(f->the, deliver, f);
	return false;
}

/* The durations of the last capture: two per symbol, up to the first zero (the end marker). */
static size_t durationCount(FluxCapture f)
{
	size_t n = 0;
	for (size_t i = 0; i < f->received; i++) {
		if (!f->symbols[i].duration0)
			break;
		n++;
		if (!f->symbols[i].duration1)
			break;
		n++;
	}
	return n;
}

static void deliver(xsMachine *the, void *refcon, uint8_t *message, uint16_t messageLength)
{
	(void)message;
	(void)messageLength;
	FluxCapture f = refcon;
	xsBeginHost(the);
	xsmcVars(1);
	xsmcSetInteger(xsVar(0), (xsIntegerValue)durationCount(f));
	xsCall1(f->object, xsID_onCapture, xsVar(0));
	xsEndHost(the);
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

static void release(FluxCapture f)
{
	if (f->channel) {
		rmt_disable(f->channel);
		rmt_del_channel(f->channel);
	}
	c_free(f->symbols);
	c_free(f);
}

void xs_fluxcapture_destructor(void *data)
{
	if (data)
		release((FluxCapture)data);
}

/* initialize({ pin, resolutionHz, symbols, idleNs, glitchNs, dma }), called by the constructor in fluxcapture.js. */
void xs_fluxcapture_initialize(xsMachine *the)
{
	xsmcVars(1);
	int pin = requiredInteger(the, xsID_pin, "pin", 0, 48);
	/* 1 MHz to 10 MHz: 1 us down to 0.1 us ticks, against half cells of 40 us and more. */
	int resolutionHz = requiredInteger(the, xsID_resolutionHz, "resolutionHz", 1000000, 10000000);
	/* A 210 bpi track of 3.4 inches: about 1,400 durations, 700 symbols; room for jitter. */
	int symbols = requiredInteger(the, xsID_symbols, "symbols", 64, 4096);
	int idleNs = requiredInteger(the, xsID_idleNs, "idleNs", 100000, 100000000);
	int glitchNs = requiredInteger(the, xsID_glitchNs, "glitchNs", 0, 10000);
	/* The 15-bit duration field must span the idle threshold, or an idle line would never end a capture. */
	if ((int64_t)idleNs * resolutionHz / 1000000000 > 32767)
		xsRangeError("idleNs beyond the 15-bit duration at this resolution");

	FluxCapture f = c_calloc(1, sizeof(FluxCaptureRecord));
	if (!f)
		xsUnknownError("no memory");
	f->symbols = c_calloc((size_t)symbols, sizeof(rmt_symbol_word_t));
	if (!f->symbols) {
		c_free(f);
		xsUnknownError("no memory");
	}
	f->the = the;
	f->object = xsThis;
	f->capacity = (size_t)symbols;
	f->receive.signal_range_min_ns = (uint32_t)glitchNs;
	f->receive.signal_range_max_ns = (uint32_t)idleNs;

	/* The ESP32-S3 gives an RX channel DMA: the whole track lands in memory. Without DMA a channel
	 * has one 64-symbol block (48 on the S3), which a 210 bpi track overflows. */
	int dma = 0;
	if (xsmcHas(xsArg(0), xsID_dma)) {
		xsmcGet(xsVar(0), xsArg(0), xsID_dma);
		dma = xsmcToBoolean(xsVar(0));
	}
	rmt_rx_channel_config_t config = {
		.gpio_num = pin,
		.clk_src = RMT_CLK_SRC_DEFAULT,
		.resolution_hz = (uint32_t)resolutionHz,
		.mem_block_symbols = dma ? (size_t)symbols : 64,
		.flags.with_dma = dma ? 1 : 0,
	};
	rmt_rx_event_callbacks_t callbacks = { .on_recv_done = onReceiveDone };
	if ((ESP_OK != rmt_new_rx_channel(&config, &f->channel)) ||
		(ESP_OK != rmt_rx_register_event_callbacks(f->channel, &callbacks, f)) ||
		(ESP_OK != rmt_enable(f->channel))) {
		release(f);
		xsUnknownError("rmt channel unavailable");
	}
	xsmcSetHostData(xsThis, f);
	xsRemember(f->object);
}

static FluxCapture getRecord(xsMachine *the)
{
	FluxCapture f = xsmcGetHostData(xsThis);
	if (!f)
		xsUnknownError("closed");
	return f;
}

/* arm(): starts a capture (no effect while one is armed). */
void xs_fluxcapture_arm(xsMachine *the)
{
	FluxCapture f = getRecord(the);
	if (f->armed)
		return;
	f->received = 0;
	f->armed = 1;
	if (ESP_OK != rmt_receive(f->channel, f->symbols, f->capacity * sizeof(rmt_symbol_word_t), &f->receive)) {
		f->armed = 0;
		xsUnknownError("rmt receive failed");
	}
}

/* read(buffer): the durations of the last capture, in ticks, into a buffer of 16-bit words; returns how many. */
void xs_fluxcapture_read(xsMachine *the)
{
	FluxCapture f = getRecord(the);
	void *data;
	xsUnsignedValue size;
	xsmcGetBufferWritable(xsArg(0), &data, &size);
	uint16_t *out = data;
	size_t max = size / 2, n = 0;
	for (size_t i = 0; i < f->received && n < max; i++) {
		if (!f->symbols[i].duration0)
			break;
		out[n++] = (uint16_t)f->symbols[i].duration0;
		if (n >= max || !f->symbols[i].duration1)
			break;
		out[n++] = (uint16_t)f->symbols[i].duration1;
	}
	xsmcSetInteger(xsResult, (xsIntegerValue)n);
}

void xs_fluxcapture_close(xsMachine *the)
{
	FluxCapture f = xsmcGetHostData(xsThis);
	if (f) {
		xsForget(f->object);
		release(f);
		xsmcSetHostData(xsThis, NULL);
	}
}
