"""The pruning path: intermediate reports from a live metrics.csv stop the trainer early."""

from __future__ import annotations

import csv
import json
import os

import optuna
from optuna.trial import TrialState

from furuta_sweep import space as space_module
from furuta_sweep import trial as trial_module
from conftest import TINY_SPACE


def test_a_trial_the_pruner_rejects_stops_its_trainer_early_and_keeps_its_run_folder(furuta_bin, tmp_path):
    space = space_module.parse(TINY_SPACE, "tiny")
    settings = trial_module.TrialSettings(furuta=furuta_bin, out=str(tmp_path), trial_seconds=30,
                                          final_episodes=2, min_final_success=0.9, report_seconds=1)
    # Reports are 1 - success; untrained policies report 1.0 at 1 s, above the threshold.
    study = optuna.create_study(storage=f"sqlite:///{tmp_path}/s.db", pruner=optuna.pruners.ThresholdPruner(upper=0.5))
    study.optimize(lambda t: trial_module.run(t, space, settings), n_trials=1)
    (t,) = study.get_trials()
    assert t.state == TrialState.PRUNED
    assert t.user_attrs["pruned_at_s"] == 1
    assert t.intermediate_values == {1: 1.0}
    with open(os.path.join(t.user_attrs["run_dir"], "summary.json")) as handle:
        summary = json.load(handle)
    assert summary["wall_s"] < 10, summary  # stopped by SIGTERM long before its 30 s budget


def test_a_trial_nobody_prunes_runs_to_its_budget_and_is_scored(furuta_bin, tmp_path):
    space = space_module.parse(TINY_SPACE, "tiny")
    settings = trial_module.TrialSettings(furuta=furuta_bin, out=str(tmp_path), trial_seconds=2,
                                          final_episodes=2, min_final_success=0.9, report_seconds=1)
    study = optuna.create_study(storage=f"sqlite:///{tmp_path}/s.db", pruner=optuna.pruners.NopPruner())
    study.optimize(lambda t: trial_module.run(t, space, settings), n_trials=1)
    (t,) = study.get_trials()
    assert t.state == TrialState.COMPLETE
    with open(os.path.join(t.user_attrs["run_dir"], "summary.json")) as handle:
        summary = json.load(handle)
    assert summary["stopped_because"].startswith("time budget")
    # Not reached within the 2 s budget: scored as budget * (2 - best success) >= 2 s.
    if summary.get("time_to_success_s") is None:
        assert t.value == 2.0 * (2.0 - summary["best_success_rate"])
    assert t.user_attrs["constraint"] == [0.9 - t.user_attrs["final_success_rate"]]
    # One report per whole second of training that the metrics rows reached.
    with open(os.path.join(t.user_attrs["run_dir"], "metrics.csv")) as handle:
        last_elapsed = float(list(csv.DictReader(handle))[-1]["elapsed_s"])
    assert sorted(t.intermediate_values) == list(range(1, int(last_elapsed) + 1))
