/* Host stub of ESP-IDF's driver/rmt_rx.h (v5): the types and calls fluxcapture.c uses (fake_rmt.c). */
#ifndef FAKE_DRIVER_RMT_RX_H
#define FAKE_DRIVER_RMT_RX_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "esp_err.h"

typedef struct fakeRmtChannel *rmt_channel_handle_t;
typedef enum { RMT_CLK_SRC_DEFAULT = 0 } rmt_clock_source_t;

typedef union {
	struct {
		uint16_t duration0 : 15;
		uint16_t level0 : 1;
		uint16_t duration1 : 15;
		uint16_t level1 : 1;
	};
	uint32_t val;
} rmt_symbol_word_t;

typedef struct {
	int gpio_num;
	rmt_clock_source_t clk_src;
	uint32_t resolution_hz;
	size_t mem_block_symbols;
	struct { uint32_t invert_in : 1; uint32_t with_dma : 1; } flags;
} rmt_rx_channel_config_t;

typedef struct {
	rmt_symbol_word_t *received_symbols;
	size_t num_symbols;
} rmt_rx_done_event_data_t;

typedef bool (*rmt_rx_done_callback_t)(rmt_channel_handle_t channel, const rmt_rx_done_event_data_t *data, void *context);

typedef struct {
	rmt_rx_done_callback_t on_recv_done;
} rmt_rx_event_callbacks_t;

typedef struct {
	uint32_t signal_range_min_ns;
	uint32_t signal_range_max_ns;
} rmt_receive_config_t;

esp_err_t rmt_new_rx_channel(const rmt_rx_channel_config_t *config, rmt_channel_handle_t *channel);
esp_err_t rmt_rx_register_event_callbacks(rmt_channel_handle_t channel, const rmt_rx_event_callbacks_t *callbacks, void *context);
esp_err_t rmt_enable(rmt_channel_handle_t channel);
esp_err_t rmt_disable(rmt_channel_handle_t channel);
esp_err_t rmt_del_channel(rmt_channel_handle_t channel);
esp_err_t rmt_receive(rmt_channel_handle_t channel, void *buffer, size_t size, const rmt_receive_config_t *config);
#endif
