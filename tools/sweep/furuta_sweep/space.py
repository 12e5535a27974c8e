"""The search space file: what a study tunes and what every trial shares.

    # configs/sweeps/ppo-swingup.yaml
    algorithm: ppo                 # optional; anything but ppo is passed as --algorithm NAME
    fixed:                         # overrides every trial gets (dotted `furuta train` keys)
      environment.count: 128
    parameters:                    # one entry per tuned key
      ppo.learningRate: {type: float, low: 1.0e-4, high: 3.0e-3, log: true}
      ppo.epochs:       {type: int, low: 3, high: 8}
      ppo.hiddenWidths: {type: categorical, choices: [[64, 64], [128, 128]]}

Keys are the ones `furuta train --print-config` lists; the driver checks them with the trainer
itself before the first trial, so a typo fails at once with the trainer's message.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from typing import Any

import optuna
import yaml


class SpaceError(Exception):
    """A search space file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class Parameter:
    """One tuned key: a float or int range (optionally log-scaled or stepped) or a choice."""

    key: str
    kind: str  # "float", "int" or "categorical"
    low: float | int | None = None
    high: float | int | None = None
    log: bool = False
    step: float | int | None = None
    choices: tuple[Any, ...] = ()

    def suggest(self, trial: optuna.Trial) -> Any:
        """The trial's value for this key (sampled, or the fixed value of an enqueued trial)."""
        if self.kind == "float":
            return trial.suggest_float(self.key, self.low, self.high, log=self.log, step=self.step)
        if self.kind == "int":
            return trial.suggest_int(self.key, self.low, self.high, log=self.log, step=self.step or 1)
        # Optuna stores only scalars as choices: lists are stored as their JSON text.
        labels = [_choice_label(c) for c in self.choices]
        label = trial.suggest_categorical(self.key, labels)
        return self.choices[labels.index(label)]

    def extremes(self) -> list[Any]:
        """Values that exercise the whole range, for checking the key with the trainer."""
        if self.kind == "categorical":
            # Every choice, unless there are many of the same kind (a list of seeds).
            return list(self.choices) if len(self.choices) <= 8 else [self.choices[0], self.choices[-1]]
        return [self.low, self.high]

    def value_of(self, stored: Any) -> Any:
        """The configuration value behind a parameter value as Optuna stored it."""
        if self.kind == "categorical":
            labels = [_choice_label(c) for c in self.choices]
            if stored in labels:
                return self.choices[labels.index(stored)]
        return stored


@dataclass(frozen=True)
class SearchSpace:
    """A parsed search space file."""

    source: str
    algorithm: str = "ppo"
    fixed: dict[str, Any] = field(default_factory=dict)
    parameters: tuple[Parameter, ...] = ()
    fingerprint: str = ""

    @property
    def train_arguments(self) -> list[str]:
        """Arguments `furuta train` needs for this space's algorithm (PPO is the default)."""
        return [] if self.algorithm == "ppo" else ["--algorithm", self.algorithm]

    def parameter(self, key: str) -> Parameter | None:
        return next((p for p in self.parameters if p.key == key), None)

    def config_values(self, stored_params: dict[str, Any]) -> dict[str, Any]:
        """Fixed overrides then the trial's parameters, as configuration values by dotted key."""
        values = dict(self.fixed)
        for key, stored in stored_params.items():
            parameter = self.parameter(key)
            values[key] = parameter.value_of(stored) if parameter else stored
        return values


def _choice_label(choice: Any) -> Any:
    if choice is None or isinstance(choice, (bool, int, float, str)):
        return choice
    return json.dumps(choice)


_PARAMETER_FIELDS = {"type", "low", "high", "log", "step", "choices"}
_TOP_LEVEL_FIELDS = {"algorithm", "fixed", "parameters", "description"}


def _number(value: Any, where: str) -> float | int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise SpaceError(f"{where}: must be a finite number, found {value!r}")
    return value


def _parameter(key: str, spec: Any, source: str) -> Parameter:
    where = f"{source}: parameters.{key}"
    if not isinstance(spec, dict):
        raise SpaceError(f"{where}: must be a mapping like {{type: float, low: 0.1, high: 1}}")
    unknown = set(spec) - _PARAMETER_FIELDS
    if unknown:
        raise SpaceError(f"{where}: unknown field(s) {', '.join(sorted(unknown))} (known: {', '.join(sorted(_PARAMETER_FIELDS))})")
    kind = spec.get("type")
    if kind == "categorical":
        choices = spec.get("choices")
        if not isinstance(choices, list) or not choices:
            raise SpaceError(f"{where}: categorical needs a non-empty list 'choices'")
        labels = [_choice_label(c) for c in choices]
        if len(set(map(json.dumps, labels))) != len(labels):
            raise SpaceError(f"{where}: choices must be distinct")
        extra = set(spec) - {"type", "choices"}
        if extra:
            raise SpaceError(f"{where}: categorical takes only 'choices', found {', '.join(sorted(extra))}")
        return Parameter(key, "categorical", choices=tuple(choices))
    if kind not in ("float", "int"):
        raise SpaceError(f"{where}: type must be float, int or categorical, found {kind!r}")
    if "choices" in spec:
        raise SpaceError(f"{where}: 'choices' belongs to type categorical")
    for name in ("low", "high"):
        if name not in spec:
            raise SpaceError(f"{where}: {kind} needs '{name}'")
    low, high = _number(spec["low"], f"{where}.low"), _number(spec["high"], f"{where}.high")
    if kind == "int" and (not isinstance(low, int) or not isinstance(high, int)):
        raise SpaceError(f"{where}: int bounds must be integers, found low {low!r}, high {high!r}")
    if not low < high:
        raise SpaceError(f"{where}: low must be below high, found low {low}, high {high}")
    log = spec.get("log", False)
    if not isinstance(log, bool):
        raise SpaceError(f"{where}.log: must be true or false, found {log!r}")
    if log and low <= 0:
        raise SpaceError(f"{where}: a log-scaled range needs low > 0, found {low}")
    step = spec.get("step")
    if step is not None:
        step = _number(step, f"{where}.step")
        if step <= 0:
            raise SpaceError(f"{where}.step: must be positive, found {step}")
        if log:
            raise SpaceError(f"{where}: step and log cannot be combined (Optuna's rule)")
        if kind == "int" and not isinstance(step, int):
            raise SpaceError(f"{where}.step: must be an integer for type int, found {step!r}")
    return Parameter(key, kind, low=low, high=high, log=log, step=step)


def parse(text: str, source: str) -> SearchSpace:
    """A search space from YAML text; `source` names the file in messages."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise SpaceError(f"{source}: not valid YAML: {error}") from None
    if not isinstance(document, dict):
        raise SpaceError(f"{source}: must be a mapping with 'parameters' (and optionally 'fixed', 'algorithm')")
    unknown = set(document) - _TOP_LEVEL_FIELDS
    if unknown:
        raise SpaceError(f"{source}: unknown key(s) {', '.join(sorted(unknown))} (known: {', '.join(sorted(_TOP_LEVEL_FIELDS))})")
    algorithm = document.get("algorithm", "ppo")
    if not isinstance(algorithm, str) or not algorithm:
        raise SpaceError(f"{source}: algorithm must be a name such as ppo or sac, found {algorithm!r}")
    fixed = document.get("fixed") or {}
    if not isinstance(fixed, dict) or not all(isinstance(k, str) for k in fixed):
        raise SpaceError(f"{source}: fixed must be a mapping of dotted keys to values")
    spec = document.get("parameters")
    if not isinstance(spec, dict) or not spec:
        raise SpaceError(f"{source}: parameters must be a non-empty mapping of dotted keys to ranges")
    parameters = tuple(_parameter(str(key), value, source) for key, value in spec.items())
    both = sorted(set(fixed) & {p.key for p in parameters})
    if both:
        raise SpaceError(f"{source}: {', '.join(both)} is both fixed and tuned")
    fingerprint = hashlib.sha256(json.dumps([algorithm, fixed, spec], sort_keys=True, default=str).encode()).hexdigest()[:16]
    return SearchSpace(source, algorithm, dict(fixed), parameters, fingerprint)


def load(path: str) -> SearchSpace:
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as error:
        raise SpaceError(f"{path}: cannot read the search space file ({error.strerror})") from None
    return parse(text, path)
