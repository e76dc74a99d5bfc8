/* Helpers of the host tests: building arguments, catching errors, checking results. */
#ifndef FAKE_H
#define FAKE_H
#include "xsmc.h"

void fakeReset(xsMachine *the, fakeObject *self);
void fakeSetInteger(fakeObject *o, const char *key, int value);
void fakeSetFunction(fakeObject *o, const char *key, void (*function)(xsSlot *argument));
void fakeArgObject(xsMachine *the, int i, fakeObject *o);
void fakeArgInteger(xsMachine *the, int i, int value);
void fakeArgBuffer(xsMachine *the, int i, uint8_t *data, uint32_t size);
int fakeDeliverMessages(void);
void fakeCheck(int ok, const char *what, const char *file, int line);
int fakeSummary(const char *suite);

#define CHECK(cond, what) fakeCheck((cond) ? 1 : 0, what, __FILE__, __LINE__)

/* Runs `call(the)`; returns 1 when it threw (the message is in the->error). */
#define THROWS(the, call) ({ jmp_buf _jb; int _threw = 0; (the)->onError = &_jb; (the)->error[0] = 0; \
	if (setjmp(_jb)) _threw = 1; else call(the); _threw; })
#endif
