"""One `furuta train` (or `furuta eval`) child process, tied to the worker's life.

The child gets PR_SET_PDEATHSIG = SIGTERM, so a worker killed with SIGKILL does not leave its
training running. Stopping a trial early (pruning, budget) sends SIGTERM to the trainer's main
thread: it finishes its iteration, saves and exits, and its run folder stays complete.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
from collections.abc import Sequence

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the child, before exec: deliver SIGTERM to it when the worker thread dies."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    # Ctrl-C in the worker's terminal goes to the worker only; it stops the child itself.
    os.setpgrp()


def start(arguments: Sequence[str], log_path: str) -> subprocess.Popen:
    """Start a child with stdout and stderr in `log_path`."""
    log = open(log_path, "ab")
    try:
        return subprocess.Popen(list(arguments), stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent)
    finally:
        log.close()


def _terminate(process: subprocess.Popen) -> None:
    """SIGTERM to the child's main thread (tgkill), where `furuta train` collects it.

    A process-directed SIGTERM may be delivered to any thread that does not block it, and one
    of the trainer's threads (started before it blocks SIGINT/SIGTERM) does not: the trainer
    then dies without saving. Directed at the main thread, the signal stays pending there
    until the trainer's sigtimedwait takes it between iterations."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.tgkill(process.pid, process.pid, signal.SIGTERM) == 0:
            return
    process.send_signal(signal.SIGTERM)


def stop(process: subprocess.Popen, grace_s: float = 60.0) -> int:
    """SIGTERM (the trainer saves and exits), then SIGKILL after `grace_s`; the exit code."""
    if process.poll() is None:
        _terminate(process)
        try:
            process.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


def run(arguments: Sequence[str], log_path: str, timeout_s: float) -> int:
    """Run a child to completion (stopped after `timeout_s`); its exit code."""
    process = start(arguments, log_path)
    try:
        return process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        return stop(process, grace_s=10.0)
    finally:
        if process.poll() is None:
            stop(process, grace_s=10.0)


def tail(path: str, lines: int = 6) -> str:
    """The last lines of a log, for error messages."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return "".join(handle.readlines()[-lines:]).rstrip()
    except OSError:
        return "(no log)"
