"""The objective, the claim rule, seeds summaries and the metrics watcher, on made-up data."""

from __future__ import annotations

import math

import pytest

from furuta_sweep import objective, seeds
from furuta_sweep.metrics_watch import MetricsWatch
from furuta_sweep.worker import Counts, decide


def test_a_run_that_succeeded_scores_its_time_to_success():
    assert objective.objective_value({"time_to_success_s": 17.5, "best_success_rate": 1.0}, 60) == 17.5


def test_a_run_that_never_succeeded_scores_above_the_budget_ordered_by_how_close_it_came():
    close = objective.objective_value({"best_success_rate": 0.9}, 60)
    far = objective.objective_value({"best_success_rate": 0.1}, 60)
    nothing = objective.objective_value({}, 60)
    assert 60 < close < far < nothing == 120


def test_the_steps_objective_scores_env_steps_and_penalises_the_same_way():
    assert objective.objective_value({"env_steps_to_success": 8000, "env_steps": 9000}, 60, "steps") == 8000
    assert objective.objective_value({"env_steps": 10000, "best_success_rate": 0.5}, 60, "steps") == 15000


def test_the_constraint_is_feasible_exactly_when_the_final_rate_reaches_the_minimum():
    assert objective.constraint(0.95, 0.9) < 0
    assert objective.constraint(0.9, 0.9) == 0
    assert objective.constraint(0.5, 0.9) > 0


@pytest.mark.parametrize("counts, action", [
    (Counts(counted=0, running=0, waiting=0, failed=0), "run"),
    (Counts(counted=2, running=1, waiting=0, failed=0), "wait"),   # the last slot is being run
    (Counts(counted=2, running=0, waiting=1, failed=1), "run"),    # a dead worker's retry waits
    (Counts(counted=2, running=0, waiting=0, failed=5), "run"),    # failures free their slots
    (Counts(counted=3, running=0, waiting=0, failed=1), "done"),
    (Counts(counted=3, running=1, waiting=0, failed=0), "wait"),   # surplus never started
])
def test_a_worker_starts_a_trial_only_while_the_study_is_short_of_its_target(counts, action):
    assert decide(counts, target=3) == action


def test_seeds_are_a_count_a_list_or_a_range():
    assert seeds.parse_seeds("3") == [1, 2, 3]
    assert seeds.parse_seeds("4,9") == [4, 9]
    assert seeds.parse_seeds("10-12") == [10, 11, 12]
    with pytest.raises(ValueError):
        seeds.parse_seeds("1,1")


def test_the_spread_of_times_counts_a_seed_that_never_succeeded_as_the_worst():
    result = seeds.spread([20.0, 10.0, math.inf, 30.0])
    assert result["median"] == 25.0
    assert result["best"] == 10.0
    assert result["worst"] is None  # not reached
    rates = seeds.spread([1.0, 0.9, 0.5], lower_is_better=False)
    assert rates["worst"] == 0.5 and rates["best"] == 1.0 and rates["median"] == 0.9


def test_the_metrics_watch_reports_each_second_once_with_the_latest_evaluation_and_waits_for_whole_lines(tmp_path):
    path = tmp_path / "metrics.csv"
    watch = MetricsWatch(str(path), every_s=1)
    assert watch.poll() == []  # no file yet
    path.write_text("iteration,elapsed_s,eval_success_rate\n1,0.4,\n2,0.9,0.25\n3,1.")
    assert watch.poll() == []  # row 3 is not complete yet
    with open(path, "a") as handle:
        handle.write("3,\n4,3.2,0.5\n")
    reports = watch.poll()
    assert [(r.step_s, r.latest_success_rate) for r in reports] == [(1, 0.25), (2, 0.25), (3, 0.25)]
    assert watch.latest_success_rate == 0.5
    assert watch.rows == 4
