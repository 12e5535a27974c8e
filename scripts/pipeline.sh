#!/usr/bin/env bash
# The main job: train a policy in simulation, export it, evaluate it on randomised physics,
# start the twin (a simulated ESP32 on a pseudo-terminal), deploy the policy on it with the
# controller (homing, hard loop, safety limits), and report.
# Everything lands in $OUT (default runs/pipeline).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

echo "== build (release)"
swift build -c release --product furuta
swift build -c release --product furuta-controller
bin="$(swift build -c release --show-bin-path)"
furuta="$bin/furuta"
controller="$bin/furuta-controller"
out="${OUT:-runs/pipeline}"
rm -rf "$out"
mkdir -p "$out"

echo "== robot description"
"$furuta" robot check --robot assets/furuta/robot.yaml

echo "== train (PPO, domain randomisation and history on)"
"$furuta" train --out "$out/train" --quiet

echo "== evaluate the exported policy on 100 randomised episodes"
"$furuta" eval --policy "$out/train/final.policy" --randomized --episodes 100 --json | tee "$out/eval.json"

echo "== start the twin"
link="$out/twin.pty"
"$furuta" twin --link "$link" > "$out/twin.log" 2>&1 &
twin_pid=$!
trap 'kill -INT $twin_pid 2>/dev/null || true; wait $twin_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -e "$link" ] && break; sleep 0.1; done
[ -e "$link" ] || { echo "the twin did not start:"; cat "$out/twin.log"; exit 1; }

echo "== probe the twin through the controller's serial path"
"$controller" probe --port "$link" --json | tee "$out/probe.json"

echo "== deploy: furuta-controller runs the policy on the twin for ${DEPLOY_SECONDS:-15} s"
"$controller" run --policy "$out/train/final.policy" --port "$link" --duration "${DEPLOY_SECONDS:-15}" \
  --log "$out/deploy.csv" --summary "$out/deploy.json"

kill -INT $twin_pid; wait $twin_pid || true
trap - EXIT

echo "== report"
python3 - "$out" <<'PY'
import json, sys, os
out = sys.argv[1]
s = json.load(open(os.path.join(out, "train", "summary.json")))
e = json.load(open(os.path.join(out, "eval.json")))
p = json.load(open(os.path.join(out, "probe.json")))
d = json.load(open(os.path.join(out, "deploy.json")))
tts = s.get("time_to_success_s")
print(f"trained: {s['env_steps']} env steps in {s['wall_s']:.1f} s ({s['steps_per_s']:.0f} steps/s), "
      f"time to success {tts if tts is None else f'{tts:.1f} s'}")
print(f"policy:  {s['policy']}")
print(f"eval:    {e['successes']}/{e['episodes']} randomised episodes successful, upright {e['mean_upright_s']:.2f} s per 10 s episode")
print(f"twin:    protocol {p['protocol_version']}, firmware {p['firmware_version']}, reset reason {p['reset_reason']}")
ov = d.get("overruns", {})
j = d.get("jitter_us", {})
print(f"deploy:  {d.get('outcome')}, pendulum upright for {d.get('longest_upright_s'):.2f} s at a stretch, "
      f"motor stop confirmed: {d.get('motor_stop_confirmed')}")
print(f"         loop period jitter p50 {j.get('p50_us')} µs, p99 {j.get('p99_us')} µs, p99.9 {j.get('p999_us')} µs, "
      f"max {j.get('max_us')} µs; overruns {ov.get('count') if isinstance(ov, dict) else ov}")
PY
echo "pipeline done: results in $out/"
