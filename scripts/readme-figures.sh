#!/usr/bin/env bash
# Regenerates the figures README.md quotes, so they cannot drift from what the code does:
# each section runs the commands behind one passage and rewrites the text between its markers
# `<!-- figures:NAME -->` and `<!-- /figures:NAME -->` in README.md.
#
#   scripts/readme-figures.sh [robot] [sim] [motor] [train] [pipeline] [learner] [sac-nominal]
#                             [sac-randomized] [controller] [session]        (default: all)
#
# robot (seconds): `furuta robot check`'s derived figures.
# sim, motor (a minute): `furuta bench sim` (best of 5 rounds) and `furuta bench motor`.
# train (up to 15 min): `furuta bench train --seeds 1,2,3,4,5,6`, the table and its summary.
# pipeline (a few minutes): `scripts/pipeline.sh`, the measured run in "Two commands".
# learner (seconds): `furuta bench learner`, the off-policy learner's update throughput.
# sac-nominal (5-15 min): `furuta bench train --algorithm sac --nominal --seeds 1,2,3,4,5`.
# sac-randomized (10-30 min): `furuta bench train --algorithm sac --seeds 1` and, in the same
#   run for the comparison beside it, PPO's `furuta bench train --seeds 1`.
# controller (a minute): `furuta-controller bench --seconds 30`, loop jitter against a bare loop.
# session (30-40 min, on the twin in real time): `scripts/bench-session.sh jitter` and `scratch`,
#   and `finetune --policy $FIGURES_SESSION_POLICY` when that is set (a `furuta train --algorithm
#   sac` policy, e.g. `furuta bench train --algorithm sac --nominal --seeds 1 --out runs/P`'s
#   runs/P/seed-1/final.policy); FIGURES_SESSION_TXT=FILE reuses a saved bench-session.sh output instead.
# Timings depend on the machine and its load: run it on an idle machine. Each section's text
# ends with the load average (1 min) read just before its commands ran.
# README=FILE writes another file than README.md (to try the script without touching README).
set -euo pipefail
cd "$(dirname "$0")/.."

sections=("$@")
[ ${#sections[@]} -gt 0 ] || sections=(robot sim motor train pipeline learner sac-nominal sac-randomized controller session)
readme=${README:-README.md}
swift build -c release --product furuta >/dev/null
swift build -c release --product furuta-controller >/dev/null
furuta="$(swift build -c release --show-bin-path)/furuta"
controller="$(swift build -c release --show-bin-path)/furuta-controller"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

for section in "${sections[@]}"; do
  echo "== $section"
  cut -d' ' -f1 /proc/loadavg > "$scratch/load-$section.txt"
  case "$section" in
    robot) "$furuta" robot check > "$scratch/robot.txt" ;;
    sim) for round in 1 2 3 4 5; do "$furuta" bench sim --envs 64 --json > "$scratch/sim-$round.json"; done ;;
    motor) "$furuta" bench motor --json > "$scratch/motor.json" ;;
    # FIGURES_TRAIN_JSON=FILE reuses a measured `bench train --seeds 1,2,3,4,5,6 --json` (e.g. the
    # train-speed check's) instead of running it again.
    train) if [ -n "${FIGURES_TRAIN_JSON:-}" ]; then cp "$FIGURES_TRAIN_JSON" "$scratch/train.json"
           else "$furuta" bench train --seeds 1,2,3,4,5,6 --json > "$scratch/train.json"; fi ;;
    pipeline) OUT="$scratch/pipeline" scripts/pipeline.sh > "$scratch/pipeline.log" ;;
    learner) "$furuta" bench learner --json > "$scratch/learner.json" ;;
    sac-nominal) "$furuta" bench train --algorithm sac --nominal --seeds 1,2,3,4,5 --json > "$scratch/sac-nominal.json" ;;
    sac-randomized)
      "$furuta" bench train --algorithm sac --seeds 1 --json > "$scratch/sac-randomized.json"
      "$furuta" bench train --seeds 1 --json > "$scratch/ppo-seed1.json" ;;
    controller) "$controller" bench --seconds 30 --json > "$scratch/controller.json" ;;
    session) if [ -n "${FIGURES_SESSION_TXT:-}" ]; then cp "$FIGURES_SESSION_TXT" "$scratch/session.txt"
             else
               scripts/bench-session.sh jitter --out "$scratch/session" > "$scratch/session.txt"
               scripts/bench-session.sh scratch --out "$scratch/session" >> "$scratch/session.txt"
               if [ -n "${FIGURES_SESSION_POLICY:-}" ]; then
                 scripts/bench-session.sh finetune --policy "$FIGURES_SESSION_POLICY" --out "$scratch/session" >> "$scratch/session.txt"
               fi
             fi ;;
    *) echo "readme-figures.sh: unknown section '$section' (robot, sim, motor, train, pipeline, learner, sac-nominal, sac-randomized, controller, session)" >&2; exit 64 ;;
  esac
done

python3 - "$scratch" "$readme" "${sections[@]}" <<'PY'
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
    # The same final policy on the same 100 episodes of the physics it trained on, when not MuJoCo.
    on_training = lambda r: (f" ({r['physics']}: {r['training_physics_success_rate'] * 100:.0f} %)"
                             if r.get("training_physics_success_rate") is not None else "")
    for r in rows:
        tts = r.get("time_to_success_s")
        steps = r.get("env_steps_to_success")
        stopped = f"{r['env_steps'] / 1e6:.2f} M steps, {r['wall_s']:.1f} s"
        because = r.get("stopped_because", "")
        if "budget" in because or (not because and r["wall_s"] >= 119):
            stopped += " (budget: no success that stops the run)" if tts is not None else " (budget: not reached)"
        lines.append(f"| {r['seed']} | {'not reached' if tts is None else f'{tts:.1f} s'} | "
                     f"{'–' if steps is None else f'{steps / 1e6:.2f} M'} | {stopped} | {r['success_rate'] * 100:.0f} %{on_training(r)} |")
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

def load(name):
    return open(os.path.join(scratch, f"load-{name}.txt")).read().strip()

def number(x):
    # 6000 -> "6 000", as README writes thousands
    return f"{x:,.0f}".replace(",", " ")

def span(values, fmt):
    lo, hi = min(values), max(values)
    return fmt.format(lo) if fmt.format(lo) == fmt.format(hi) else fmt.format(lo) + "–" + fmt.format(hi)

def learner():
    l = json.load(open(os.path.join(scratch, "learner.json")))
    return (f"Measured here (`furuta bench learner`, one BLAS thread, batch {l['batch_size']}, load average "
            f"{load('learner')}): **{number(l['updates_per_s'])} gradient updates\nper second, "
            f"{l['allocations_per_update']:g} allocations per update** (SB3 SAC here: 72–97/s); the thread got "
            f"{l['cpu_share'] * 100:.0f} % of a core,\n{number(l['updates_per_cpu_s'])} updates per CPU-second.")

def sac_nominal():
    rows = json.load(open(os.path.join(scratch, "sac-nominal.json")))
    steps = [r.get("env_steps_to_success") for r in rows]
    reached = sorted(s for s in steps if s is not None)
    median = reached[len(reached) // 2] if len(reached) == len(steps) else None
    listed = ", ".join("not reached" if s is None else number(s) for s in steps)
    times = [r["time_to_success_s"] for r in rows if r.get("time_to_success_s") is not None]
    smooth = [r for r in rows if r.get("exploration_mean_abs_delta_action") is not None]
    text = (f"`furuta bench train --algorithm sac --nominal --seeds {','.join(str(r['seed']) for r in rows)}` "
            f"(load average {load('sac-nominal')}): env steps to success **{listed}\n"
            f"({'median ' + number(median) if median is not None else 'not all reached'}**; SB3 SAC needed 50–55 k)")
    if times:
        text += f", first success after {span(times, '{:.0f}')} s of wall time"
    text += f", final policies {span([r['success_rate'] * 100 for r in rows], '{:.0f}')} %\non 100 nominal episodes."
    if smooth:
        text += (f" Exploration smoothness over those runs: mean |Δaction| per step\n"
                 f"{span([r['exploration_mean_abs_delta_action'] for r in smooth], '{:.2f}')} with pink noise against "
                 f"{span([r['iid_mean_abs_delta_action'] for r in smooth], '{:.2f}')} for i.i.d. Gaussian noise\n"
                 f"of the same σ at the same states.")
    return text

def sac_randomized():
    sac = json.load(open(os.path.join(scratch, "sac-randomized.json")))[0]
    ppo = json.load(open(os.path.join(scratch, "ppo-seed1.json")))[0]
    def first(r):
        if r.get("time_to_success_s") is None:
            return "no evaluation reached ≥ 95 %"
        return f"{number(r['env_steps_to_success'])} env steps, {r['time_to_success_s']:.0f} s"
    return ("With the default domain randomisation and observation history (`furuta bench train\n"
            f"--algorithm sac --seeds 1`, one seed, load average {load('sac-randomized')}): first\n"
            f"≥ 95 % success on 64 randomised episodes after **{first(sac)}**; the run stopped at\n"
            f"{number(sac['env_steps'])} steps after {sac['wall_s']:.0f} s ({sac['update_s']:.0f} s of it in updates); "
            f"`final.policy` succeeded on **{sac['success_rate'] * 100:.0f} %** of 100\n"
            f"other randomised episodes ({sac['mean_upright_s']:.1f} s upright on average). PPO, seed 1, in the same run\n"
            f"of the script (`furuta bench train --seeds 1`): {first(ppo)} to success, "
            f"{ppo['success_rate'] * 100:.0f} %.")

def controller():
    c = json.load(open(os.path.join(scratch, "controller.json")))
    allocations = c.get("allocations_per_tick")
    counted = "not counted" if allocations is None else f"{allocations:g} heap allocations per tick over {number(c['measured_ticks'])} ticks"
    return (f"Measured here (release, {c['seconds_per_side']:.0f} s at {c['rate_hz'] / 1000:.0f} kHz, load average {load('controller')}): "
            f"controller p99 period jitter {c['controller_jitter_us']['p99_us']} µs vs\n"
            f"bare loop {c['bare_jitter_us']['p99_us']} µs (ratio {c['p99_ratio']:.2f}), {counted}, inference "
            f"{c['inference_tight_loop_ns'] / 1000:.1f} µs timed alone\n"
            f"({c['inference_us']['p50_us']} µs p50 inside the loop, after the serial system calls).")

def session():
    # The figure lines scripts/bench-session.sh prints, in the issue's order.
    lines = open(os.path.join(scratch, "session.txt")).read().splitlines()
    keep = ("scratch robot time to success", "first successful exploring episode", "latest.policy deployed", "reset median", "episodes ",
            "before:", "session:", "after:", "learner at the end:", "fine-tune:", "controller jitter p99",
            "allocations per tick", "learner beside the loop", "load average")
    picked = [l.strip() for l in lines if l.strip().startswith(keep)]
    source = "a saved `scripts/bench-session.sh` output" if os.environ.get("FIGURES_SESSION_TXT") else "`scripts/bench-session.sh`"
    return (f"On the twin in real time ({source}; the load average lines are the machine's when each part started):\n\n"
            + "\n".join(f"- {l}" for l in picked))

text = open(readme).read()
for name in sections:
    body = globals()[name.replace("-", "_")]()
    pattern = re.compile(r"(<!-- figures:%s -->\n).*?(\n<!-- /figures:%s -->)" % (name, name), re.S)
    if not pattern.search(text):
        sys.exit(f"README.md has no <!-- figures:{name} --> … <!-- /figures:{name} --> block")
    text = pattern.sub(lambda m: m.group(1) + body + m.group(2), text)
    print(body)
open(readme, "w").write(text)
PY
