#ifndef FAKE_RMT_H
#define FAKE_RMT_H
#include "driver/rmt_rx.h"
typedef struct {
	int refuseChannel;
	int created;
	int enabled;
	int receives;
	rmt_rx_channel_config_t config;
	rmt_receive_config_t receive;
	rmt_rx_done_callback_t onDone;
	void *context;
	void *buffer;
	size_t bufferSize;
} FakeRmt;
extern FakeRmt fakeRmt;
/* The hardware ends the capture: `count` durations, then the end marker. */
void fakeRmtComplete(const uint16_t *durations, size_t count);
#endif
