#!/usr/bin/env bash
# The main job: train a policy in simulation, export it, evaluate it on randomised physics,
# start the twin (a simulated ESP32 on a pseudo-terminal), deploy the policy on it with the
# controller (homing, hard loop, safety limits), rehearse it on randomised twins (physics, latency,
# faults, CPU load: `furuta-controller rehearse`), and report.
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

echo "== rehearse: ${REHEARSE_EPISODES:-20} episodes of the real controller on randomised twins, every core loaded"
rehearse_rc=0
"$controller" rehearse --policy "$out/train/final.policy" --episodes "${REHEARSE_EPISODES:-20}" \
  | tee "$out/rehearsal.txt" || rehearse_rc=$?

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
r = json.load(open(os.path.join(out, "train", "final.policy.rehearsal.json")))
print(f"rehearse: {r['passed']}/{r['episodes']} episodes passed ({100 * r['pass_rate']:.0f} %, threshold {100 * r['threshold']:.0f} %), "
      f"latency {r['latency_range_ms'][0]:.0f}-{r['latency_range_ms'][1]:.0f} ms, {r['load_threads']} busy threads; table in rehearsal.txt")
print(f"         loop period jitter p50 {j.get('p50_us')} µs, p99 {j.get('p99_us')} µs, p99.9 {j.get('p999_us')} µs, "
      f"max {j.get('max_us')} µs; overruns {ov.get('count') if isinstance(ov, dict) else ov}")
PY
echo "pipeline done: results in $out/"
[ "$rehearse_rc" -eq 0 ] || { echo "rehearsal below its threshold (exit $rehearse_rc): see $out/rehearsal.txt"; exit "$rehearse_rc"; }
