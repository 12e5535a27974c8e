"""Choosing the best trial and writing it as a training config, on made-up trials."""

from __future__ import annotations

import optuna
import yaml
from optuna.distributions import FloatDistribution

from furuta_sweep import results
from furuta_sweep.space import parse


def _trial(value: float, rate: float, lr: float) -> optuna.trial.FrozenTrial:
    return optuna.create_trial(value=value, params={"ppo.learningRate": lr},
                               distributions={"ppo.learningRate": FloatDistribution(1e-4, 1e-2, log=True)},
                               user_attrs={"constraint": [0.9 - rate], "final_success_rate": rate,
                                           "time_to_success_s": value})


SPACE = parse("fixed: {environment.count: 64}\nparameters:\n"
              "  ppo.learningRate: {type: float, low: 1.0e-4, high: 1.0e-2, log: true}\n", "s.yaml")


def test_the_best_trial_is_the_fastest_that_meets_the_constraint():
    fast_but_unreliable, slower, slowest = _trial(10, 0.5, 1e-3), _trial(20, 0.95, 2e-3), _trial(30, 1.0, 3e-3)
    best, met = results.best_trial([fast_but_unreliable, slower, slowest])
    assert best is slower and met


def test_without_a_feasible_trial_the_fastest_is_best_and_says_so():
    a, b = _trial(10, 0.5, 1e-3), _trial(20, 0.6, 2e-3)
    best, met = results.best_trial([b, a])
    assert best is a and not met
    assert "NO trial met it" in results.best_yaml("s", a, met, SPACE, None, 0.9)


def test_best_yaml_holds_the_fixed_overrides_and_the_parameters_nested(tmp_path):
    base = tmp_path / "base.yaml"
    base.write_text("maxSeconds: 300\nppo:\n  epochs: 7\n")
    text = results.best_yaml("s", _trial(20, 0.95, 2e-3), True, SPACE, str(base), 0.9)
    assert yaml.safe_load(text) == {"maxSeconds": 300, "ppo": {"epochs": 7, "learningRate": 2e-3},
                                     "environment": {"count": 64}}
    assert "furuta train --config best.yaml" in text


def test_another_algorithm_is_a_key_when_the_trainer_has_one_and_a_flag_otherwise():
    sac = parse("algorithm: sac\nparameters:\n  ppo.learningRate: {type: float, low: 1.0e-4, high: 1.0e-2}\n", "s")
    as_key = results.best_yaml("s", _trial(20, 0.95, 2e-3), True, sac, None, 0.9, algorithm_in_config=True)
    assert yaml.safe_load(as_key)["algorithm"] == "sac"
    assert "furuta train --config best.yaml" in as_key
    as_flag = results.best_yaml("s", _trial(20, 0.95, 2e-3), True, sac, None, 0.9, algorithm_in_config=False)
    assert "algorithm" not in yaml.safe_load(as_flag)
    assert "furuta train --algorithm sac --config best.yaml" in as_flag
