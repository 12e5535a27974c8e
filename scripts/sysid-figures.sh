#!/usr/bin/env bash
# The system-identification figures on the twin, end to end:
#   a twin whose physics differ from robot.yaml in 12 parameters by 10–30 %, three captures
#   (chirp 15 s, prbs 15 s, release 20 s: 50 s of robot time), `furuta sysid fit` with the
#   default parameters, the fitted values against the twin's truth, and `furuta sysid validate`
#   of nominal and tuned descriptions on a fourth capture (steps 10 s) not used in the fit.
# Usage: scripts/sysid-figures.sh [OUT_DIR]   (FIT_BUDGET=seconds, default 55; THREADS default 2)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-runs/sysid-figures}
BUDGET=${FIT_BUDGET:-55}
THREADS=${THREADS:-2}
mkdir -p "$OUT"
swift build -c release --product furuta >/dev/null
swift build -c release --product furuta-controller >/dev/null
BIN=$(swift build -c release --show-bin-path)

cat > "$OUT/truth.txt" <<'TRUTH'
arm.inertia_about_com_kg_m2=5.5e-5
pendulum.mass_kg=0.0216
pendulum.inertia_about_com_kg_m2=4.0e-5
pendulum.damping_nms_per_rad=6.5e-6
motor.torque_constant_nm_per_a=0.0153
motor.back_emf_v_s_per_rad=0.0216
motor.lag_time_constant_s=0.0026
motor.deadzone=0.075
motor.gear_gain_negative=0.864
motor.friction.coulomb_nm=0.005
motor.friction.viscous_nms_per_rad=1.5e-4
motor.bias=0.0065
TRUTH
PHYSICS=$(sed 's/^/--physics /' "$OUT/truth.txt" | tr '\n' ' ')
LINK="$OUT/twin"
# The twin at SCHED_FIFO when allowed: on a loaded machine a starved twin trips its own watchdog.
RT=""; if chrt -f 70 true 2>/dev/null; then RT="chrt -f 70"; fi

capture() { # kind seconds: a fresh twin per capture (its pendulum barely damps), up to 3 attempts
    for attempt in 1 2 3; do
        # shellcheck disable=SC2086
        $RT "$BIN/furuta" twin --link "$LINK" $PHYSICS >"$OUT/twin.log" 2>&1 &
        local twin=$!
        sleep 1.5
        if "$BIN/furuta-controller" capture --port "$LINK" --excitation "$1" --duration "$2" --out "$OUT/$1.rec" >"$OUT/$1.log" 2>&1; then
            kill "$twin"; wait "$twin" 2>/dev/null || true
            echo "captured $1: $(head -1 "$OUT/$1.log")"
            return 0
        fi
        kill "$twin"; wait "$twin" 2>/dev/null || true
        echo "capture $1 attempt $attempt failed: $(tail -1 "$OUT/$1.log")"
    done
    return 1
}
capture chirp 15
capture prbs 15
capture release 20
capture steps 10

start=$(date +%s.%N)
"$BIN/furuta" sysid fit --recording "$OUT/chirp.rec" --recording "$OUT/prbs.rec" --recording "$OUT/release.rec" \
    --out "$OUT/tuned.yaml" --report "$OUT/report" --time-budget "$BUDGET" --threads "$THREADS" --json > "$OUT/fit.json"
end=$(date +%s.%N)
"$BIN/furuta" sysid validate --robot assets/furuta/robot.yaml --recording "$OUT/steps.rec" --json > "$OUT/validate-nominal.json"
"$BIN/furuta" sysid validate --robot "$OUT/tuned.yaml" --recording "$OUT/steps.rec" --plot "$OUT/validate-steps.svg" --json > "$OUT/validate-tuned.json"

python3 - "$OUT" "$start" "$end" <<'PY'
import json, sys
out, start, end = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
truth = dict(line.strip().split("=") for line in open(f"{out}/truth.txt") if line.strip())
fit = json.load(open(f"{out}/fit.json"))
print(f"fit: {fit['recording_seconds']:.1f} s of recordings, {fit['generations']} generations, "
      f"{fit['fit_seconds']:.1f} s fitting ({end - start:.1f} s wall for the command) on {fit['threads']} threads; "
      f"stopped: {fit['stop_reason']}; loss {fit['loss_before']:.4g} -> {fit['loss_after']:.4g} rad^2")
worst = 0.0
print(f"{'parameter':42s} {'nominal':>10s} {'truth':>10s} {'fitted':>10s} {'error':>8s}  identifiable")
for p in fit["parameters"]:
    t = float(truth[p["key"]]) if p["key"] in truth else p["nominal"]
    err = (p["fitted"] / t - 1) * 100 if t else float("nan")
    if p["identifiable"]: worst = max(worst, abs(err))
    print(f"{p['key']:42s} {p['nominal']:10.4g} {t:10.4g} {p['fitted']:10.4g} {err:+7.1f}%  "
          + ("yes" if p["identifiable"] else "no: " + (p["reason"] or "")[:70]))
n = sum(p["identifiable"] for p in fit["parameters"])
print(f"identifiable: {n} of {len(fit['parameters'])}; worst error among them {worst:.1f} % (target <= 5 %)")
for name in ("nominal", "tuned"):
    v = json.load(open(f"{out}/validate-{name}.json"))
    print(f"validate on steps.rec with {name:7s}: loss {v['loss']:.4g} rad^2, RMS arm {v['rms_arm_rad']:.4f} rad, pendulum {v['rms_pendulum_rad']:.4f} rad")
PY
