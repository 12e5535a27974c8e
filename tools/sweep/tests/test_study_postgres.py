"""A tiny study on a real PostgreSQL server with two workers, one of them killed mid-trial."""

from __future__ import annotations

import os
import signal
import subprocess
import time

from optuna.trial import TrialState

from study_helpers import by_state, load, metrics_rows, read, start_worker, wait_all, wait_for


def _trainers_of(run_dir: str) -> list[int]:
    """PIDs of `furuta train` processes writing to run_dir."""
    listing = subprocess.run(["ps", "-eo", "pid=,args="], capture_output=True, text=True).stdout
    return [int(line.split()[0]) for line in listing.splitlines() if " train " in line and run_dir in line]


def _running_trial_of(storage: str, study: str, pid: int):
    """The RUNNING trial of the worker with this pid, once it has been training a while."""
    try:
        trials = load(storage, study)
    except KeyError:  # the study does not exist yet
        return None
    for t in by_state(trials, TrialState.RUNNING):
        if t.user_attrs.get("worker", "").endswith(f":{pid}") and metrics_rows(t.user_attrs["run_dir"]) >= 3:
            return t
    return None


def test_a_worker_killed_mid_trial_leaves_the_study_consistent_and_the_other_carries_on(
        furuta_bin, tiny_space, postgres_url, tmp_path):
    out = str(tmp_path / "out")
    victim = start_worker(furuta_bin, postgres_url, "killed", tiny_space, 3, out, str(tmp_path / "victim.log"))
    survivor = start_worker(furuta_bin, postgres_url, "killed", tiny_space, 3, out, str(tmp_path / "survivor.log"))
    wait_for(lambda: _running_trial_of(postgres_url, "killed", victim.pid), 90,
             "the victim to be training a trial", alive=victim)
    killed = _running_trial_of(postgres_url, "killed", victim.pid)
    victim.send_signal(signal.SIGKILL)  # no chance to clean up: only the missing heartbeat tells
    victim.wait()
    run_dir = killed.user_attrs["run_dir"]

    # The killed worker's trainer got SIGTERM from the kernel (PR_SET_PDEATHSIG): no orphan
    # keeps training, and the trial's run folder is kept.
    wait_for(lambda: not _trainers_of(run_dir), 60, "the killed worker's trainer to stop")
    assert metrics_rows(run_dir) >= 3

    assert wait_all([survivor], 300) == [0], read(str(tmp_path / "survivor.log"))
    trials = load(postgres_url, "killed")
    states = [(t.number, t.state.name) for t in trials]
    counted = by_state(trials, TrialState.COMPLETE, TrialState.PRUNED)
    failed = by_state(trials, TrialState.FAIL)
    assert len(counted) == 3, states
    assert [t.number for t in failed] == [killed.number], states  # the killed trial, never counted
    assert by_state(trials, TrialState.RUNNING, TrialState.WAITING) == [], states
    assert sorted(t.number for t in trials) == list(range(4)), states  # nothing lost or doubled
    # The killed trial was retried once, with the same parameters, by the surviving worker.
    retries = [t for t in counted if t.system_attrs.get("failed_trial") == killed.number]
    assert len(retries) == 1, states
    assert retries[0].params == killed.params
    assert retries[0].user_attrs["worker"].endswith(f":{survivor.pid}")
    assert retries[0].user_attrs["run_dir"] != run_dir
    table = read(os.path.join(out, "trials.csv")).strip().splitlines()
    assert len(table) == 1 + 4
    assert sum(line.startswith(f"{killed.number},fail,") for line in table) == 1, table


def test_two_workers_on_postgres_split_the_trials_without_duplicates(furuta_bin, tiny_space, postgres_url, tmp_path):
    out_a, out_b = str(tmp_path / "machine-a"), str(tmp_path / "machine-b")  # as if on two machines
    workers = [start_worker(furuta_bin, postgres_url, "shared", tiny_space, 4, out, str(tmp_path / f"{i}.log"))
               for i, out in enumerate((out_a, out_b))]
    time.sleep(0.1)
    assert wait_all(workers, 240) == [0, 0], [read(str(tmp_path / f"{i}.log")) for i in range(2)]
    trials = load(postgres_url, "shared")
    assert len(by_state(trials, TrialState.COMPLETE, TrialState.PRUNED)) == 4
    assert len(trials) == 4
    folders = sorted(os.listdir(os.path.join(out_a, "trials")) + os.listdir(os.path.join(out_b, "trials")))
    assert folders == [f"trial-{n:04d}" for n in range(4)]  # each trial ran once, on one machine
    assert os.listdir(os.path.join(out_a, "trials")) and os.listdir(os.path.join(out_b, "trials"))
