#!/usr/bin/env bash
# Does retraining on the tuned robot.yaml pay off on the robot? On the twin of one
# scripts/sysid-figures.sh seed (its truth.txt physics and its tuned.yaml):
#   `furuta train` on the nominal robot.yaml and on tuned.yaml (default training, each with its
#   own domain randomisation around its description), then EPISODES runs of each policy on a
#   fresh twin with the seed's perturbed physics: `furuta-controller run --duration 8`, the
#   nominal policy deployed with robot.yaml, the tuned one with tuned.yaml (the controller's
#   duty compensation reads the description). An episode succeeds as in `rehearse`: the run
#   completed without a fault and the pendulum stayed upright (within 0.2 rad) for >= 4 s in
#   one stretch. Prints both success rates and the mean longest upright time.
# Usage: scripts/sysid-retrain.sh SEED_DIR [OUT_DIR]   (EPISODES default 20; NOMINAL_POLICY=file
#   reuses a policy trained on the nominal robot.yaml instead of training one)
set -euo pipefail
cd "$(dirname "$0")/.."
SEED_DIR=${1:?usage: scripts/sysid-retrain.sh SEED_DIR [OUT_DIR]  (a scripts/sysid-figures.sh seed directory)}
OUT=${2:-$SEED_DIR/retrain}
EPISODES=${EPISODES:-20}
mkdir -p "$OUT"
swift build -c release --product furuta >/dev/null
swift build -c release --product furuta-controller >/dev/null
BIN=$(swift build -c release --show-bin-path)
RT=""; if chrt -f 70 true 2>/dev/null; then RT="chrt -f 70"; fi
physics=$(sed 's/^/--physics /' "$SEED_DIR/truth.txt" | tr '\n' ' ')

train() { # robot out
    if [[ ! -f $2/final.policy ]]; then
        "$BIN/furuta" train --robot "$1" --out "$2" >"$2.log" 2>&1
    fi
}
NOMINAL_POLICY=${NOMINAL_POLICY:-}
if [[ -z $NOMINAL_POLICY ]]; then
    train assets/furuta/robot.yaml "$OUT/nominal"
    NOMINAL_POLICY=$OUT/nominal/final.policy
fi
train "$SEED_DIR/tuned.yaml" "$OUT/tuned"

episodes() { # name policy robot
    local name=$1 policy=$2 robot=$3 link="$OUT/twin"
    : > "$OUT/$name.results"
    for i in $(seq 1 "$EPISODES"); do
        # shellcheck disable=SC2086
        $RT "$BIN/furuta" twin --link "$link" $physics >"$OUT/$name-twin-$i.log" 2>&1 &
        local twin=$!
        sleep 1.5
        local rc=0
        "$BIN/furuta-controller" run --policy "$policy" --robot "$robot" --port "$link" --duration 8 \
            --summary "$OUT/$name-$i.json" >"$OUT/$name-$i.log" 2>&1 || rc=$?
        kill "$twin"; wait "$twin" 2>/dev/null || true
        echo "$rc $OUT/$name-$i.json" >> "$OUT/$name.results"
    done
}
episodes nominal "$NOMINAL_POLICY" assets/furuta/robot.yaml
episodes tuned "$OUT/tuned/final.policy" "$SEED_DIR/tuned.yaml"

python3 - "$OUT" "$EPISODES" <<'PY'
import json, os, sys
out, n = sys.argv[1], int(sys.argv[2])
rates = {}
for name in ("nominal", "tuned"):
    ok, upright, faults, at_start = 0, [], [], 0
    for line in open(f"{out}/{name}.results"):
        rc, path = line.split()
        s = json.load(open(path)) if os.path.exists(path) else {}
        u = s.get("longest_upright_s") or 0.0
        upright.append(u)
        if rc == "0" and u >= 4.0: ok += 1
        elif rc != "0":
            faults.append(s.get("fault") or s.get("stop_reason") or f"exit {rc}")
            # A fault before the policy ran (homing, start-up timing) says nothing about the policy.
            if not s.get("running_s"): at_start += 1
    rates[name] = ok / n
    ran = n - at_start
    print(f"{name:8s} policy on the perturbed twin: {ok}/{n} episodes upright >= 4 s "
          f"({100 * ok / n:.0f} %), mean longest upright {sum(upright) / len(upright):.2f} s"
          + (f"; faults: {', '.join(faults)}" if faults else "")
          + (f"; {at_start} of them before the policy ran, so {ok}/{ran} of the episodes it ran" if at_start else ""))
print("tuned does at least as well as nominal" if rates["tuned"] >= rates["nominal"] else "tuned does WORSE than nominal")
PY
