"""A worker: joins the study and runs trials until the study has its N counted trials.

Counted trials are COMPLETE and PRUNED ones. FAIL trials (trainer errors, interrupted or killed
workers) are never counted and free their slot. Each round, under the claim lock:

    mark stale RUNNING trials FAIL (their retry is enqueued as WAITING)
    if counted + running < N:   start one (Optuna's ask takes a WAITING retry first)
    elif running > 0:           wait: a running trial may still fail and need a replacement
    else:                       the study is done

so the study ends with exactly N counted trials however many workers join or die.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import optuna
from optuna.trial import TrialState

from . import storage as storage_module
from .objective import objective_text
from . import trial as trial_module
from .space import SearchSpace

COUNTED = (TrialState.COMPLETE, TrialState.PRUNED)
MAX_FAILURES_IN_A_ROW = 3


class WorkerError(Exception):
    """The worker cannot go on (e.g. every trial fails); the message says why."""


@dataclass(frozen=True)
class Counts:
    counted: int
    running: int
    waiting: int
    failed: int


def count(trials: list[optuna.trial.FrozenTrial]) -> Counts:
    states = [t.state for t in trials]
    return Counts(sum(s in COUNTED for s in states), states.count(TrialState.RUNNING),
                  states.count(TrialState.WAITING), states.count(TrialState.FAIL))


def decide(counts: Counts, target: int) -> str:
    """'run', 'wait' or 'done' (see the module comment)."""
    if counts.counted + counts.running < target:
        return "run"
    if counts.running > 0:
        return "wait"
    return "done"


def fail_stale_trials(study: optuna.Study) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        optuna.storages.fail_stale_trials(study)


class _Interrupted(KeyboardInterrupt):
    pass


def _raise_interrupt(signum, frame):  # noqa: ARG001 (signal handler signature)
    raise _Interrupted(f"signal {signum}")


def run_worker(study: optuna.Study, storage: optuna.storages.RDBStorage, space: SearchSpace, settings: trial_module.TrialSettings, target: int,
               before_claim: Callable[[optuna.Study, Counts], None] | None = None,
               log: Callable[[str], None] = print) -> Counts:
    """Run trials until the study is done; the final counts. SIGTERM/SIGINT fail the running
    trial (it is not counted; its slot goes to another trial) and re-raise KeyboardInterrupt.

    `before_claim` runs under the claim lock right before a trial starts (seeds mode enqueues
    the next seed there)."""
    signal.signal(signal.SIGTERM, _raise_interrupt)
    signal.signal(signal.SIGINT, _raise_interrupt)
    me = f"{socket.gethostname()}:{os.getpid()}"
    failures_in_a_row = 0
    waiting_said = False
    while True:
        claim = contextlib.ExitStack()
        claim.enter_context(storage_module.claim_lock(storage, study.study_name))
        try:
            fail_stale_trials(study)
            counts = count(study.get_trials(deepcopy=False))
            action = decide(counts, target)
            if action == "run":
                if before_claim is not None:
                    before_claim(study, counts)
                started: list[optuna.Trial] = []

                def objective(trial: optuna.Trial) -> float:
                    claim.close()  # the trial exists now: let other workers claim theirs
                    started.append(trial)
                    log(f"trial {trial.number}: started by {me}, run folder {trial_module.run_directory(settings.out, trial.number)}")
                    try:
                        return trial_module.run(trial, space, settings)
                    except trial_module.TrialError as error:
                        trial.set_user_attr("error", str(error))
                        raise

                study.optimize(objective, n_trials=1, catch=(trial_module.TrialError,))
        finally:
            claim.close()
        if action == "done":
            return counts
        if action == "wait":
            if not waiting_said:
                log(f"{counts.running} trial(s) still running elsewhere; waiting (a dead worker's trial "
                    f"is retried once its heartbeat is {3 * storage.heartbeat_interval} s old)")
                waiting_said = True
            time.sleep(min(5.0, float(storage.heartbeat_interval)))
            continue
        waiting_said = False
        if not started:
            continue
        finished = storage.get_trial(started[0]._trial_id)
        log(describe(finished))
        if finished.state == TrialState.FAIL:
            failures_in_a_row += 1
            if failures_in_a_row >= MAX_FAILURES_IN_A_ROW:
                raise WorkerError(f"{MAX_FAILURES_IN_A_ROW} trials in a row failed on this worker; the last: "
                                  f"{finished.user_attrs.get('error', 'see its train.log')}")
        else:
            failures_in_a_row = 0


def describe(t: optuna.trial.FrozenTrial) -> str:
    """One line per finished trial, for the worker's log."""
    a = t.user_attrs
    if t.state == TrialState.COMPLETE:
        tts = a.get("time_to_success_s")
        reached = f"time to success {tts:.1f} s" if tts is not None else "success not reached"
        final = a.get("final_success_rate")
        final_text = f"final randomised success {final * 100:.0f} %" if final is not None else ""
        return f"trial {t.number}: complete, objective {objective_text(t.value)}, {reached}, {final_text}"
    if t.state == TrialState.PRUNED:
        return f"trial {t.number}: pruned at {a.get('pruned_at_s')} s of training"
    why = a.get("error") or f"see {a.get('run_dir')}/train.log"
    return f"trial {t.number}: {t.state.name.lower()}, not counted ({why})"


def interrupted_exit(error: BaseException) -> int:
    print(f"interrupted ({error}): the running trial is marked failed and is not counted", file=sys.stderr)
    return 130
