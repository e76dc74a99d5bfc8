/* A fake ESP32 RMT receive channel for the host test of fluxcapture.c: the test plays the role of
 * the hardware, filling the armed buffer with symbols and raising the receive-done interrupt. */
#include <string.h>
#include "driver/rmt_rx.h"
#include "fake_rmt.h"

FakeRmt fakeRmt;
static struct fakeRmtChannel { int unused; } channel;

esp_err_t rmt_new_rx_channel(const rmt_rx_channel_config_t *config, rmt_channel_handle_t *handle)
{
	if (fakeRmt.refuseChannel)
		return ESP_FAIL;
	fakeRmt.config = *config;
	fakeRmt.created = 1;
	*handle = &channel;
	return ESP_OK;
}

esp_err_t rmt_rx_register_event_callbacks(rmt_channel_handle_t handle, const rmt_rx_event_callbacks_t *callbacks, void *context)
{
	(void)handle;
	fakeRmt.onDone = callbacks->on_recv_done;
	fakeRmt.context = context;
	return ESP_OK;
}

esp_err_t rmt_enable(rmt_channel_handle_t handle) { (void)handle; fakeRmt.enabled = 1; return ESP_OK; }
esp_err_t rmt_disable(rmt_channel_handle_t handle) { (void)handle; fakeRmt.enabled = 0; return ESP_OK; }
esp_err_t rmt_del_channel(rmt_channel_handle_t handle) { (void)handle; fakeRmt.created = 0; return ESP_OK; }

esp_err_t rmt_receive(rmt_channel_handle_t handle, void *buffer, size_t size, const rmt_receive_config_t *config)
{
	(void)handle;
	fakeRmt.receives++;
	fakeRmt.buffer = buffer;
	fakeRmt.bufferSize = size;
	fakeRmt.receive = *config;
	return ESP_OK;
}

void fakeRmtComplete(const uint16_t *durations, size_t count)
{
	rmt_symbol_word_t *symbols = fakeRmt.buffer;
	size_t n = 0;
	memset(symbols, 0, fakeRmt.bufferSize);
	for (size_t i = 0; i < count; i += 2, n++) {
		symbols[n].duration0 = durations[i];
		symbols[n].level0 = 1;
		symbols[n].duration1 = (i + 1 < count) ? durations[i + 1] : 0;
	}
	rmt_rx_done_event_data_t data = { symbols, n };
	fakeRmt.onDone(&channel, &data, fakeRmt.context);
}
