"""Seeds mode: one configuration over N seeds, spread across whoever joins the study.

Every trial is the same config with one seed (`ppo.seed`, or `<algorithm>.seed`); a worker,
under the claim lock, enqueues the next seed no trial has claimed yet, so each seed runs once
(a killed worker's seed is retried, a failed one is run again by the next free worker). The
summary is what a person reports: median and spread (quartiles, range) and the worst seed, of
the time to success and of the final randomised success rate; a seed that never succeeded
counts as infinitely slow, so the median says "not reached" when more than half did not.
"""

from __future__ import annotations

import json
import math
import statistics
from typing import Any

import optuna
from optuna.trial import FrozenTrial, TrialState

from .space import Parameter, SearchSpace
from .worker import Counts

CLAIMING = (TrialState.COMPLETE, TrialState.PRUNED, TrialState.RUNNING, TrialState.WAITING)


def parse_seeds(text: str) -> list[int]:
    """'5' -> [1..5]; '3,7,11' -> [3, 7, 11]; '10-14' -> [10..14]."""
    text = text.strip()
    try:
        if "," in text:
            seeds = [int(s) for s in text.split(",") if s.strip()]
        elif "-" in text[1:]:
            low, high = text.split("-", 1)
            seeds = list(range(int(low), int(high) + 1))
        else:
            seeds = list(range(1, int(text) + 1))
    except ValueError:
        raise ValueError(f"--seeds '{text}': give a count (5), a list (1,2,3) or a range (10-14)") from None
    if not seeds or len(set(seeds)) != len(seeds) or min(seeds) < 0:
        raise ValueError(f"--seeds '{text}': needs distinct non-negative seeds")
    return seeds


def seed_space(algorithm: str, seeds: list[int], seed_key: str | None) -> SearchSpace:
    key = seed_key or f"{algorithm}.seed"
    return SearchSpace(source="--seeds", algorithm=algorithm,
                       parameters=(Parameter(key, "categorical", choices=tuple(seeds)),),
                       fingerprint=f"seeds:{algorithm}:{key}:{','.join(map(str, seeds))}")


def _seed_of(t: FrozenTrial, key: str) -> Any:
    if key in t.params:
        return t.params[key]
    return (t.system_attrs.get("fixed_params") or {}).get(key)


def enqueue_next_seed(space: SearchSpace):
    """A `before_claim` hook: enqueue the first unclaimed seed unless a retry is waiting."""
    parameter = space.parameters[0]

    def hook(study: optuna.Study, counts: Counts) -> None:
        if counts.waiting:
            return
        claimed = {_seed_of(t, parameter.key) for t in study.get_trials(deepcopy=False, states=CLAIMING)}
        free = [s for s in parameter.choices if s not in claimed]
        if free:
            study.enqueue_trial({parameter.key: free[0]})

    return hook


def _quantile(sorted_values: list[float], q: float) -> float:
    """Linear interpolation between order statistics (numpy's default)."""
    position = (len(sorted_values) - 1) * q
    low, high = math.floor(position), math.ceil(position)
    if sorted_values[low] == sorted_values[high]:
        return sorted_values[low]
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def spread(values: list[float], lower_is_better: bool = True) -> dict[str, float | None]:
    """median, quartiles, best and worst; inf (never reached) is reported as null."""
    ordered = sorted(values)
    best, worst = (ordered[0], ordered[-1]) if lower_is_better else (ordered[-1], ordered[0])

    def clean(x: float) -> float | None:
        return None if math.isinf(x) else x

    return {"median": clean(statistics.median(ordered)), "p25": clean(_quantile(ordered, 0.25)),
            "p75": clean(_quantile(ordered, 0.75)), "best": clean(best), "worst": clean(worst)}


def summary(study: optuna.Study, space: SearchSpace) -> dict[str, Any]:
    key = space.parameters[0].key
    complete = [t for t in study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))]
    per_seed = sorted(({
        "seed": t.params[key],
        "trial": t.number,
        "time_to_success_s": t.user_attrs.get("time_to_success_s"),
        "final_success_rate": t.user_attrs.get("final_success_rate"),
        "env_steps": t.user_attrs.get("env_steps"),
        "run_dir": t.user_attrs.get("run_dir"),
    } for t in complete), key=lambda r: r["seed"])
    result: dict[str, Any] = {"seeds": list(space.parameters[0].choices), "complete": len(per_seed), "per_seed": per_seed}
    if per_seed:
        times = [r["time_to_success_s"] if r["time_to_success_s"] is not None else math.inf for r in per_seed]
        finals = [r["final_success_rate"] for r in per_seed if r["final_success_rate"] is not None]
        result["reached_success"] = sum(not math.isinf(t) for t in times)
        result["time_to_success_s"] = spread(times)
        result["final_success_rate"] = spread(finals, lower_is_better=False) if finals else None
        worst = max(per_seed, key=lambda r: (r["time_to_success_s"] is None, r["time_to_success_s"] or 0))
        result["worst_seed"] = worst["seed"]
    return result


def _seconds(x: float | None) -> str:
    return "not reached" if x is None else f"{x:.1f} s"


def markdown(result: dict[str, Any]) -> str:
    lines = ["| seed | trial | time to success | final randomised success | env steps |", "|---|---|---|---|---|"]
    for r in result["per_seed"]:
        final = r["final_success_rate"]
        lines.append(f"| {r['seed']} | {r['trial']} | {_seconds(r['time_to_success_s'])} | "
                     f"{'' if final is None else f'{final * 100:.0f} %'} | {r['env_steps'] or ''} |")
    if result["per_seed"]:
        t = result["time_to_success_s"]
        lines += ["", f"{result['complete']} of {len(result['seeds'])} seeds done; "
                  f"{result['reached_success']} reached success.",
                  f"Time to success: median {_seconds(t['median'])}, quartiles {_seconds(t['p25'])} – {_seconds(t['p75'])}, "
                  f"best {_seconds(t['best'])}, worst {_seconds(t['worst'])} (seed {result['worst_seed']})."]
        f = result["final_success_rate"]
        if f:
            lines.append(f"Final randomised success: median {f['median'] * 100:.0f} %, quartiles "
                         f"{f['p25'] * 100:.0f} – {f['p75'] * 100:.0f} %, worst {f['worst'] * 100:.0f} %.")
    return "\n".join(lines) + "\n"


def json_text(result: dict[str, Any]) -> str:
    return json.dumps(result, indent=2) + "\n"
