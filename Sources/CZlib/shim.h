// zlib from Debian's zlib1g-dev (pkg-config zlib): raw-deflate decoding of zip entries.
#ifndef FURUTA_CZLIB_SHIM_H
#define FURUTA_CZLIB_SHIM_H
#include <zlib.h>
#endif
