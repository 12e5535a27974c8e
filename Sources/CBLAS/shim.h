// OpenBLAS from Debian's libopenblas-dev (pkg-config openblas).
#ifndef FURUTA_CBLAS_SHIM_H
#define FURUTA_CBLAS_SHIM_H
#include <cblas.h>
// openblas_set_num_threads is declared in OpenBLAS's cblas.h; the trainer pins it to 1
// while simulation threads run (2 BLAS threads fell from ~60 to 3.6 GFLOP/s here).
#endif
