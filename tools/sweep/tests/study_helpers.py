"""Starting `furuta sweep` workers as a user would, and reading a study back."""

from __future__ import annotations

import os
import subprocess
import time

import optuna
from optuna.trial import TrialState

from furuta_sweep.storage import engine_url


def start_worker(furuta: str, storage: str, study: str, space: str, trials: int, out: str, log_path: str,
                 *extra: str) -> subprocess.Popen:
    command = [furuta, "sweep", "--storage", storage, "--study", study, "--space", space,
               "--trials", str(trials), "--out", out, "--trial-seconds", "3", "--final-episodes", "2",
               "--report-seconds", "1", "--heartbeat-seconds", "1", *extra]
    log = open(log_path, "w")
    try:
        return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    finally:
        log.close()


def wait_all(processes: list[subprocess.Popen], timeout_s: float) -> list[int]:
    deadline = time.monotonic() + timeout_s
    codes = []
    for process in processes:
        try:
            codes.append(process.wait(timeout=max(1.0, deadline - time.monotonic())))
        except subprocess.TimeoutExpired:
            process.kill()
            codes.append(process.wait())
    return codes


def load(storage: str, study: str) -> list[optuna.trial.FrozenTrial]:
    return optuna.load_study(study_name=study, storage=engine_url(storage)).get_trials(deepcopy=False)


def by_state(trials, *states: TrialState):
    return [t for t in trials if t.state in states]


def wait_for(predicate, timeout_s: float, what: str, alive: subprocess.Popen | None = None) -> None:
    """Poll `predicate`; fail on timeout, or at once if the `alive` process has exited."""
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if alive is not None and alive.poll() is not None:
            raise AssertionError(f"the worker exited ({alive.returncode}) while waiting for {what}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s} s waiting for {what}")
        time.sleep(0.2)


def metrics_rows(run_dir: str) -> int:
    try:
        with open(os.path.join(run_dir, "metrics.csv")) as handle:
            return max(0, sum(1 for _ in handle) - 1)
    except OSError:
        return 0


def read(path: str) -> str:
    with open(path) as handle:
        return handle.read()
