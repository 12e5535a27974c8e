"""`furuta sweep` (or `python3 -m furuta_sweep --furuta PATH ...`): join a study, run trials
until it has N counted trials, then write the results. Exit 0 done, 1 error, 2 usage,
130 interrupted (the running trial is marked failed, not counted)."""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys

import optuna
import yaml

from . import config_values, objective, results, seeds, space as space_module, storage as storage_module
from . import trial as trial_module
from . import worker as worker_module

EXIT_ERROR, EXIT_USAGE = 1, 2


class SweepError(Exception):
    pass


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="furuta sweep", description=__doc__)
    p.add_argument("--storage", help="sqlite:///FILE.db (default OUT/study.db) or postgresql://USER@HOST:PORT/DB")
    p.add_argument("--study", required=True, help="study name; workers with the same storage and name join")
    p.add_argument("--space", help="search space YAML (configs/sweeps/*.yaml); not with --seeds")
    p.add_argument("--trials", type=int, default=20, help="counted (complete or pruned) trials the study ends with")
    p.add_argument("--out", help="results and trial run folders (default runs/sweeps/STUDY)")
    p.add_argument("--trial-seconds", type=float, help="training budget of each trial (maxSeconds)")
    p.add_argument("--config", help="base training config under the overrides (the configuration in --seeds mode)")
    p.add_argument("--robot", help="robot description passed to furuta train and eval")
    p.add_argument("--seeds", help="seeds mode: run --config over N seeds (5, 1,2,3 or 10-14)")
    p.add_argument("--algorithm", default=None, help="seeds mode: the algorithm of --config (default ppo)")
    p.add_argument("--seed-key", help="seeds mode: the config key of the seed (default ALGORITHM.seed)")
    p.add_argument("--objective", choices=objective.OBJECTIVES, default="time",
                   help="minimise time to success (s) or env steps to success")
    p.add_argument("--final-episodes", type=int, default=100, help="randomised episodes of each trial's final evaluation")
    p.add_argument("--min-final-success", type=float, default=0.9, help="constraint on the final randomised success rate")
    p.add_argument("--pruner", choices=("median", "none"), default="median", help="stop trials doing worse than the median")
    p.add_argument("--startup-trials", type=int, default=5, help="trials before TPE models and the pruner prunes")
    p.add_argument("--report-seconds", type=int, default=10, help="report the latest evaluation every S s of training")
    p.add_argument("--heartbeat-seconds", type=int, default=20, help="a trial whose worker is silent for 3x this is failed and retried")
    p.add_argument("--retries", type=int, default=1, help="retries of a trial whose worker died")
    p.add_argument("--sampler-seed", type=int, help="seed of the TPE sampler")
    p.add_argument("--furuta", default=os.environ.get("FURUTA_BIN", "furuta"), help="the furuta executable")
    return p


def _check(arguments: argparse.Namespace) -> None:
    if arguments.seeds is None and arguments.space is None:
        raise SweepError("give --space FILE.yaml (a search) or --seeds N --config FILE (one config over seeds)")
    if arguments.seeds is not None and arguments.space is not None:
        raise SweepError("--seeds runs one --config over seeds; it takes no --space")
    if arguments.seeds is not None and arguments.config is None:
        raise SweepError("--seeds needs --config FILE (e.g. the best.yaml of a study)")
    if arguments.trials < 0:
        raise SweepError("--trials must be >= 0 (0 only writes the results)")
    if arguments.trial_seconds is not None and not arguments.trial_seconds > 0:
        raise SweepError("--trial-seconds must be positive")
    if arguments.final_episodes < 1:
        raise SweepError("--final-episodes must be >= 1")
    if not 0 <= arguments.min_final_success <= 1:
        raise SweepError("--min-final-success is a rate in [0, 1]")
    if arguments.report_seconds < 1 or arguments.heartbeat_seconds < 1:
        raise SweepError("--report-seconds and --heartbeat-seconds must be >= 1")
    if arguments.algorithm is not None and arguments.seeds is None:
        raise SweepError("--algorithm is for --seeds; a search space names its algorithm in the file")


def validate_with_trainer(furuta: str, space: space_module.SearchSpace, base_config: str | None) -> dict:
    """Every fixed key and each parameter's extremes through `furuta train --print-config`,
    so a typo or a wrong type fails before the first trial, in the trainer's words; the
    configuration the trainer printed for the fixed overrides."""
    samples = [{}] + [{p.key: v} for p in space.parameters for v in p.extremes()]
    printed: dict = {}
    for sample in samples:
        command = [furuta, "train", "--print-config", *space.train_arguments]
        if base_config:
            command += ["--config", base_config]
        command += [config_values.override(k, v) for k, v in {**space.fixed, **sample}.items()]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        except FileNotFoundError:
            raise SweepError(f"cannot run '{furuta}': pass --furuta PATH or put furuta on PATH") from None
        if done.returncode != 0:
            message = (done.stderr.strip() or done.stdout.strip()).splitlines()
            raise SweepError(f"{space.source}: furuta train rejects {sample or space.fixed}: "
                             f"{message[-1] if message else 'exit ' + str(done.returncode)}")
        if not printed:
            printed = yaml.safe_load(done.stdout) or {}
    return printed


def _study(arguments, storage, space, seeds_mode: bool) -> optuna.Study:
    sampler = (optuna.samplers.RandomSampler(seed=arguments.sampler_seed) if seeds_mode else
               optuna.samplers.TPESampler(n_startup_trials=arguments.startup_trials, seed=arguments.sampler_seed))
    pruner = (optuna.pruners.MedianPruner(n_startup_trials=arguments.startup_trials, n_warmup_steps=0)
              if arguments.pruner == "median" and not seeds_mode else optuna.pruners.NopPruner())
    study = optuna.create_study(storage=storage, study_name=arguments.study, direction="minimize",
                                sampler=sampler, pruner=pruner, load_if_exists=True)
    # Workers that join must run the same experiment: refuse a different space or budget.
    identity = {"mode": "seeds" if seeds_mode else "search", "space": space.fingerprint,
                "trial_seconds": arguments.trial_seconds, "objective": arguments.objective,
                "min_final_success": arguments.min_final_success,
                "final_episodes": arguments.final_episodes}
    existing = study.user_attrs.get("furuta_sweep")
    if existing is not None:
        existing = {"objective": "time", **existing}  # studies begun before --objective existed
    if existing is None:
        study.set_user_attr("furuta_sweep", identity)
    elif existing != identity:
        differing = ", ".join(sorted(k for k in identity if existing.get(k) != identity[k]))
        raise SweepError(f"study '{arguments.study}' in {arguments.storage} was started with a different {differing} "
                         f"({existing}); join it with the same settings or choose another --study")
    return study


def main(argv: list[str] | None = None) -> int:
    arguments = parser().parse_args(argv)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    logging.getLogger("optuna").setLevel(logging.ERROR)  # failed trials are reported by the worker
    out = arguments.out or os.path.join("runs", "sweeps", arguments.study)
    arguments.storage = arguments.storage or f"sqlite:///{os.path.join(out, 'study.db')}"
    try:
        _check(arguments)
        seeds_mode = arguments.seeds is not None
        if seeds_mode:
            try:
                seed_list = seeds.parse_seeds(arguments.seeds)
            except ValueError as error:
                raise SweepError(str(error)) from None
            space = seeds.seed_space(arguments.algorithm or "ppo", seed_list, arguments.seed_key)
            target = len(seed_list)
        else:
            space = space_module.load(arguments.space)
            target = arguments.trials
        if arguments.config and not os.path.isfile(arguments.config):
            raise SweepError(f"--config {arguments.config}: no such file")
        printed = validate_with_trainer(arguments.furuta, space, arguments.config)
        os.makedirs(out, exist_ok=True)
        storage = storage_module.open_storage(arguments.storage, arguments.heartbeat_seconds, arguments.retries)
        study = _study(arguments, storage, space, seeds_mode)
        settings = trial_module.TrialSettings(
            furuta=arguments.furuta, out=out, trial_seconds=arguments.trial_seconds,
            final_episodes=arguments.final_episodes, min_final_success=arguments.min_final_success,
            report_seconds=arguments.report_seconds, objective=arguments.objective, base_config=arguments.config, robot=arguments.robot)
        print(f"study '{arguments.study}' in {arguments.storage}: {target} counted trials wanted; results in {out}",
              flush=True)
        hook = seeds.enqueue_next_seed(space) if seeds_mode else None
        try:
            if target == 0:  # only the results
                counts = worker_module.count(study.get_trials(deepcopy=False))
            else:
                counts = worker_module.run_worker(study, storage, space, settings, target, before_claim=hook,
                                                  log=lambda line: print(line, flush=True))
        except KeyboardInterrupt as error:
            return worker_module.interrupted_exit(error)
        written = results.write(study, space, out, arguments.config, arguments.min_final_success,
                                algorithm_in_config="algorithm" in printed, objective=arguments.objective)
        print(f"study done: {counts.counted} counted trials, {counts.failed} failed (not counted)")
        print(results.markdown_text(written["table"]), end="")
        if seeds_mode:
            summary = seeds.summary(study, space)
            with open(os.path.join(out, "seeds.json"), "w", encoding="utf-8") as handle:
                handle.write(seeds.json_text(summary))
            with open(os.path.join(out, "seeds.md"), "w", encoding="utf-8") as handle:
                handle.write(seeds.markdown(summary))
            print(seeds.markdown(summary), end="")
        elif written["best"] is not None:
            best = written["best"]
            print(f"best: trial {best.number}, objective {objective.objective_text(best.value)}"
                  f"{'' if written['met_constraint'] else ' (no trial met the final-success constraint)'}"
                  f" -> {os.path.join(out, 'best.yaml')}")
        else:
            print("no complete trial: no best.yaml")
        return 0
    except (SweepError, space_module.SpaceError, storage_module.StorageError, worker_module.WorkerError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_ERROR
