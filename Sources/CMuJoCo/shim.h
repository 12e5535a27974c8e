// Thin shim over Debian's MuJoCo 2.2.2 (libmujoco-dev). Debian ships no pkg-config file,
// so the header path is fixed. C globals such as mju_user_error cannot be assigned from
// Swift 6 (not concurrency-safe), so small static inline setters live here.
#ifndef FURUTA_CMUJOCO_SHIM_H
#define FURUTA_CMUJOCO_SHIM_H
#include <mujoco/mujoco.h>

static inline void furuta_mj_set_user_error(void (*handler)(const char *)) {
    mju_user_error = handler;
}
static inline void furuta_mj_set_user_warning(void (*handler)(const char *)) {
    mju_user_warning = handler;
}
#endif
