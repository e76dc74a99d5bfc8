/* Host stub of ESP-IDF's driver/uart.h (v5): the types and calls iso7816uart.c uses (fake_idf.c). */
#ifndef FAKE_DRIVER_UART_H
#define FAKE_DRIVER_UART_H
#include <stddef.h>
#include <stdint.h>
#include "esp_err.h"
#include "freertos/queue.h"

typedef int uart_port_t;
#define UART_NUM_MAX 3
#define UART_PIN_NO_CHANGE (-1)

typedef enum { UART_DATA_5_BITS, UART_DATA_6_BITS, UART_DATA_7_BITS, UART_DATA_8_BITS } uart_word_length_t;
typedef enum { UART_PARITY_DISABLE = 0, UART_PARITY_EVEN = 2, UART_PARITY_ODD = 3 } uart_parity_t;
typedef enum { UART_STOP_BITS_1 = 1, UART_STOP_BITS_1_5 = 2, UART_STOP_BITS_2 = 3 } uart_stop_bits_t;
typedef enum { UART_HW_FLOWCTRL_DISABLE = 0 } uart_hw_flowcontrol_t;
typedef enum { UART_SCLK_DEFAULT = 0 } uart_sclk_t;

typedef struct {
	int baud_rate;
	uart_word_length_t data_bits;
	uart_parity_t parity;
	uart_stop_bits_t stop_bits;
	uart_hw_flowcontrol_t flow_ctrl;
	uint8_t rx_flow_ctrl_thresh;
	uart_sclk_t source_clk;
} uart_config_t;

typedef enum { UART_DATA, UART_BREAK, UART_BUFFER_FULL, UART_FIFO_OVF, UART_FRAME_ERR, UART_PARITY_ERR } uart_event_type_t;
typedef struct {
	uart_event_type_t type;
	size_t size;
} uart_event_t;

esp_err_t uart_driver_install(uart_port_t port, int rx_buffer_size, int tx_buffer_size, int queue_size, QueueHandle_t *queue, int intr_alloc_flags);
esp_err_t uart_driver_delete(uart_port_t port);
esp_err_t uart_param_config(uart_port_t port, const uart_config_t *config);
esp_err_t uart_set_pin(uart_port_t port, int tx, int rx, int rts, int cts);
esp_err_t uart_set_baudrate(uart_port_t port, uint32_t baud);
esp_err_t uart_set_parity(uart_port_t port, uart_parity_t parity);
esp_err_t uart_set_rx_full_threshold(uart_port_t port, int threshold);
esp_err_t uart_set_rx_timeout(uart_port_t port, uint8_t symbols);
esp_err_t uart_flush_input(uart_port_t port);
int uart_write_bytes(uart_port_t port, const void *data, size_t size);
int uart_read_bytes(uart_port_t port, void *data, uint32_t length, TickType_t ticks);
#endif
