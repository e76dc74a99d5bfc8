/* Host test of lightsleep.c against a fake of ESP-IDF's power management, sleep modes and GPIO:
 * the esp_pm_configure arguments, the awake (CPU at maximum) lock, the wake pins armed around each light
 * sleep (and their edge interrupts given back), deep sleep on an empty cell until the charger. */
#include <string.h>
#include "xsmc.h"
#include "fake.h"
#include "fake_sleep.h"
#include "soc/gpio_struct.h"

void xs_lightsleep_configure(xsMachine *the);
void xs_lightsleep_allow(xsMachine *the);
void xs_lightsleep_power_off(xsMachine *the);

static xsMachine machine, *the = &machine;
static fakeObject self, pinList;
static const char *const indexKeys[] = { "0", "1", "2", "3", "4", "5", "6", "7" };

/* The reader's wake pins (manifest.json): keypad columns 47, 0, 15, 16 and the TDA8035's OFFN on 6. */
static const int READER_PINS[] = { 47, 0, 15, 16, 6 };
#define COLUMNS 4
#define OFFN 6

static void wakePins(const int *pins, int count)
{
	memset(&pinList, 0, sizeof(pinList));
	fakeSetInteger(&pinList, "length", count);
	for (int i = 0; i < count && i < 8; i++)
		fakeSetInteger(&pinList, indexKeys[i], pins[i]);
}

static void configureArgs(int maxMHz, int minMHz)
{
	fakeReset(the, &self);
	fakeArgInteger(the, 0, maxMHz);
	fakeArgInteger(the, 1, minMHz);
	fakeArgObject(the, 2, &pinList);
}

static void allow(int allowed)
{
	fakeReset(the, &self);
	fakeArgInteger(the, 0, allowed);
	xs_lightsleep_allow(the);
}

static int powerOffThrows(int pin)
{
	fakeReset(the, &self);
	fakeArgInteger(the, 0, pin);
	return THROWS(the, xs_lightsleep_power_off);
}

int main(void)
{
	fakeSleepReset();
	fakeReset(the, &self);
	fakeArgInteger(the, 0, 1);
	CHECK(THROWS(the, xs_lightsleep_allow) && strstr(the->error, "not configured"), "allow before configure is an error");

	/* Refused arguments change nothing. */
	int nine[9] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	wakePins(nine, 9);
	configureArgs(240, 40);
	CHECK(THROWS(the, xs_lightsleep_configure) && strstr(the->error, "at most 8"), "nine wake pins refused");
	int bad[1] = { 49 };
	wakePins(bad, 1);
	configureArgs(240, 40);
	CHECK(THROWS(the, xs_lightsleep_configure) && strstr(the->error, "bad wake pin"), "GPIO 49 does not exist on the ESP32-S3");
	wakePins(READER_PINS, 5);
	configureArgs(40, 240);
	CHECK(THROWS(the, xs_lightsleep_configure) && strstr(the->error, "minMHz"), "minimum above maximum refused");
	CHECK(fakeSleep.configured == 0 && fakeSleep.locksCreated == 0, "nothing configured by a refused call");

	/* The keypad columns interrupt on a falling edge (embedded:io/digital), OFFN has no interrupt and reads low: no card. */
	for (int i = 0; i < COLUMNS; i++)
		GPIO.pin[READER_PINS[i]].int_type = GPIO_INTR_NEGEDGE;
	fakeSleep.level[OFFN] = 0;

	configureArgs(240, 40);
	CHECK(!THROWS(the, xs_lightsleep_configure), "configure the reader's wake pins");
	CHECK(fakeSleep.configured == 1 && fakeSleep.pm.max_freq_mhz == 240 && fakeSleep.pm.min_freq_mhz == 40 && fakeSleep.pm.light_sleep_enable,
		"esp_pm_configure: 240 MHz awake, 40 MHz (the crystal) idle, automatic light sleep on");
	CHECK(fakeSleep.locksCreated == 1 && fakeSleep.lockType == ESP_PM_CPU_FREQ_MAX && fakeSleep.lockCount == 1,
		"a CPU-at-maximum lock, held: full speed for a payment, no light sleep");
	CHECK(fakeSleep.callbacksRegistered == 1 && fakeSleep.gpioWakeupEnabled, "light-sleep callbacks and the GPIO wake-up source");
	CHECK(!fakeLightSleep(), "held awake: no light sleep");

	allow(1);
	CHECK(fakeSleep.lockCount == 0, "allow(true) releases the lock");
	/* Inside a light sleep: each wake pin armed at the level it does not read. */
	fakeSleep.callbacks.enter_cb(5000, NULL);
	int armed = 1;
	for (int i = 0; i < COLUMNS; i++)
		armed &= fakeSleep.wakeupEnabled[READER_PINS[i]] == GPIO_INTR_LOW_LEVEL;
	CHECK(armed, "a keypad column (high, rows held low) wakes the chip when a key pulls it low");
	CHECK(fakeSleep.wakeupEnabled[OFFN] == GPIO_INTR_HIGH_LEVEL, "OFFN (low, no card) wakes the chip when a card is inserted");
	CHECK(fakeSleep.wakeupEnabled[20] == 0, "a pin not named wakes nothing");
	fakeSleep.callbacks.exit_cb(5000, NULL);
	int restored = 1;
	for (int i = 0; i < COLUMNS; i++)
		restored &= GPIO.pin[READER_PINS[i]].int_type == GPIO_INTR_NEGEDGE && !GPIO.pin[READER_PINS[i]].wakeup_enable;
	CHECK(restored, "after the sleep each column has its falling-edge interrupt back, wake-up off (no level interrupt while a key is held)");
	CHECK(GPIO.pin[OFFN].int_type == GPIO_INTR_DISABLE && !GPIO.pin[OFFN].wakeup_enable, "OFFN back to no interrupt");

	/* A key held down through the next sleep: its column wakes on the release, not at once. */
	fakeSleep.level[15] = 0;
	fakeSleep.callbacks.enter_cb(5000, NULL);
	CHECK(fakeSleep.wakeupEnabled[15] == GPIO_INTR_HIGH_LEVEL && fakeSleep.wakeupEnabled[47] == GPIO_INTR_LOW_LEVEL,
		"a steady level does not keep waking the chip (nor make ESP-IDF reject the sleep)");
	fakeSleep.callbacks.exit_cb(5000, NULL);
	CHECK(GPIO.pin[15].int_type == GPIO_INTR_NEGEDGE, "edge back after that sleep too");
	CHECK(fakeLightSleep(), "allowed: the idle task sleeps");

	allow(0);
	CHECK(fakeSleep.lockCount == 1 && !fakeLightSleep(), "allow(false) takes the lock again: no sleep");
	allow(0);
	CHECK(fakeSleep.lockCount == 1, "allow(false) twice holds the lock once");
	allow(1);
	allow(1);
	CHECK(fakeSleep.lockCount == 0, "allow(true) twice releases it once");
	allow(0);

	/* Configured again (the same lock, the callbacks once); a build without power management says so. */
	fakeSleep.configureResult = ESP_FAIL;
	configureArgs(240, 40);
	CHECK(THROWS(the, xs_lightsleep_configure) && strstr(the->error, "power management not enabled"), "CONFIG_PM_ENABLE off: an error");
	CHECK(fakeSleep.locksCreated == 1 && fakeSleep.callbacksRegistered == 1 && fakeSleep.lockCount == 1, "one lock, one registration, still held");

	/* Power off on an empty cell: deep sleep until the charger's STAT (GPIO 21) goes low. */
	CHECK(powerOffThrows(22) && strstr(the->error, "RTC GPIO"), "GPIO 22 is not an RTC GPIO: refused");
	CHECK(powerOffThrows(48), "GPIO 48 refused");
	CHECK(fakeSleep.deepSleeps == 0, "no deep sleep on a refused pin");
	CHECK(!powerOffThrows(21), "power off on GPIO 21");
	CHECK(fakeSleep.wakeupSourcesDisabled, "every other wake-up source off (no timer, no light-sleep GPIO wake)");
	CHECK(fakeSleep.ext1Mask == (1ULL << 21) && fakeSleep.ext1Mode == ESP_EXT1_WAKEUP_ANY_LOW, "EXT1 on GPIO 21, any low");
	CHECK(fakeSleep.rtcPullUp[21] && fakeSleep.rtcPeriphOn, "STAT's RTC pull-up held through the deep sleep");
	CHECK(fakeSleep.deepSleeps == 1, "deep sleep started");
	return fakeSummary("lightsleep");
}
