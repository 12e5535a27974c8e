// MuJoCo calls that cannot abort the process. MuJoCo reports fatal errors through
// mju_user_error and, if the handler returns, carries on with invalid state; its default handler
// exits. We install a handler that records the message and longjmps back to the guarded call,
// which then returns an error code. Swift cannot use setjmp, hence this small C file.
#ifndef FURUTA_MUJOCO_GUARD_H
#define FURUTA_MUJOCO_GUARD_H
#include <mujoco/mujoco.h>

/// Install the recording handler (idempotent, process-wide).
void furuta_mj_install_error_handler(void);

/// The message of the last MuJoCo error on this thread ("" if none).
const char *furuta_mj_last_error(void);

/// mj_loadXML; NULL on failure with the parser's message in `error` (or the fatal error text).
mjModel *furuta_mj_load_xml(const char *path, char *error, int error_size);

/// mj_copyModel(NULL, m); NULL on failure.
mjModel *furuta_mj_copy_model(const mjModel *m);

/// mj_makeData; NULL on failure.
mjData *furuta_mj_make_data(const mjModel *m);

/// mj_step; 0 on success, -1 if MuJoCo raised a fatal error (see furuta_mj_last_error; reset
/// the data before using it again).
int furuta_mj_step(const mjModel *m, mjData *d);

/// mj_forward; 0 on success, -1 on a fatal error.
int furuta_mj_forward(const mjModel *m, mjData *d);

/// Raise a MuJoCo fatal error (mju_error) inside a guarded call: 0 if it came back as an error
/// with `message` recorded, as every guarded call would. For tests of the guard itself.
int furuta_mj_raise_guarded_error(const char *message);

#endif
