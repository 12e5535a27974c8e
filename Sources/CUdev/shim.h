// libudev from Debian's libudev-dev (pkg-config libudev).
#ifndef FURUTA_CUDEV_SHIM_H
#define FURUTA_CUDEV_SHIM_H
#include <libudev.h>
#endif
