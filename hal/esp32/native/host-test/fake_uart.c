/* A fake ESP32 UART with a card on its I/O line, in simulated time, for the host test of
 * iso7816uart.c: what the module writes is recorded with its time and line settings and comes back
 * as the echo one character later; what the card sends arrives once its character is complete. */
#include <string.h>
#include "driver/uart.h"
#include "driver/gpio.h"
#include "esp_timer.h"
#include "esp_rom_sys.h"
#include "freertos/FreeRTOS.h"
#include "freertos/queue.h"
#include "fake_uart.h"

FakeUart fakeUart;
FakeWrite fakeWrites[64];
int fakeWriteCount;
int fakeCardErrorSignals;
int fakeLineDead;

static int64_t now;

typedef struct { uint8_t raw; int64_t available; int error; } Pending;
static Pending pending[64];
static int pendingCount;
static uart_event_t events[64];
static int eventCount;

void fakeSetTime(int64_t us) { now = us; }
int64_t esp_timer_get_time(void) { return now; }
void esp_rom_delay_us(uint32_t us) { now += us; }
void vTaskDelay(TickType_t ticks) { now += (int64_t)ticks * 1000; }

void fakeUartReset(void)
{
	memset(&fakeUart, 0, sizeof(fakeUart));
	fakeWriteCount = 0;
	fakeCardErrorSignals = 0;
	fakeLineDead = 0;
	pendingCount = 0;
	eventCount = 0;
	now = 1000000;
}

static int64_t bitUs(void) { return 1000000 / (fakeUart.baud ? fakeUart.baud : 1); }

static void enqueue(uint8_t raw, int64_t available, int error)
{
	int i = pendingCount++;
	while (i > 0 && pending[i - 1].available > available) {
		pending[i] = pending[i - 1];
		i--;
	}
	pending[i].raw = raw;
	pending[i].available = available;
	pending[i].error = error;
}

void fakeCardSends(uint8_t raw, int64_t at, int parityError)
{
	/* The UART hands a character over in the middle of its first stop bit: 10.5 bits after its leading edge. */
	enqueue(raw, at + (21 * bitUs()) / 2, parityError ? UART_PARITY_ERR : 0);
}

esp_err_t uart_driver_install(uart_port_t port, int rx_buffer_size, int tx_buffer_size, int queue_size, QueueHandle_t *queue, int intr_alloc_flags)
{
	(void)rx_buffer_size; (void)tx_buffer_size; (void)queue_size; (void)intr_alloc_flags;
	if (fakeUart.installed)
		return ESP_FAIL;
	fakeUart.installed = 1;
	fakeUart.port = port;
	*queue = (QueueHandle_t)&fakeUart;
	return ESP_OK;
}

esp_err_t uart_driver_delete(uart_port_t port) { (void)port; fakeUart.installed = 0; return ESP_OK; }

esp_err_t uart_param_config(uart_port_t port, const uart_config_t *config)
{
	(void)port;
	fakeUart.config = *config;
	fakeUart.baud = config->baud_rate;
	fakeUart.parity = config->parity;
	return ESP_OK;
}

esp_err_t uart_set_pin(uart_port_t port, int tx, int rx, int rts, int cts) { (void)port; (void)rts; (void)cts; fakeUart.tx = tx; fakeUart.rx = rx; return ESP_OK; }
esp_err_t uart_set_baudrate(uart_port_t port, uint32_t baud) { (void)port; fakeUart.baud = (int)baud; return ESP_OK; }
esp_err_t uart_set_parity(uart_port_t port, uart_parity_t parity) { (void)port; fakeUart.parity = parity; return ESP_OK; }
esp_err_t uart_set_rx_full_threshold(uart_port_t port, int threshold) { (void)port; fakeUart.rxFullThreshold = threshold; return ESP_OK; }
esp_err_t uart_set_rx_timeout(uart_port_t port, uint8_t symbols) { (void)port; fakeUart.rxTimeout = symbols; return ESP_OK; }
esp_err_t gpio_od_enable(gpio_num_t gpio) { fakeUart.openDrain = gpio; return ESP_OK; }

esp_err_t uart_flush_input(uart_port_t port)
{
	(void)port;
	int kept = 0;
	for (int i = 0; i < pendingCount; i++)
		if (pending[i].available > now)
			pending[kept++] = pending[i];
	pendingCount = kept;
	return ESP_OK;
}

int uart_write_bytes(uart_port_t port, const void *data, size_t size)
{
	(void)port;
	const uint8_t *bytes = data;
	for (size_t i = 0; i < size; i++) {
		FakeWrite *w = &fakeWrites[fakeWriteCount++ % 64];
		w->raw = bytes[i];
		w->at = now;
		w->baud = (uint32_t)fakeUart.baud;
		w->parity = fakeUart.parity;
		if (fakeLineDead)
			continue;
		int error = 0;
		if (fakeCardErrorSignals > 0) {
			fakeCardErrorSignals--;
			error = UART_FRAME_ERR;
		}
		enqueue(bytes[i], now + (21 * bitUs()) / 2, error);
	}
	return (int)size;
}

int uart_read_bytes(uart_port_t port, void *data, uint32_t length, TickType_t ticks)
{
	(void)port;
	if (length != 1)
		return -1;
	int64_t deadline = now + (int64_t)ticks * 1000;
	if (pendingCount == 0 || pending[0].available > deadline) {
		now = deadline;
		return 0;
	}
	Pending p = pending[0];
	memmove(pending, pending + 1, sizeof(Pending) * (size_t)(--pendingCount));
	if (p.available > now)
		now = p.available;
	*(uint8_t *)data = p.raw;
	events[eventCount].type = UART_DATA;
	events[eventCount++].size = 1;
	if (p.error) {
		events[eventCount].type = (uart_event_type_t)p.error;
		events[eventCount++].size = 0;
	}
	return 1;
}

BaseType_t xQueueReceive(QueueHandle_t queue, void *item, TickType_t ticks)
{
	(void)queue; (void)ticks;
	if (eventCount == 0)
		return pdFALSE;
	*(uart_event_t *)item = events[0];
	memmove(events, events + 1, sizeof(uart_event_t) * (size_t)(--eventCount));
	return pdTRUE;
}
