#!/usr/bin/env bash
# Allocation gates on release builds (debug builds allocate where release does not, so the
# gates only mean something here): the env step, the motor model, the off-policy learner's
# gradient update and the controller's loop tick must allocate nothing after warm-up. Counted
# with ordo-one's malloc-interposer.
set -euo pipefail
cd "$(dirname "$0")/.."

swift build -c release --product furuta
swift build -c release --product furuta-controller
bin="$(swift build -c release --show-bin-path)"

"$bin/furuta" bench sim --envs 16 --seconds 0.3 --json > /tmp/furuta-gate-sim.json
"$bin/furuta" bench motor --evaluations 1000000 --json > /tmp/furuta-gate-motor.json
"$bin/furuta" bench learner --seconds 1 --json > /tmp/furuta-gate-learner.json
"$bin/furuta-controller" bench --seconds 2 --json > /tmp/furuta-gate-controller.json

python3 - <<'PY'
import json, sys
sim = json.load(open("/tmp/furuta-gate-sim.json"))
motor = json.load(open("/tmp/furuta-gate-motor.json"))
learner = json.load(open("/tmp/furuta-gate-learner.json"))
ctl = json.load(open("/tmp/furuta-gate-controller.json"))
checks = [
    ("env step allocations per step", sim["allocations_per_step"]),
    ("analytic env step allocations per step", sim["analytic_allocations_per_step"]),
    ("motor model allocations", motor["allocations"]),
    ("learner allocations per update", learner["allocations_per_update"]),
    ("controller loop-thread allocations", ctl["loop_thread_allocations"]),
]
failed = 0
for name, value in checks:
    ok = value == 0
    failed += not ok
    print(f"{'ok  ' if ok else 'FAIL'} {name}: {value}")
print(f"(informational) env efficiency {sim['efficiency']:.3f}, motor chain {motor['chain_ns']:.1f} ns, "
      f"learner {learner['updates_per_s']:.0f} updates/s, controller p99 ratio {ctl['p99_ratio']:.2f}")
print(f"{len(checks) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
