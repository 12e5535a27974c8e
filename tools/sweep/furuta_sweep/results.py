"""What a study leaves in OUT: trials.csv and trials.md (every trial, whatever its state),
objective.svg and importances.svg, and best.yaml — the best trial's configuration as a file
`furuta train --config` takes as it is.

Best: the COMPLETE trial with the lowest objective among those meeting the constraint; if none
does, the lowest objective of all COMPLETE trials (best.yaml then says so in its header).
Importances: Optuna's PED-ANOVA evaluator (numpy only) on the COMPLETE trials' objective.
"""

from __future__ import annotations

import csv
import io
import os
import warnings
from typing import Any

import optuna
import yaml
from optuna.trial import FrozenTrial, TrialState

from . import config_values, svg_plots
from .space import SearchSpace


def _write(path: str, text: str) -> None:
    """Atomic: several workers may write the same results at the end."""
    temporary = f"{path}.{os.getpid()}.tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(temporary, path)


def feasible(t: FrozenTrial) -> bool:
    return t.state == TrialState.COMPLETE and all(c <= 0 for c in t.user_attrs.get("constraint", [1.0]))


def best_trial(trials: list[FrozenTrial]) -> tuple[FrozenTrial | None, bool]:
    """(best trial, whether it meets the constraint)."""
    complete = [t for t in trials if t.state == TrialState.COMPLETE and t.value is not None]
    good = [t for t in complete if feasible(t)]
    pool = good or complete
    if not pool:
        return None, False
    return min(pool, key=lambda t: (t.value, t.number)), bool(good)


def rows(trials: list[FrozenTrial], space: SearchSpace) -> list[dict[str, Any]]:
    table = []
    for t in sorted(trials, key=lambda t: t.number):
        a = t.user_attrs
        row = {
            "trial": t.number,
            "state": t.state.name.lower(),
            "objective": t.value,
            "time_to_success_s": a.get("time_to_success_s"),
            "final_success_rate": a.get("final_success_rate"),
            "feasible": feasible(t) if t.state == TrialState.COMPLETE else None,
            "best_eval_success_rate": a.get("best_success_rate"),
            "pruned_at_s": a.get("pruned_at_s"),
            "retry_of": t.system_attrs.get("failed_trial"),
            "worker": a.get("worker"),
            "run_dir": a.get("run_dir"),
        }
        for p in space.parameters:
            row[p.key] = t.params.get(p.key)
        table.append(row)
    return table


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def csv_text(table: list[dict[str, Any]]) -> str:
    if not table:
        return ""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(table[0]), lineterminator="\n")
    writer.writeheader()
    for row in table:
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
    return buffer.getvalue()


def markdown_text(table: list[dict[str, Any]], columns: list[str] | None = None) -> str:
    if not table:
        return "(no trials)\n"
    columns = columns or [c for c in table[0] if c not in ("run_dir", "worker")]
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(_cell(r.get(c)) for c in columns) + " |" for r in table]
    return "\n".join(lines) + "\n"


def importances(study: optuna.Study) -> tuple[dict[str, float], str]:
    complete = [t for t in study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))]
    if len(complete) < 2:
        return {}, "parameter importances need at least 2 complete trials"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            values = optuna.importance.get_param_importances(
                study, evaluator=optuna.importance.PedAnovaImportanceEvaluator())
    except (ValueError, RuntimeError) as error:
        return {}, f"no importances: {error}"
    note = "" if len(complete) >= 10 else f"only {len(complete)} complete trials: importances are rough"
    return dict(values), note


def best_config(trial: FrozenTrial, space: SearchSpace, base_config: str | None,
                algorithm_in_config: bool = False) -> dict[str, Any]:
    """The trial's configuration: base file, then fixed overrides, then its parameters; with
    the algorithm as a key when the trainer's configuration has one (so no flag is needed)."""
    document: dict[str, Any] = {}
    if algorithm_in_config and space.algorithm != "ppo":
        document["algorithm"] = space.algorithm
    if base_config:
        with open(base_config, encoding="utf-8") as handle:
            document = config_values.deep_merge(document, yaml.safe_load(handle) or {})
    return config_values.deep_merge(document, config_values.nested(space.config_values(trial.params)))


def best_yaml(study_name: str, trial: FrozenTrial, met_constraint: bool, space: SearchSpace,
              base_config: str | None, min_final_success: float, algorithm_in_config: bool = False) -> str:
    a = trial.user_attrs
    tts = a.get("time_to_success_s")
    final = a.get("final_success_rate")
    header = [
        f"# Best trial of study '{study_name}': trial {trial.number}, objective {trial.value:.6g}",
        f"#   time to success: {'%.1f s' % tts if tts is not None else 'not reached within the trial budget'}",
        f"#   final randomised success: {'%.0f %%' % (final * 100) if final is not None else 'n/a'}"
        f" (constraint: >= {min_final_success * 100:.0f} %{'' if met_constraint else '; NO trial met it'})",
        f"#   run folder: {a.get('run_dir')}",
        f"# Train with: furuta train {'' if algorithm_in_config else ' '.join(space.train_arguments + [''])}"
        "--config best.yaml",
        "",
    ]
    return "\n".join(header) + config_values.dump(best_config(trial, space, base_config, algorithm_in_config))


def write(study: optuna.Study, space: SearchSpace, out: str, base_config: str | None,
          min_final_success: float, algorithm_in_config: bool = False, objective: str = "time") -> dict[str, Any]:
    """Write every result file; a summary for the caller."""
    os.makedirs(out, exist_ok=True)
    trials = study.get_trials(deepcopy=False)
    table = rows(trials, space)
    _write(os.path.join(out, "trials.csv"), csv_text(table))
    _write(os.path.join(out, "trials.md"), markdown_text(table))
    points = [{"number": t.number, "value": t.value if t.state == TrialState.COMPLETE else None,
               "feasible": feasible(t)} for t in trials if t.state in (TrialState.COMPLETE, TrialState.PRUNED)]
    _write(os.path.join(out, "objective.svg"), svg_plots.objective_chart(
        points, f"study {study.study_name}: objective over trials", "time to success, s (penalised if not reached)" if objective == "time"
        else "env steps to success (penalised if not reached)"))
    values, note = importances(study)
    _write(os.path.join(out, "importances.svg"), svg_plots.importance_chart(
        values, f"study {study.study_name}: parameter importances (PED-ANOVA)", note))
    best, met = best_trial(trials)
    if best is not None:
        _write(os.path.join(out, "best.yaml"), best_yaml(study.study_name, best, met, space, base_config, min_final_success,
                                                                 algorithm_in_config))
    return {"table": table, "best": best, "met_constraint": met, "importances": values}
