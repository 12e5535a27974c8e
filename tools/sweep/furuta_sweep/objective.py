"""What a trial scores, and the constraint that makes a fast trial count.

Objective (minimised): the run's time to success in seconds — the wall time of its first
in-run evaluation with >= 95 % success, `time_to_success_s` in summary.json. A run that never
succeeds within its budget B scores

    B * (2 - best_success_rate)

which is above B and so above every run that succeeded, and still orders the failures by how
close they came (a run at 90 % ranks before one at 10 %).

Alternative (`--objective steps`): the same with environment steps instead of seconds —
`env_steps_to_success`, or `env_steps * (2 - best_success_rate)` when not reached. Steps do
not depend on the machine's speed or load, so workers on unlike machines score alike; they
do not see what a setting costs per step (a bigger network, more epochs).

Constraint: the final policy's success rate on fresh randomised episodes (`furuta eval
--randomized`) must reach `min_final_success`. Optuna's convention is c <= 0 feasible, so

    c = min_final_success - final_success_rate.

A trial that is fast but whose final policy fails the constraint is kept, marked infeasible,
and never chosen as best while a feasible trial exists.

Intermediate value (for the pruner): 1 - (latest in-run evaluation success rate), reported at
fixed steps of training wall time, so trials are compared at equal times whatever their
iteration length.
"""

from __future__ import annotations

from typing import Any


OBJECTIVES = ("time", "steps")


def objective_value(summary: dict[str, Any], budget_s: float, kind: str = "time") -> float:
    """The trial's score from its summary.json, seconds or env steps (lower is better)."""
    best = float(summary.get("best_success_rate") or 0.0)
    if kind == "steps":
        reached = summary.get("env_steps_to_success")
        return float(reached) if reached is not None else float(summary.get("env_steps") or 0) * (2.0 - best)
    reached = summary.get("time_to_success_s")
    if reached is not None:
        return float(reached)
    return float(budget_s) * (2.0 - best)


def constraint(final_success_rate: float, min_final_success: float) -> float:
    """Optuna constraint value: <= 0 when the final policy is good enough."""
    return float(min_final_success) - float(final_success_rate)


def intermediate_value(latest_success_rate: float | None) -> float:
    """What the pruner sees at a report step: 1 - success, 1 before any evaluation."""
    return 1.0 - (latest_success_rate if latest_success_rate is not None else 0.0)


def objective_text(value: float) -> str:
    """Seconds with two decimals, step counts whole."""
    return f"{value:.2f}" if abs(value) < 1e4 else f"{value:.0f}"
