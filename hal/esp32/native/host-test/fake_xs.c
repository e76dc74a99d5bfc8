/* The tiny value model behind the host stub of xsmc.h (stubs/xsmc.h): objects with named slots,
 * byte buffers, host data, thrown errors caught by the test with setjmp. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "xsmc.h"
#include "xsHost.h"
#include "fake.h"

int fakeHas(xsSlot *object, xsIdentifier id)
{
	if (object->kind != fakeObjectKind || !object->object)
		return 0;
	for (int i = 0; i < object->object->count; i++)
		if (!strcmp(object->object->keys[i], id))
			return 1;
	return 0;
}

void fakeGet(xsSlot *result, xsSlot *object, xsIdentifier id)
{
	memset(result, 0, sizeof(*result));
	if (object->kind != fakeObjectKind || !object->object)
		return;
	for (int i = 0; i < object->object->count; i++)
		if (!strcmp(object->object->keys[i], id))
			*result = object->object->values[i];
}

/* An array is an object whose keys are "length" and "0", "1", ...: element `index`, or undefined. */
void fakeGetIndex(xsSlot *result, xsSlot *object, int index)
{
	char key[12];
	snprintf(key, sizeof(key), "%d", index);
	fakeGet(result, object, key);
}

void fakeThrow(xsMachine *the, const char *kind, const char *format, ...)
{
	va_list args;
	int n = snprintf(the->error, sizeof(the->error), "%s: ", kind);
	va_start(args, format);
	vsnprintf(the->error + n, sizeof(the->error) - n, format, args);
	va_end(args);
	longjmp(*the->onError, 1);
}

void fakeGetBuffer(xsMachine *the, xsSlot *slot, void **data, xsUnsignedValue *count)
{
	if (slot->kind != fakeBufferKind)
		fakeThrow(the, "TypeError", "not a buffer");
	*data = slot->data;
	*count = slot->size;
}

void fakeCall1(xsMachine *the, xsSlot *object, xsIdentifier id, xsSlot *argument)
{
	xsSlot function;
	fakeGet(&function, object, id);
	if (function.kind != fakeFunctionKind)
		fakeThrow(the, "TypeError", "%s is not a function", id);
	function.function(argument);
}

static struct { xsMachine *the; modMessageDeliver callback; void *refcon; } posted[16];
static int postedCount;

int modMessagePostToMachineFromISR(xsMachine *the, modMessageDeliver callback, void *refcon)
{
	if (postedCount >= 16)
		return -1;
	posted[postedCount].the = the;
	posted[postedCount].callback = callback;
	posted[postedCount].refcon = refcon;
	postedCount++;
	return 0;
}

int fakeDeliverMessages(void)
{
	int n = postedCount;
	for (int i = 0; i < n; i++)
		posted[i].callback(posted[i].the, posted[i].refcon, NULL, 0);
	postedCount = 0;
	return n;
}

void fakeReset(xsMachine *the, fakeObject *self)
{
	memset(the, 0, sizeof(*the));
	memset(self, 0, sizeof(*self));
	the->thisSlot.kind = fakeObjectKind;
	the->thisSlot.object = self;
}

void fakeSetInteger(fakeObject *o, const char *key, int value)
{
	o->keys[o->count] = key;
	o->values[o->count].kind = fakeIntegerKind;
	o->values[o->count].integer = value;
	o->count++;
}

void fakeSetFunction(fakeObject *o, const char *key, void (*function)(xsSlot *argument))
{
	o->keys[o->count] = key;
	o->values[o->count].kind = fakeFunctionKind;
	o->values[o->count].function = function;
	o->count++;
}

void fakeArgObject(xsMachine *the, int i, fakeObject *o)
{
	the->args[i].kind = fakeObjectKind;
	the->args[i].object = o;
	if (the->argc <= i)
		the->argc = i + 1;
}

void fakeArgInteger(xsMachine *the, int i, int value)
{
	the->args[i].kind = fakeIntegerKind;
	the->args[i].integer = value;
	if (the->argc <= i)
		the->argc = i + 1;
}

void fakeArgBuffer(xsMachine *the, int i, uint8_t *data, uint32_t size)
{
	the->args[i].kind = fakeBufferKind;
	the->args[i].data = data;
	the->args[i].size = size;
	if (the->argc <= i)
		the->argc = i + 1;
}

static int failures;
static int checks;

void fakeCheck(int ok, const char *what, const char *file, int line)
{
	checks++;
	if (!ok) {
		failures++;
		printf("not ok %d - %s (%s:%d)\n", checks, what, file, line);
	}
}

int fakeSummary(const char *suite)
{
	printf("%s: %d checks, %d failed\n", suite, checks, failures);
	return failures ? 1 : 0;
}
