/* Host test of otaslots.c against a fake of ESP-IDF's OTA data (app rollback states). */
#include <string.h>
#include "xsmc.h"
#include "fake.h"
#include "fake_ota.h"

void xs_otaslots_running(xsMachine *the);
void xs_otaslots_state(xsMachine *the);
void xs_otaslots_invalidate_inactive(xsMachine *the);
void xs_otaslots_set_boot(xsMachine *the);
void xs_otaslots_mark_valid(xsMachine *the);
void xs_otaslots_rollback(xsMachine *the);
void xs_otaslots_restart(xsMachine *the);

static xsMachine machine, *the = &machine;
static fakeObject self;

static int state(int slot)
{
	the->argc = 0;
	fakeArgInteger(the, 0, slot);
	xs_otaslots_state(the);
	return the->result.integer;
}

int main(void)
{
	fakeReset(the, &self);
	memset(&fakeOta, 0, sizeof(fakeOta));
	fakeOta.hasState[0] = 1;
	fakeOta.state[0] = ESP_OTA_IMG_VALID;
	xs_otaslots_running(the);
	CHECK(the->result.integer == 0, "running from ota_0");
	CHECK(state(0) == 3, "ota_0 valid");
	CHECK(state(1) == 0, "ota_1 never selected: empty");
	the->argc = 0;
	fakeArgInteger(the, 0, 2);
	CHECK(THROWS(the, xs_otaslots_state) && strstr(the->error, "slot is 0 or 1"), "slot 2 refused");

	fakeOta.hasState[1] = 1;
	fakeOta.state[1] = ESP_OTA_IMG_ABORTED;
	CHECK(state(1) == 4, "an aborted trial is invalid");
	xs_otaslots_invalidate_inactive(the);
	CHECK(state(1) == 0 && state(0) == 3, "invalidateInactive forgets ota_1 only");

	fakeArgInteger(the, 0, 1);
	CHECK(!THROWS(the, xs_otaslots_set_boot), "select ota_1");
	CHECK(fakeOta.boot == 1 && state(1) == 1, "ota_1 boots next, state new");
	fakeOta.imageInvalid[1] = 1;
	fakeArgInteger(the, 0, 1);
	CHECK(THROWS(the, xs_otaslots_set_boot), "a slot whose image does not verify cannot be selected");

	/* The trial boot of ota_1: pending verify, then confirmed. */
	fakeOta.running = 1;
	fakeOta.state[1] = ESP_OTA_IMG_PENDING_VERIFY;
	CHECK(state(1) == 2, "pending verify");
	xs_otaslots_mark_valid(the);
	CHECK(state(1) == 3, "markValid: valid");

	/* A trial that refuses itself goes back to the valid ota_0. */
	fakeOta.state[1] = ESP_OTA_IMG_PENDING_VERIFY;
	CHECK(THROWS(the, xs_otaslots_rollback) && fakeOta.restarts == 1 && state(1) == 4, "rollback marks invalid and restarts");
	xs_otaslots_restart(the);
	CHECK(fakeOta.restarts == 2, "restart");
	return fakeSummary("otaslots");
}
