"""A tiny study on the SQLite default with two `furuta sweep` workers at once."""

from __future__ import annotations

import json
import os
import signal
import subprocess

import yaml
from optuna.trial import TrialState

from study_helpers import by_state, load, metrics_rows, read, start_worker, wait_all, wait_for


def test_two_workers_share_a_sqlite_study_and_end_with_exactly_the_trials_asked_for(furuta_bin, tiny_space, tmp_path):
    out = str(tmp_path / "out")
    storage = f"sqlite:///{tmp_path}/study.db"
    workers = [start_worker(furuta_bin, storage, "tiny", tiny_space, 4, out, str(tmp_path / f"worker{i}.log"))
               for i in range(2)]
    codes = wait_all(workers, timeout_s=240)
    logs = [read(str(tmp_path / f"worker{i}.log")) for i in range(2)]
    assert codes == [0, 0], logs

    trials = load(storage, "tiny")
    counted = by_state(trials, TrialState.COMPLETE, TrialState.PRUNED)
    assert len(counted) == 4, [(t.number, t.state) for t in trials]
    assert by_state(trials, TrialState.RUNNING, TrialState.WAITING, TrialState.FAIL) == []
    assert sorted(t.number for t in trials) == list(range(len(trials)))
    # Both workers ran trials, and each trial's run folder is kept with its results.
    assert len({t.user_attrs["worker"] for t in trials}) == 2
    for t in trials:
        run_dir = t.user_attrs["run_dir"]
        assert run_dir == os.path.join(os.path.abspath(out), "trials", f"trial-{t.number:04d}")
        assert os.path.isfile(os.path.join(run_dir, "summary.json"))
        assert os.path.isfile(os.path.join(run_dir, "metrics.csv"))
        assert t.intermediate_values, f"trial {t.number} reported no evaluation to the pruner"
    for t in by_state(trials, TrialState.COMPLETE):
        assert 0.0 <= t.user_attrs["final_success_rate"] <= 1.0
        assert os.path.isfile(os.path.join(t.user_attrs["run_dir"], "final-eval.json"))

    # The results: one table row per trial, both plots, and a best.yaml the trainer takes as is.
    table = read(os.path.join(out, "trials.csv")).strip().splitlines()
    assert len(table) == 1 + len(trials)
    for plot in ("objective.svg", "importances.svg"):
        assert read(os.path.join(out, plot)).startswith("<svg")
    best_yaml = os.path.join(out, "best.yaml")
    config = yaml.safe_load(read(best_yaml))
    assert config["environment"]["count"] == 16  # the fixed overrides are part of it
    assert {"learningRate", "epochs", "hiddenWidths"} <= set(config["ppo"])
    printed = subprocess.run([furuta_bin, "train", "--config", best_yaml, "--print-config"],
                             capture_output=True, text=True)
    assert printed.returncode == 0, printed.stderr
    effective = yaml.safe_load(printed.stdout)
    assert effective["ppo"]["epochs"] == config["ppo"]["epochs"]
    assert effective["ppo"]["hiddenWidths"] == config["ppo"]["hiddenWidths"]


def test_a_worker_joining_a_finished_study_runs_nothing_and_rewrites_the_results(furuta_bin, tiny_space, tmp_path):
    out = str(tmp_path / "out")
    storage = f"sqlite:///{tmp_path}/study.db"
    first = start_worker(furuta_bin, storage, "done", tiny_space, 2, out, str(tmp_path / "first.log"))
    assert wait_all([first], 180) == [0], read(str(tmp_path / "first.log"))
    os.remove(os.path.join(out, "trials.csv"))
    late = start_worker(furuta_bin, storage, "done", tiny_space, 2, out, str(tmp_path / "late.log"))
    assert wait_all([late], 120) == [0], read(str(tmp_path / "late.log"))
    assert len(load(storage, "done")) == 2
    assert os.path.isfile(os.path.join(out, "trials.csv"))
    assert "started by" not in read(str(tmp_path / "late.log"))


def test_joining_with_a_different_search_space_is_refused(furuta_bin, tiny_space, tmp_path):
    storage = f"sqlite:///{tmp_path}/study.db"
    out = str(tmp_path / "out")
    first = start_worker(furuta_bin, storage, "s", tiny_space, 1, out, str(tmp_path / "a.log"))
    assert wait_all([first], 120) == [0], read(str(tmp_path / "a.log"))
    other = tmp_path / "other.yaml"
    other.write_text(read(tiny_space).replace("high: 4}", "high: 5}"))
    second = start_worker(furuta_bin, storage, "s", str(other), 1, out, str(tmp_path / "b.log"))
    assert wait_all([second], 60) == [1]
    assert "different space" in read(str(tmp_path / "b.log"))


def test_a_worker_stopped_with_sigterm_fails_its_trial_and_its_trainer_saves(furuta_bin, tiny_space, tmp_path):
    out = str(tmp_path / "out")
    storage = f"sqlite:///{tmp_path}/study.db"
    worker = start_worker(furuta_bin, storage, "stopped", tiny_space, 2, out, str(tmp_path / "w.log"),
                          "--trial-seconds", "60")
    run_dir = os.path.join(out, "trials", "trial-0000")
    wait_for(lambda: metrics_rows(run_dir) >= 3, 90, "the trial to be training", alive=worker)
    worker.send_signal(signal.SIGTERM)
    assert wait_all([worker], 90) == [130], read(str(tmp_path / "w.log"))
    (t,) = load(storage, "stopped")
    assert t.state == TrialState.FAIL  # not counted; its slot goes to the next trial
    summary = json.loads(read(os.path.join(run_dir, "summary.json")))  # the trainer saved
    assert summary["wall_s"] < 60
    assert "not counted" in read(str(tmp_path / "w.log"))
