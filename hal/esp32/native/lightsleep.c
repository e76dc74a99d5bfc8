/*
 * Sleep between payments for hal/esp32/power.ts. The Moddable SDK has no sleep module for the ESP32
 * (modules/base/sleep supports Gecko only; embedded:io/system's deepSleep is the ESP8266's), so this
 * module speaks to ESP-IDF's power management directly (ESP-IDF Programming Guide, "Power
 * Management" and "Sleep Modes"):
 *
 * - configure: esp_pm_configure with light_sleep_enable, and one ESP_PM_CPU_FREQ_MAX lock taken at
 *   once: while it is held the CPU runs at maxMHz and the chip does not sleep (a lock of a higher
 *   mode rules out light sleep; a NO_LIGHT_SLEEP lock alone would leave a payment's RSA at minMHz,
 *   the frequency ESP-IDF runs at when no CPU or APB lock is held). With CONFIG_PM_ENABLE and CONFIG_FREERTOS_USE_TICKLESS_IDLE (sdkconfig.defaults) the
 *   chip then enters light sleep by itself whenever every task waits and no lock is held: RAM, the
 *   XS heap and the Bluetooth LE link (controller modem sleep) are kept; timers still fire.
 * - allow(true) releases the lock, allow(false) takes it again.
 * - The wake pins (the keypad's columns, the card-detect line) are armed around each light sleep,
 *   from the light-sleep callbacks (esp_pm_light_sleep_register_cbs, CONFIG_PM_LIGHT_SLEEP_CALLBACKS),
 *   not once: ESP-IDF's GPIO wake-up is level-triggered and gpio_wakeup_enable overwrites the pin's
 *   one interrupt type, so a keypad column left armed at "low" after waking would re-enter its edge
 *   interrupt for as long as the key is held; and a pin already at its wake level when the chip
 *   tries to sleep makes the hardware reject that sleep. So, just before each sleep, each wake pin
 *   is armed at the level opposite to the one it reads (a change wakes the chip, a steady level does
 *   not), and just after it the pin gets back its own interrupt type (the keypad's falling edge).
 * - powerOff: deep sleep until the charger's status line goes low (EXT1, ESP_EXT1_WAKEUP_ANY_LOW,
 *   an RTC GPIO, its RTC pull-up kept through the sleep); the next wake is a reset and the firmware
 *   boots with its self-tests.
 */

#include "xsmc.h"
#include "xsHost.h"
#include "mc.xs.h"
#include "esp_attr.h"
#include "esp_pm.h"
#include "esp_sleep.h"
#include "driver/gpio.h"
#include "driver/rtc_io.h"
#include "soc/gpio_struct.h"

#define kMaxWakePins 8
/* ESP32-S3 Technical Reference Manual, "RTC IO MUX": GPIO 0 to 21 are RTC GPIOs (EXT1 wake-up). */
#define kLastRtcGpio 21

static esp_pm_lock_handle_t gAwake = NULL;
static int gHeld = 0;
static int gCallbacks = 0;
static int gWakePins[kMaxWakePins];
static uint32_t gSavedIntrType[kMaxWakePins];
static int gWakeCount = 0;
static int gArmed = 0;

/* Light-sleep entry (the idle task, scheduler suspended): each wake pin wakes on the level it does not read now. */
static esp_err_t IRAM_ATTR enterLightSleep(int64_t sleepUs, void *arg)
{
	(void)sleepUs;
	(void)arg;
	for (int i = 0; i < gWakeCount; i++) {
		int pin = gWakePins[i];
		gSavedIntrType[i] = GPIO.pin[pin].int_type;
		gpio_wakeup_enable(pin, gpio_get_level(pin) ? GPIO_INTR_LOW_LEVEL : GPIO_INTR_HIGH_LEVEL);
	}
	gArmed = 1;
	return ESP_OK;
}

/* Light-sleep exit: the wake pins get their own interrupt type back (a key's edge is then delivered once). */
static esp_err_t IRAM_ATTR exitLightSleep(int64_t sleptUs, void *arg)
{
	(void)sleptUs;
	(void)arg;
	if (!gArmed)
		return ESP_OK;
	for (int i = 0; i < gWakeCount; i++) {
		gpio_wakeup_disable(gWakePins[i]);
		gpio_set_intr_type(gWakePins[i], (gpio_int_type_t)gSavedIntrType[i]);
	}
	gArmed = 0;
	return ESP_OK;
}

/* configure(maxMHz, minMHz, wakePins): automatic light sleep, the reader held awake. */
void xs_lightsleep_configure(xsMachine *the)
{
	int maxMHz = xsmcToInteger(xsArg(0));
	int minMHz = xsmcToInteger(xsArg(1));
	int count, i;
	int pins[kMaxWakePins];
	esp_pm_config_t pm = { .max_freq_mhz = maxMHz, .min_freq_mhz = minMHz, .light_sleep_enable = true };
	esp_pm_sleep_cbs_register_config_t callbacks = { .enter_cb = enterLightSleep, .exit_cb = exitLightSleep };

	if ((minMHz <= 0) || (maxMHz < minMHz))
		xsRangeError("lightsleep: 0 < minMHz <= maxMHz");
	xsmcVars(1);
	xsmcGet(xsVar(0), xsArg(2), xsID_length);
	count = xsmcToInteger(xsVar(0));
	if ((count < 0) || (count > kMaxWakePins))
		xsRangeError("lightsleep: at most 8 wake pins");
	for (i = 0; i < count; i++) {
		xsmcGetIndex(xsVar(0), xsArg(2), i);
		pins[i] = xsmcToInteger(xsVar(0));
		if ((pins[i] < 0) || (pins[i] >= GPIO_NUM_MAX))
			xsRangeError("lightsleep: bad wake pin");
	}

	if (NULL == gAwake) {
		if (ESP_OK != esp_pm_lock_create(ESP_PM_CPU_FREQ_MAX, 0, "mpos-awake", &gAwake))
			xsUnknownError("lightsleep: no power management lock");
	}
	if (!gHeld) {
		esp_pm_lock_acquire(gAwake);
		gHeld = 1;
	}
	/* Held awake: no sleep runs the callbacks while the pins change. */
	for (i = 0; i < count; i++)
		gWakePins[i] = pins[i];
	gWakeCount = count;
	if (!gCallbacks) {
		if (ESP_OK != esp_pm_light_sleep_register_cbs(&callbacks))
			xsUnknownError("lightsleep: light-sleep callbacks not enabled in sdkconfig");
		gCallbacks = 1;
	}
	if (ESP_OK != esp_sleep_enable_gpio_wakeup())
		xsUnknownError("lightsleep: no GPIO wake-up");
	if (ESP_OK != esp_pm_configure(&pm))
		xsUnknownError("lightsleep: power management not enabled in sdkconfig");
}

/* allow(allowed): lets the chip sleep when idle (a change on a wake pin wakes it), or holds it awake. */
void xs_lightsleep_allow(xsMachine *the)
{
	int allowed = xsmcTest(xsArg(0));

	if (NULL == gAwake)
		xsUnknownError("lightsleep: not configured");
	if (allowed && gHeld) {
		esp_pm_lock_release(gAwake);
		gHeld = 0;
	}
	else if (!allowed && !gHeld) {
		esp_pm_lock_acquire(gAwake);
		gHeld = 1;
	}
}

/* powerOff(chargerPin): deep sleep until the charger's status line (an RTC GPIO) goes low. */
void xs_lightsleep_power_off(xsMachine *the)
{
	int pin = xsmcToInteger(xsArg(0));

	if ((pin < 0) || (pin > kLastRtcGpio))
		xsRangeError("lightsleep: the charger pin must be an RTC GPIO (0 to 21)");
	/* Only the charger ends this sleep: not a timer, not the light-sleep GPIO wake-up. */
	esp_sleep_disable_wakeup_source(ESP_SLEEP_WAKEUP_ALL);
	/* The digital pull-up does not hold in deep sleep: the RTC one does, with the RTC peripherals powered. */
	rtc_gpio_pullup_en(pin);
	rtc_gpio_pulldown_dis(pin);
	esp_sleep_pd_config(ESP_PD_DOMAIN_RTC_PERIPH, ESP_PD_OPTION_ON);
	if (ESP_OK != esp_sleep_enable_ext1_wakeup(1ULL << pin, ESP_EXT1_WAKEUP_ANY_LOW))
		xsUnknownError("lightsleep: no EXT1 wake-up on the charger pin");
	esp_deep_sleep_start();
}
