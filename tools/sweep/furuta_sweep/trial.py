"""One trial: `furuta train` with the trial's overrides, watched, pruned, then scored.

    RUN = OUT/trials/trial-NNNN            (kept, whatever the trial's fate)
    furuta train --out RUN --quiet [--algorithm A] [--config BASE] fixed... params... maxSeconds=S
    furuta eval --policy RUN/final.policy --randomized --episodes E --seed 424242 --json

While the trainer runs, its metrics.csv is polled; every `report_s` seconds of training time the
latest evaluation success goes to `trial.report`, and when the pruner says so the trainer gets
SIGTERM (it saves and exits) and the trial ends PRUNED. Afterwards summary.json gives the
objective and the randomised evaluation the constraint (see objective.py).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
from dataclasses import dataclass

import optuna
import yaml

from . import config_values, objective, train_process
from .metrics_watch import MetricsWatch
from .space import SearchSpace

# Seed of the final evaluation's episodes: apart from the trainer's in-run evaluations (777 +
# iteration) and `furuta eval`'s default, so the constraint is scored on episodes no one tuned on.
FINAL_EVALUATION_SEED = 424242


class TrialError(Exception):
    """The trainer or the evaluation failed: the trial is FAIL (not retried, not counted)."""


@dataclass(frozen=True)
class TrialSettings:
    furuta: str
    out: str
    trial_seconds: float | None
    final_episodes: int
    min_final_success: float
    report_seconds: int
    objective: str = "time"
    base_config: str | None = None
    robot: str | None = None
    poll_seconds: float = 0.5


def run_directory(out: str, number: int) -> str:
    return os.path.join(out, "trials", f"trial-{number:04d}")


def train_command(settings: TrialSettings, space: SearchSpace, values: dict, run_dir: str) -> list[str]:
    command = [settings.furuta, "train", "--out", run_dir, "--quiet", *space.train_arguments]
    if settings.base_config:
        command += ["--config", settings.base_config]
    if settings.robot:
        command += ["--robot", settings.robot]
    command += [config_values.override(k, v) for k, v in values.items()]
    if settings.trial_seconds is not None:
        command.append(config_values.override("maxSeconds", float(settings.trial_seconds)))
    return command


def _budget_s(settings: TrialSettings, run_dir: str) -> float:
    """The trial's training budget: --trial-seconds, else the run's own maxSeconds."""
    if settings.trial_seconds is not None:
        return float(settings.trial_seconds)
    try:
        with open(os.path.join(run_dir, "config.yaml"), encoding="utf-8") as handle:
            return float(yaml.safe_load(handle).get("maxSeconds", 600.0))
    except (OSError, ValueError, AttributeError, TypeError):
        return 600.0


def _read_json(path: str) -> dict:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def _final_evaluation(settings: TrialSettings, run_dir: str) -> dict:
    """`furuta eval --randomized` of final.policy; its JSON (RUN/final-eval.json)."""
    command = [settings.furuta, "eval", "--policy", os.path.join(run_dir, "final.policy"), "--randomized",
               "--episodes", str(settings.final_episodes), "--seed", str(FINAL_EVALUATION_SEED), "--json"]
    if settings.robot:
        command += ["--robot", settings.robot]
    output, log = os.path.join(run_dir, "final-eval.json"), os.path.join(run_dir, "final-eval.log")
    with open(output, "wb") as out_handle, open(log, "wb") as err_handle:
        code = subprocess.run(command, stdout=out_handle, stderr=err_handle, stdin=subprocess.DEVNULL,
                              timeout=max(120.0, settings.final_episodes * 5.0)).returncode
    if code != 0:
        raise TrialError(f"furuta eval failed (exit {code}): {train_process.tail(log)}")
    return _read_json(output)


def run(trial: optuna.Trial, space: SearchSpace, settings: TrialSettings) -> float:
    """The objective function: runs the trial and returns its objective value."""
    run_dir = run_directory(settings.out, trial.number)
    if os.path.exists(os.path.join(run_dir, "metrics.csv")):
        raise TrialError(f"{run_dir} already holds a run: is another study using the same --out? "
                         "Give each study its own --out")
    os.makedirs(run_dir, exist_ok=True)
    stored = {p.key: p.suggest(trial) for p in space.parameters}
    values = space.config_values({k: trial.params[k] for k in stored})
    # A retried trial arrives with its predecessor's attributes: overwrite every one.
    trial.set_user_attr("run_dir", os.path.abspath(run_dir))
    trial.set_user_attr("worker", f"{socket.gethostname()}:{os.getpid()}")
    trial.set_user_attr("overrides", {k: config_values.yaml_text(v) for k, v in values.items()})
    for stale in ("time_to_success_s", "final_success_rate", "best_success_rate", "stopped_because",
                  "env_steps", "wall_s", "pruned_at_s"):
        trial.set_user_attr(stale, None)
    trial.set_user_attr("constraint", [1.0])  # infeasible until scored

    command = train_command(settings, space, values, run_dir)
    log = os.path.join(run_dir, "train.log")
    with open(log, "w", encoding="utf-8") as handle:
        handle.write("$ " + " ".join(command) + "\n")
    watch = MetricsWatch(os.path.join(run_dir, "metrics.csv"), settings.report_seconds)
    # Hard limit: the budget plus time to save and export (the trainer stops itself first).
    hard_limit = None if settings.trial_seconds is None else time.monotonic() + settings.trial_seconds * 1.5 + 120
    process = train_process.start(command, log)
    try:
        while True:
            finished = process.poll() is not None
            for report in watch.poll():
                trial.report(objective.intermediate_value(report.latest_success_rate), report.step_s)
                if trial.should_prune():
                    train_process.stop(process)
                    trial.set_user_attr("pruned_at_s", report.step_s)
                    _record_summary(trial, run_dir)
                    raise optuna.TrialPruned(
                        f"at {report.step_s} s of training, latest evaluation success "
                        f"{(report.latest_success_rate or 0) * 100:.0f} %")
            if finished:
                break
            if hard_limit is not None and time.monotonic() > hard_limit:
                train_process.stop(process)
                break
            time.sleep(settings.poll_seconds)
    finally:
        if process.poll() is None:
            train_process.stop(process)
    summary_path = os.path.join(run_dir, "summary.json")
    if not os.path.exists(summary_path) or not os.path.exists(os.path.join(run_dir, "final.policy")):
        raise TrialError(f"furuta train exited {process.returncode} without a summary: {train_process.tail(log)}")
    summary = _record_summary(trial, run_dir)
    evaluation = _final_evaluation(settings, run_dir)
    rate = evaluation["successes"] / evaluation["episodes"]
    trial.set_user_attr("final_success_rate", rate)
    c = objective.constraint(rate, settings.min_final_success)
    trial.set_user_attr("constraint", [c])  # read by results.py (user attributes are ours to overwrite)
    trial.set_constraint("final_success", c)  # read by the TPE sampler
    return objective.objective_value(summary, _budget_s(settings, run_dir), settings.objective)


def _record_summary(trial: optuna.Trial, run_dir: str) -> dict:
    try:
        summary = _read_json(os.path.join(run_dir, "summary.json"))
    except (OSError, ValueError):
        return {}
    for key in ("time_to_success_s", "best_success_rate", "stopped_because", "env_steps", "wall_s"):
        trial.set_user_attr(key, summary.get(key))
    return summary
