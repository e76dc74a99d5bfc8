/* Host test of fluxcapture.c (RMT receive of flux intervals) and hwrng.c against fakes of ESP-IDF. */
#include <stdio.h>
#include <string.h>
#include "xsmc.h"
#include "fake.h"
#include "fake_rmt.h"

void xs_fluxcapture_initialize(xsMachine *the);
void xs_fluxcapture_arm(xsMachine *the);
void xs_fluxcapture_read(xsMachine *the);
void xs_fluxcapture_close(xsMachine *the);
void xs_hwrng_fill(xsMachine *the);
extern size_t fakeRandomCalls;

static xsMachine machine, *the = &machine;
static fakeObject self, options;
static int captured = -1;

static void onCapture(xsSlot *argument)
{
	captured = argument->integer;
}

static void open(int idleNs)
{
	memset(&fakeRmt, 0, sizeof(fakeRmt));
	fakeReset(the, &self);
	memset(&options, 0, sizeof(options));
	fakeSetInteger(&options, "pin", 34);
	fakeSetInteger(&options, "resolutionHz", 2000000);
	fakeSetInteger(&options, "symbols", 800);
	fakeSetInteger(&options, "idleNs", idleNs);
	fakeSetInteger(&options, "glitchNs", 2000);
	fakeSetInteger(&options, "dma", 1);
	fakeArgObject(the, 0, &options);
	/* fluxcapture.js stores onCapture on the object before the native initializer runs. */
	fakeSetFunction(&self, "onCapture", onCapture);
}

static void test_capture(void)
{
	open(16000000);
	CHECK(!THROWS(the, xs_fluxcapture_initialize), "initialize accepts a track on GPIO 34 at 2 MHz");
	CHECK(fakeRmt.created && fakeRmt.enabled && fakeRmt.config.gpio_num == 34 && fakeRmt.config.resolution_hz == 2000000, "an RX channel on the pin, 0.5 us ticks");
	CHECK(fakeRmt.config.flags.with_dma == 1 && fakeRmt.config.mem_block_symbols == 800, "with DMA the whole track fits the channel");
	CHECK(fakeRmt.onDone != NULL, "the receive-done interrupt is registered");
	CHECK(!THROWS(the, xs_fluxcapture_arm), "arm");
	CHECK(fakeRmt.receives == 1 && fakeRmt.bufferSize == 800 * sizeof(rmt_symbol_word_t), "receive into the whole buffer");
	CHECK(fakeRmt.receive.signal_range_max_ns == 16000000 && fakeRmt.receive.signal_range_min_ns == 2000, "idle threshold ends it, glitch filter drops spikes");
	xs_fluxcapture_arm(the);
	CHECK(fakeRmt.receives == 1, "arming twice starts one capture");
	/* Clocking zeros then a one (two half cells) on a 75 bpi track at 20 ips: 667 us cells (1334 ticks). */
	const uint16_t durations[5] = { 1334, 1334, 667, 667, 1334 };
	fakeRmtComplete(durations, 5);
	CHECK(captured == -1, "nothing reaches JavaScript inside the interrupt");
	CHECK(fakeDeliverMessages() == 1 && captured == 5, "onCapture(5) on the machine's task");
	uint16_t out[8] = { 0 };
	the->argc = 0;
	fakeArgBuffer(the, 0, (uint8_t *)out, sizeof(out));
	xs_fluxcapture_read(the);
	CHECK(the->result.integer == 5 && out[0] == 1334 && out[2] == 667 && out[4] == 1334, "read copies the durations in order");
	fakeArgBuffer(the, 0, (uint8_t *)out, 4);
	xs_fluxcapture_read(the);
	CHECK(the->result.integer == 2, "read stops at the end of a short buffer");
	xs_fluxcapture_arm(the);
	CHECK(fakeRmt.receives == 2, "re-armed for the next swipe");
	xs_fluxcapture_close(the);
	CHECK(!fakeRmt.created && !fakeRmt.enabled, "close deletes the channel");
	CHECK(THROWS(the, xs_fluxcapture_arm), "a closed capture refuses to arm");
}

static void test_refusals(void)
{
	/* At 2 MHz the 15-bit duration spans 16.4 ms; an idle threshold beyond it could never end a capture. */
	open(20000000);
	CHECK(THROWS(the, xs_fluxcapture_initialize) && strstr(the->error, "15-bit"), "an idle threshold beyond the duration field is refused");
	open(16000000);
	fakeRmt.refuseChannel = 1;
	CHECK(THROWS(the, xs_fluxcapture_initialize) && strstr(the->error, "unavailable"), "no RMT channel left: an error, nothing leaked");
}

static void test_hwrng(void)
{
	uint8_t buffer[40];
	memset(buffer, 0, sizeof(buffer));
	the->argc = 0;
	fakeArgBuffer(the, 0, buffer, sizeof(buffer));
	CHECK(!THROWS(the, xs_hwrng_fill), "fill");
	int zeros = 0;
	for (size_t i = 0; i < sizeof(buffer); i++)
		zeros += !buffer[i];
	CHECK(fakeRandomCalls == 1 && zeros < 3, "every byte from the hardware RNG");
	fakeArgBuffer(the, 0, buffer, 0);
	xs_hwrng_fill(the);
	CHECK(fakeRandomCalls == 1, "an empty buffer does not touch the RNG");
	fakeArgInteger(the, 0, 3);
	CHECK(THROWS(the, xs_hwrng_fill), "a number is not a buffer");
}

int main(void)
{
	test_capture();
	test_refusals();
	test_hwrng();
	return fakeSummary("fluxcapture+hwrng");
}
