#ifndef FAKE_FREERTOS_QUEUE_H
#define FAKE_FREERTOS_QUEUE_H
#include "freertos/FreeRTOS.h"
typedef struct fakeQueue *QueueHandle_t;
BaseType_t xQueueReceive(QueueHandle_t queue, void *item, TickType_t ticks);
#endif
