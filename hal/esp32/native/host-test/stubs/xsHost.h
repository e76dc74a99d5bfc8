/* Host stub of Moddable's xsHost.h: memory and the message posting the native modules use (fake_xs.c). */
#ifndef FAKE_XSHOST_H
#define FAKE_XSHOST_H
#include <stdlib.h>
#include "xsmc.h"

#define c_calloc calloc
#define c_malloc malloc
#define c_free free

typedef void (*modMessageDeliver)(xsMachine *the, void *refcon, uint8_t *message, uint16_t messageLength);
int modMessagePostToMachineFromISR(xsMachine *the, modMessageDeliver callback, void *refcon);
#endif
