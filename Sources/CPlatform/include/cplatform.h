// Thin wrappers over the Linux calls Swift cannot make directly or safely: CPU_SET (a macro),
// prctl and ioctl (variadic), epoll_pwait2 (GNU), sigaction, flock, and an async-signal-safe stop-signal handler. Everything else (sched,
// mlockall, clock_nanosleep) is called from Swift in Sources/Controller/Platform/.
#ifndef CPLATFORM_H
#define CPLATFORM_H

#include <stddef.h>
#include <stdint.h>

/// pthread_setaffinity_np for the calling thread with a one-CPU set (CPU_ZERO, CPU_SET).
/// Returns 0 or an errno value.
int cplatform_pin_current_thread_to_cpu(int cpu);

/// An edge-triggered epoll set watching `fd` for input (EPOLLIN | EPOLLET): returns the epoll
/// descriptor, or -1 and errno. Waiting on it never asks the tty whether input is there (poll(2)
/// and read(2) of an empty tty wait for the kernel's receive work); it wakes when input arrives.
int cplatform_edge_poller_open(int fd);

/// epoll_pwait2 on `epfd` with a nanosecond timeout: 1 with the events in *events, 0 on timeout
/// (or EINTR), -1 and errno on error.
int cplatform_edge_poller_wait(int epfd, int64_t timeout_ns, uint32_t *events);

/// prctl(PR_SET_NAME, name): names the calling thread (15 bytes max) for top/ps -L.
int cplatform_set_current_thread_name(const char *name);

/// Installs handlers for SIGINT and SIGTERM (sigaction, SA_RESTART) that count signals in an
/// atomic, and unblocks both in the calling thread's mask. On the second signal, if an emergency frame was armed, the handler writes it to the
/// armed file descriptor itself (write(2) is async-signal-safe), so the motor stops even if the
/// rest of the process is stuck. Returns 0 or an errno value.
int cplatform_install_stop_signal_handlers(void);

/// Stop signals received since installation (0, 1, 2, ...).
int cplatform_stop_signal_count(void);

/// The number of the last stop signal received (SIGINT or SIGTERM), 0 if none.
int cplatform_last_stop_signal(void);

/// Restores the default dispositions of SIGINT and SIGTERM and forgets the count.
void cplatform_reset_stop_signal_handlers(void);

/// Arms the second-signal emergency write: `fd` (owned by the caller, kept open while armed)
/// and up to 64 bytes of a pre-encoded e-stop command frame. fd < 0 disarms.
void cplatform_arm_emergency_frame(int fd, const uint8_t *bytes, size_t length);

/// Whether the handler wrote the emergency frame.
int cplatform_emergency_frame_written(void);

/// SIGPIPE ignored (sigaction SIG_IGN): a write to a pipe whose reader left fails with EPIPE
/// instead of killing the process. Returns 0 or an errno value.
int cplatform_ignore_broken_pipe(void);

/// flock(fd, LOCK_EX | LOCK_NB), retried on EINTR. Returns 0, or EWOULDBLOCK when another open
/// file description holds the lock, or another errno value.
int cplatform_lock_exclusive(int fd);

/// ioctl TIOCEXCL (exclusive != 0) or TIOCNXCL on a tty: while set, further open(2)s of the tty
/// fail with EBUSY (except for CAP_SYS_ADMIN). Returns 0 or an errno value.
int cplatform_set_tty_exclusive(int fd, int exclusive);

#endif
