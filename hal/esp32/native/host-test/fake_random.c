/* A fake of the ESP32's RNG register for the host test of hwrng.c: counts calls and bytes. */
#include <stddef.h>
#include <stdint.h>
#include "esp_random.h"

size_t fakeRandomCalls;
size_t fakeRandomBytes;

void esp_fill_random(void *buffer, size_t length)
{
	uint8_t *b = buffer;
	fakeRandomCalls++;
	for (size_t i = 0; i < length; i++)
		b[i] = (uint8_t)(0xA5 ^ (fakeRandomBytes++ * 37));
}
