#ifndef FAKE_ESP_PARTITION_H
#define FAKE_ESP_PARTITION_H
#include <stddef.h>
typedef enum { ESP_PARTITION_TYPE_APP = 0x00, ESP_PARTITION_TYPE_DATA = 0x01 } esp_partition_type_t;
typedef enum { ESP_PARTITION_SUBTYPE_APP_FACTORY = 0x00, ESP_PARTITION_SUBTYPE_APP_OTA_0 = 0x10 } esp_partition_subtype_t;
typedef struct {
	esp_partition_type_t type;
	int subtype;
	unsigned address;
	unsigned size;
	const char *label;
} esp_partition_t;
const esp_partition_t *esp_partition_find_first(esp_partition_type_t type, int subtype, const char *label);
#endif
