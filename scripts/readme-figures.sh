#!/usr/bin/env bash
# Regenerates the figures README.md quotes, so they cannot drift from what the code does:
# each section runs the commands behind one passage and rewrites the text between its markers
# `<!-- figures:NAME -->` and `<!-- /figures:NAME -->` in README.md.
#
#   scripts/readme-figures.sh [robot] [sim] [motor] [train] [pipeline]   (default: all)
#
# robot (seconds): `furuta robot check`'s derived figures.
# sim, motor (a minute): `furuta bench sim` (best of 5 rounds) and `furuta bench motor`.
# train (up to 15 min): `furuta bench train --seeds 1,2,3,4,5,6`, the table and its summary.
# pipeline (a few minutes): `scripts/pipeline.sh`, the measured run in "Two commands".
# Timings depend on the machine and its load: run it on an idle machine, and say which.
set -euo pipefail
cd "$(dirname "$0")/.."

sections=("$@")
[ ${#sections[@]} -gt 0 ] || sections=(robot sim motor train pipeline)
swift build -c release --product furuta >/dev/null
swift build -c release --product furuta-controller >/dev/null
furuta="$(swift build -c release --show-bin-path)/furuta"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

for section in "${sections[@]}"; do
  echo "== $section"
  case "$section" in
    robot) "$furuta" robot check > "$scratch/robot.txt" ;;
    sim) for round in 1 2 3 4 5; do "$furuta" bench sim --envs 64 --json > "$scratch/sim-$round.json"; done ;;
    motor) "$furuta" bench motor --json > "$scratch/motor.json" ;;
    # FIGURES_TRAIN_JSON=FILE reuses a measured `bench train --seeds 1,2,3,4,5,6 --json` (e.g. the
    # train-speed check's) instead of running it again.
    train) if [ -n "${FIGURES_TRAIN_JSON:-}" ]; then cp "$FIGURES_TRAIN_JSON" "$scratch/train.json"
           else "$furuta" bench train --seeds 1,2,3,4,5,6 --json > "$scratch/train.json"; fi ;;
    pipeline) OUT="$scratch/pipeline" scripts/pipeline.sh > "$scratch/pipeline.log" ;;
    *) echo "readme-figures.sh: unknown section '$section' (robot, sim, motor, train, pipeline)" >&2; exit 64 ;;
  esac
done

python3 - "$scratch" README.md "${sections[@]}" <<'PY'
import glob, json, os, re, sys
scratch, readme, sections = sys.argv[1], sys.argv[2], sys.argv[3:]

def robot():
    text = open(os.path.join(scratch, "robot.txt")).read()
    def number(pattern):
        return float(re.search(pattern, text).group(1))
    stall = number(r"stall torque at the arm\s+([\d.e+-]+)")
    speed = number(r"no-load arm speed\s+([\d.e+-]+)")
    fn = number(r"pendulum natural frequency\s+([\d.e+-]+)")
    held = number(r"period ([\d.e+-]+) s \(arm held\)")
    free = number(r"with the arm free\s+[\d.e+-]+ rad/s, period ([\d.e+-]+) s")
    return (f"For the shipped robot: stall torque {stall:.3f} N·m at the arm, no-load\n"
            f"speed {speed:.0f} rad/s, pendulum natural frequency {fn:.2f} rad/s (period {held:.3f} s with the arm held,\n"
            f"{free:.3f} s with the arm free).")

def sim():
    rounds = [json.load(open(p)) for p in sorted(glob.glob(os.path.join(scratch, "sim-*.json")))]
    best = max(rounds, key=lambda r: r["env_steps_per_second1_thread"])
    raw = max(r["raw_steps_per_second"] for r in rounds)
    allocations = best.get("allocations_per_step")
    return (f"Measured here (`furuta bench sim`, 64 envs, best of {len(rounds)} rounds):\n"
            f"raw `mj_step` {1e6 / raw:.2f} µs/step; env {best['env_steps_per_second1_thread'] / 1e3:.0f} k physics steps/s on 1 thread, "
            f"**efficiency {best['efficiency']:.2f}**, {best['env_steps_per_second2_threads'] / 1e3:.0f} k on\n"
            f"2 threads (×{best['thread_speedup']:.2f}); **{allocations:.2g} allocations per env step** after warm-up "
            f"(counted with ordo-one's malloc-interposer).\n"
            f"The same env on the analytic physics (`environment.physics: analytic`, same round): "
            f"{best['analytic_env_steps_per_second1_thread'] / 1e3:.0f} k physics steps/s on 1 thread "
            f"(**×{best['analytic_env_steps_per_second1_thread'] / best['env_steps_per_second1_thread']:.1f}** the MuJoCo env), "
            f"{best['analytic_env_steps_per_second2_threads'] / 1e3:.0f} k on 2 threads; "
            f"{best['analytic_allocations_per_step']:.2g} allocations per env step.")

def motor():
    m = json.load(open(os.path.join(scratch, "motor.json")))
    return (f"`furuta bench motor`: the full motor chain {m['chain_ns']:.0f} ns per evaluation, compensation "
            f"{m['compensation_ns']:.1f} ns, against a {m['baseline_ns']:.1f} ns empty loop; {m['allocations']} allocations.")

def train():
    import statistics
    rows = json.load(open(os.path.join(scratch, "train.json")))
    lines = ["| seed | time to success | env steps to success | run stopped after | final eval (100 randomised MuJoCo episodes) |",
             "| --- | --- | --- | --- | --- |"]
    for r in rows:
        tts = r.get("time_to_success_s")
        steps = r.get("env_steps_to_success")
        stopped = f"{r['env_steps'] / 1e6:.2f} M steps, {r['wall_s']:.1f} s"
        because = r.get("stopped_because", "")
        if "budget" in because or (not because and r["wall_s"] >= 119):
            stopped += " (budget: no two successes in a row)" if tts is not None else " (budget: not reached)"
        lines.append(f"| {r['seed']} | {'not reached' if tts is None else f'{tts:.1f} s'} | "
                     f"{'–' if steps is None else f'{steps / 1e6:.2f} M'} | {stopped} | {r['success_rate'] * 100:.0f} % |")
    times = [r.get("time_to_success_s") or float("inf") for r in rows]
    steps = [r.get("env_steps_to_success") or float("inf") for r in rows]
    speeds = [r["steps_per_s"] for r in rows]
    total = sum(r["collect_s"] + r["update_s"] + r["evaluate_s"] for r in rows) or 1
    share = lambda key: 100 * sum(r[key] for r in rows) / total
    physics = sorted({r.get("physics", "mujoco") for r in rows})
    lines.append("")
    lines.append(f"Median time to success {statistics.median(times):.1f} s, worst {max(times):.1f} s; median "
                 f"{statistics.median(steps) / 1e6:.2f} M env steps to success. Trained on {', '.join(physics)} physics. "
                 f"Throughput {min(speeds) / 1e3:.0f}–{max(speeds) / 1e3:.0f} k env steps/s; of a run's time about "
                 f"{share('collect_s'):.0f} % goes to collecting rollouts, {share('update_s'):.0f} % to PPO updates and "
                 f"{share('evaluate_s'):.0f} % to evaluations.")
    return "\n".join(lines)

def pipeline():
    out = os.path.join(scratch, "pipeline")
    s = json.load(open(os.path.join(out, "train", "summary.json")))
    e = json.load(open(os.path.join(out, "eval.json")))
    d = json.load(open(os.path.join(out, "deploy.json")))
    tts = s.get("time_to_success_s")
    return (f"One run measured: time to success {'not reached' if tts is None else f'{tts:.1f} s'} "
            f"(run stopped at {s['wall_s']:.1f} s, {s['env_steps'] / 1e6:.2f} M env steps, {s['steps_per_s'] / 1e3:.0f} k steps/s), "
            f"{e['successes']}/{e['episodes']} randomised episodes successful, on the twin the pendulum stayed upright "
            f"for {d['longest_upright_s']:.1f} s of the {d['running_s']:.0f} s, loop period jitter p99 {d['jitter_us']['p99_us']} µs "
            f"at {d['control_rate_hz']:.0f} Hz.")

text = open(readme).read()
for name in sections:
    body = globals()[name]()
    pattern = re.compile(r"(<!-- figures:%s -->\n).*?(\n<!-- /figures:%s -->)" % (name, name), re.S)
    if not pattern.search(text):
        sys.exit(f"README.md has no <!-- figures:{name} --> … <!-- /figures:{name} --> block")
    text = pattern.sub(lambda m: m.group(1) + body + m.group(2), text)
    print(body)
open(readme, "w").write(text)
PY
