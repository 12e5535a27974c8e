"""Search space files and the values they turn into on `furuta train`'s command line."""

from __future__ import annotations

import glob
import os
import subprocess

import optuna
import pytest

from conftest import REPO
from furuta_sweep import config_values
from furuta_sweep.cli import validate_with_trainer, SweepError
from furuta_sweep.space import SpaceError, load, parse


def test_a_space_parses_ranges_choices_and_fixed_overrides():
    space = parse("""
algorithm: ppo
fixed: {environment.count: 64}
parameters:
  ppo.learningRate: {type: float, low: 1.0e-4, high: 1.0e-2, log: true}
  ppo.epochs: {type: int, low: 2, high: 9, step: 1}
  ppo.hiddenWidths: {type: categorical, choices: [[64, 64], [128]]}
""", "s.yaml")
    assert space.train_arguments == []
    assert [p.kind for p in space.parameters] == ["float", "int", "categorical"]
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=3))
    trial = study.ask()
    values = {p.key: p.suggest(trial) for p in space.parameters}
    assert 1e-4 <= values["ppo.learningRate"] <= 1e-2
    assert values["ppo.hiddenWidths"] in ([64, 64], [128])
    # Lists are stored by Optuna as JSON text and come back as lists.
    assert space.config_values(trial.params)["ppo.hiddenWidths"] == values["ppo.hiddenWidths"]
    assert space.config_values(trial.params)["environment.count"] == 64


def test_another_algorithm_is_passed_to_the_trainer():
    space = parse("algorithm: sac\nparameters:\n  sac.tau: {type: float, low: 0.001, high: 0.01}\n", "s.yaml")
    assert space.train_arguments == ["--algorithm", "sac"]


@pytest.mark.parametrize("text, message", [
    ("parameters: {}", "non-empty"),
    ("parameters:\n  a: {type: float, low: 1, high: 1}", "low must be below high"),
    ("parameters:\n  a: {type: float, low: 0, high: 1, log: true}", "log-scaled range needs low > 0"),
    ("parameters:\n  a: {type: int, low: 1.5, high: 3}", "int bounds must be integers"),
    ("parameters:\n  a: {type: float, low: 0, hgh: 1}", "unknown field(s) hgh"),
    ("parameters:\n  a: {type: choice, choices: [1]}", "type must be float, int or categorical"),
    ("parameters:\n  a: {type: categorical, choices: []}", "non-empty list 'choices'"),
    ("fixed: {a: 1}\nparameters:\n  a: {type: int, low: 1, high: 3}", "a is both fixed and tuned"),
    ("paramters:\n  a: {type: int, low: 1, high: 3}", "unknown key(s) paramters"),
    ("parameters: [1, 2", "not valid YAML"),
])
def test_a_bad_space_is_refused_with_the_file_and_key_named(text, message):
    with pytest.raises(SpaceError) as error:
        parse(text, "bad.yaml")
    assert message in str(error.value)
    assert str(error.value).startswith("bad.yaml")


@pytest.mark.parametrize("value, text", [
    (1e-05, "1.0e-05"), (0.001, "0.001"), (3, "3"), (True, "true"), ([64, 64], "[64, 64]"), ("tanh", '"tanh"'),
])
def test_override_values_are_yaml_meaning_the_same_value(value, text):
    assert config_values.yaml_text(value) == text


def test_dotted_keys_nest_into_the_train_config_shape():
    assert config_values.nested({"ppo.learningRate": 0.001, "ppo.epochs": 3, "maxSeconds": 9.0}) == {
        "ppo": {"learningRate": 0.001, "epochs": 3}, "maxSeconds": 9.0}


def test_the_shipped_ppo_space_is_accepted_by_the_trainer(furuta_bin):
    validate_with_trainer(furuta_bin, load(os.path.join(REPO, "configs/sweeps/ppo-swingup.yaml")), None)


def test_every_shipped_space_parses():
    paths = glob.glob(os.path.join(REPO, "configs/sweeps/*.yaml"))
    assert paths
    for path in paths:
        assert load(path).parameters


def test_a_key_the_trainer_does_not_know_fails_before_any_trial_in_the_trainers_words(furuta_bin):
    space = parse("parameters:\n  ppo.learningRat: {type: float, low: 0.001, high: 0.01}\n", "typo.yaml")
    with pytest.raises(SweepError) as error:
        validate_with_trainer(furuta_bin, space, None)
    assert "typo.yaml" in str(error.value) and "unknown key 'ppo.learningRat'" in str(error.value)


def test_sweep_without_optuna_says_how_to_install_it(furuta_bin, tmp_path):
    bare = tmp_path / "bare"
    subprocess.run(["python3", "-m", "venv", "--without-pip", str(bare)], check=True)
    done = subprocess.run([furuta_bin, "sweep", "--study", "x", "--space", "s.yaml"], capture_output=True, text=True,
                          env={**os.environ, "FURUTA_PYTHON": str(bare / "bin" / "python3")})
    assert done.returncode == 3
    assert "needs Optuna" in done.stderr and "requirements-test.txt" in done.stderr


def test_sweep_without_python_says_so(furuta_bin):
    done = subprocess.run([furuta_bin, "sweep", "--study", "x", "--space", "s.yaml"], capture_output=True, text=True,
                          env={**os.environ, "FURUTA_PYTHON": "/nonexistent/python3"})
    assert done.returncode != 0
    assert "FURUTA_PYTHON=/nonexistent/python3 is not an executable file" in done.stderr
