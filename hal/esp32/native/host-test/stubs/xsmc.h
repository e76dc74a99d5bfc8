/*
 * Host stub of Moddable's xsmc.h: just the calls the reader's native modules make, over a tiny
 * value model (fake_xs.c), so that the modules compile and run on the host with `cc` in the tests.
 * Not Moddable's implementation: the same names and the same meaning, nothing more.
 */
#ifndef FAKE_XSMC_H
#define FAKE_XSMC_H

#include <stdint.h>
#include <stddef.h>
#include <setjmp.h>

typedef int32_t xsIntegerValue;
typedef uint32_t xsUnsignedValue;
typedef const char *xsIdentifier;

typedef enum { fakeUndefinedKind, fakeIntegerKind, fakeBooleanKind, fakeObjectKind, fakeBufferKind, fakeFunctionKind } fakeKind;

struct fakeObjectRecord;
typedef struct xsSlotRecord {
	fakeKind kind;
	int32_t integer;
	struct fakeObjectRecord *object;
	uint8_t *data;
	uint32_t size;
	void (*function)(struct xsSlotRecord *argument);
} xsSlot;

#define FAKE_MAX_PROPERTIES 12
typedef struct fakeObjectRecord {
	const char *keys[FAKE_MAX_PROPERTIES];
	xsSlot values[FAKE_MAX_PROPERTIES];
	int count;
	void *hostData;
} fakeObject;

typedef struct xsMachineRecord {
	xsSlot args[8];
	int argc;
	xsSlot thisSlot;
	xsSlot result;
	xsSlot vars[8];
	jmp_buf *onError;
	char error[256];
} xsMachine;

#define xsArg(i) (the->args[i])
#define xsThis (the->thisSlot)
#define xsResult (the->result)
#define xsVar(i) (the->vars[i])
#define xsmcArgc (the->argc)
#define xsmcVars(n) ((void)(n))

int fakeHas(xsSlot *object, xsIdentifier id);
void fakeGet(xsSlot *result, xsSlot *object, xsIdentifier id);
void fakeGetIndex(xsSlot *result, xsSlot *object, int index);
void fakeThrow(xsMachine *the, const char *kind, const char *format, ...);
void fakeGetBuffer(xsMachine *the, xsSlot *slot, void **data, xsUnsignedValue *count);
void fakeCall1(xsMachine *the, xsSlot *object, xsIdentifier id, xsSlot *argument);

#define xsmcHas(_OBJ, _ID) fakeHas(&(_OBJ), _ID)
#define xsmcGet(_SLOT, _OBJ, _ID) fakeGet(&(_SLOT), &(_OBJ), _ID)
#define xsmcGetIndex(_SLOT, _OBJ, _INDEX) fakeGetIndex(&(_SLOT), &(_OBJ), _INDEX)
#define xsmcTest(_SLOT) ((_SLOT).kind != fakeUndefinedKind && (_SLOT).integer != 0)
#define xsmcToInteger(_SLOT) ((_SLOT).integer)
#define xsmcToBoolean(_SLOT) ((_SLOT).integer != 0)
#define xsmcSetInteger(_SLOT, _V) ((_SLOT).kind = fakeIntegerKind, (_SLOT).integer = (int32_t)(_V))
#define xsmcSetBoolean(_SLOT, _V) ((_SLOT).kind = fakeBooleanKind, (_SLOT).integer = (_V) ? 1 : 0)
#define xsmcGetHostData(_SLOT) ((_SLOT).object ? (_SLOT).object->hostData : NULL)
#define xsmcSetHostData(_SLOT, _P) ((_SLOT).object->hostData = (_P))
#define xsmcGetBufferReadable(_SLOT, _DATA, _COUNT) fakeGetBuffer(the, &(_SLOT), _DATA, _COUNT)
#define xsmcGetBufferWritable(_SLOT, _DATA, _COUNT) fakeGetBuffer(the, &(_SLOT), _DATA, _COUNT)
#define xsRangeError(...) fakeThrow(the, "RangeError", __VA_ARGS__)
#define xsUnknownError(...) fakeThrow(the, "Error", __VA_ARGS__)
#define xsRemember(_SLOT) ((void)0)
#define xsForget(_SLOT) ((void)0)
#define xsBeginHost(_THE) do { xsMachine *fakeHost_ = (_THE); xsMachine *the = fakeHost_;
#define xsEndHost(_THE) (void)the; } while (0)
#define xsCall1(_OBJ, _ID, _ARG) fakeCall1(the, &(_OBJ), _ID, &(_ARG))

#endif
