#include "mujoco_guard.h"
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

static _Thread_local jmp_buf *active_guard = NULL;
static _Thread_local char last_error[1024] = "";

static void record_error(const char *message) {
    snprintf(last_error, sizeof last_error, "%s", message ? message : "unknown MuJoCo error");
    if (active_guard) longjmp(*active_guard, 1);
    // Outside a guarded call there is nowhere safe to return to: MuJoCo would continue with
    // invalid state. Say what happened and stop, as MuJoCo's default handler does.
    fprintf(stderr, "MuJoCo error outside a guarded call: %s\n", last_error);
    fflush(stderr);
    _Exit(70);
}

void furuta_mj_install_error_handler(void) { mju_user_error = record_error; }

const char *furuta_mj_last_error(void) { return last_error; }

// Run STATEMENT with the handler armed; on a MuJoCo error evaluate to FAILED.
#define GUARDED(STATEMENT, FAILED)                 \
    jmp_buf env;                                   \
    jmp_buf *previous = active_guard;              \
    last_error[0] = '\0';                          \
    if (setjmp(env) != 0) {                        \
        active_guard = previous;                   \
        return FAILED;                             \
    }                                              \
    active_guard = &env;                           \
    STATEMENT;                                     \
    active_guard = previous;

mjModel *furuta_mj_load_xml(const char *path, char *error, int error_size) {
    mjModel *volatile model = NULL;
    if (error && error_size > 0) error[0] = '\0';
    jmp_buf env;
    jmp_buf *previous = active_guard;
    last_error[0] = '\0';
    if (setjmp(env) != 0) {
        active_guard = previous;
        if (error && error_size > 0) snprintf(error, (size_t)error_size, "%s", last_error);
        return NULL;
    }
    active_guard = &env;
    model = mj_loadXML(path, NULL, error, error_size);
    active_guard = previous;
    return model;
}

mjModel *furuta_mj_copy_model(const mjModel *m) {
    mjModel *volatile copy = NULL;
    GUARDED(copy = mj_copyModel(NULL, m), NULL)
    return copy;
}

mjData *furuta_mj_make_data(const mjModel *m) {
    mjData *volatile data = NULL;
    GUARDED(data = mj_makeData(m), NULL)
    return data;
}

int furuta_mj_step(const mjModel *m, mjData *d) {
    GUARDED(mj_step(m, d), -1)
    return 0;
}

int furuta_mj_forward(const mjModel *m, mjData *d) {
    GUARDED(mj_forward(m, d), -1)
    return 0;
}

int furuta_mj_raise_guarded_error(const char *message) {
    GUARDED(mju_error(message), strcmp(last_error, message) == 0 ? 0 : -1)
    return -1; // mju_error returned: the handler did not take over
}
