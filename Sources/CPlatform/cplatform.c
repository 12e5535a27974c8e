#define _GNU_SOURCE
#include "cplatform.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

int cplatform_pin_current_thread_to_cpu(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

int cplatform_edge_poller_open(int fd) {
    int epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0) return -1;
    struct epoll_event event = {.events = EPOLLIN | EPOLLET, .data.fd = fd};
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &event) != 0) {
        int saved = errno;
        close(epfd);
        errno = saved;
        return -1;
    }
    return epfd;
}

int cplatform_edge_poller_wait(int epfd, int64_t timeout_ns, uint32_t *events) {
    if (timeout_ns < 0) timeout_ns = 0;
    struct timespec timeout = {.tv_sec = timeout_ns / 1000000000, .tv_nsec = timeout_ns % 1000000000};
    struct epoll_event event = {0};
    int n = epoll_pwait2(epfd, &event, 1, &timeout, NULL);
    if (n < 0 && errno == EINTR) return 0;
    if (n > 0) *events = event.events;
    return n;
}

int cplatform_set_current_thread_name(const char *name) {
    return prctl(PR_SET_NAME, (unsigned long)name, 0, 0, 0) == 0 ? 0 : errno;
}

static atomic_int stop_count = 0;
static atomic_int last_signal = 0;
static atomic_int emergency_fd = -1;
static atomic_int emergency_written = 0;
static uint8_t emergency_bytes[64];
static atomic_size_t emergency_length = 0;

static void on_stop_signal(int signo) {
    int saved = errno;
    atomic_store(&last_signal, signo);
    int count = atomic_fetch_add(&stop_count, 1) + 1;
    if (count >= 2) {
        int fd = atomic_load(&emergency_fd);
        size_t length = atomic_load(&emergency_length);
        if (fd >= 0 && length > 0) {
            ssize_t n = write(fd, emergency_bytes, length);
            if (n == (ssize_t)length) atomic_store(&emergency_written, 1);
        }
    }
    errno = saved;
}

int cplatform_install_stop_signal_handlers(void) {
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    if (sigaction(SIGINT, &action, NULL) != 0) return errno;
    if (sigaction(SIGTERM, &action, NULL) != 0) return errno;
    // A parent may have spawned us with the stop signals blocked (posix_spawn inherits the
    // mask): unblock them, or the handlers would never run.
    sigset_t stops;
    sigemptyset(&stops);
    sigaddset(&stops, SIGINT);
    sigaddset(&stops, SIGTERM);
    return pthread_sigmask(SIG_UNBLOCK, &stops, NULL);
}

int cplatform_stop_signal_count(void) { return atomic_load(&stop_count); }

int cplatform_last_stop_signal(void) { return atomic_load(&last_signal); }

void cplatform_reset_stop_signal_handlers(void) {
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    atomic_store(&stop_count, 0);
    atomic_store(&last_signal, 0);
}

void cplatform_arm_emergency_frame(int fd, const uint8_t *bytes, size_t length) {
    atomic_store(&emergency_fd, -1);
    if (fd < 0 || bytes == NULL || length == 0 || length > sizeof(emergency_bytes)) {
        atomic_store(&emergency_length, 0);
        return;
    }
    memcpy(emergency_bytes, bytes, length);
    atomic_store(&emergency_length, length);
    atomic_store(&emergency_written, 0);
    atomic_store(&emergency_fd, fd);
}

int cplatform_emergency_frame_written(void) { return atomic_load(&emergency_written); }

#include <sys/file.h>
#include <sys/ioctl.h>

int cplatform_ignore_broken_pipe(void) {
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_handler = SIG_IGN;
    sigemptyset(&action.sa_mask);
    return sigaction(SIGPIPE, &action, NULL) == 0 ? 0 : errno;
}

int cplatform_lock_exclusive(int fd) {
    while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EINTR) return errno;
    }
    return 0;
}

int cplatform_set_tty_exclusive(int fd, int exclusive) {
    return ioctl(fd, exclusive ? TIOCEXCL : TIOCNXCL) == 0 ? 0 : errno;
}
