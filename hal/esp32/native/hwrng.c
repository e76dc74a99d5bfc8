/*
 * The ESP32's hardware random number generator for hal/esp32/random.ts. esp_fill_random reads the
 * RNG register, whose output is true random while the radio runs (the reader keeps Bluetooth LE on)
 * or the bootloader's entropy source is enabled (ESP-IDF, "Random Number Generation"). The kernel
 * draws DUKPT-independent randomness from it: unpredictable numbers (9F37), PIN block fill, session
 * nonces.
 */

#include "xsmc.h"
#include "esp_random.h"

/* fill(buffer): every byte of `buffer` from the hardware RNG. */
void xs_hwrng_fill(xsMachine *the)
{
	void *data;
	xsUnsignedValue length;
	xsmcGetBufferWritable(xsArg(0), &data, &length);
	if (length)
		esp_fill_random(data, length);
}
