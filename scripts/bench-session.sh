#!/bin/bash
# The figures of a robot training session (issue 13, docs/sessions.md "Benchmark"), on the twin
# in real time, each against a baseline measured in the same run:
#   jitter    loop jitter p99 and allocations per tick, without and with the learner at full
#             speed (`furuta bench learner` at nice 10 on one BLAS thread), alternated A B A B
#   scratch   from a random policy: robot time to the first successful episode, and
#             latest.policy deployed with `run` on a fresh twin (upright s of 15)
#   finetune  a sim-trained policy (--policy) on a twin whose physics differ (--physics):
#             success before (deployed --trials times), then a session with `furuta learn --from`,
#             success of latest.policy after (deployed --trials times)
#   reset     median reset time between episodes, from the scratch session's episode summaries
# Usage: scripts/bench-session.sh [jitter|scratch|finetune|all] [--episodes N] [--policy P]
#        [--physics key=value] [--trials N] [--seconds S] [--out DIR]
set -u
what=${1:-all}; shift || true
episodes=60; policy=""; physics="pendulum.mass_kg=0.03"; trials=6; seconds=10; out=${TMPDIR:-/tmp}/furuta-bench-session
while [[ $# -gt 0 ]]; do
  case $1 in
    --episodes) episodes=$2; shift 2 ;;
    --policy) policy=$2; shift 2 ;;
    --physics) physics=$2; shift 2 ;;
    --trials) trials=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
bin=$(swift build -c release --show-bin-path 2>/dev/null)
F=$bin/furuta; C=$bin/furuta-controller
[[ -x $F && -x $C ]] || { echo "build first: swift build -c release" >&2; exit 1; }
mkdir -p "$out"
j() { python3 -c 'import json,sys
v=json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."): v=v[k]
print(v)' "$1" "$2"; }
TWIN=; twin() { local link=$1; shift; rm -f "$link"; "$F" twin --link "$link" "$@" >"$link.log" 2>&1 & TWIN=$!
  for _ in $(seq 100); do [[ -e $link ]] && return 0; sleep 0.1; done; return 1; }
untwin() { [[ -n $TWIN ]] && { kill "$TWIN" 2>/dev/null; wait "$TWIN" 2>/dev/null; }; TWIN=; }
trap 'untwin; [[ -n ${L:-} ]] && kill $L 2>/dev/null' EXIT

if [[ $what == jitter || $what == all ]]; then
  echo "== loop jitter with and without the learner (furuta-controller bench, $seconds s each, A B A B)"
  for round in 1 2; do
    "$C" bench --seconds "$seconds" --json >"$out/jitter-alone-$round.json" 2>/dev/null
    nice -n 10 "$F" bench learner --seconds $((2 * seconds + 10)) >"$out/learner-$round.txt" 2>&1 & L=$!
    sleep 3
    "$C" bench --seconds "$seconds" --json >"$out/jitter-learner-$round.json" 2>/dev/null
    wait $L; L=
  done
  python3 - "$out" <<'PY'
import json, sys, glob
out = sys.argv[1]
def load(kind): return [json.load(open(f)) for f in sorted(glob.glob(f"{out}/jitter-{kind}-*.json"))]
alone, learner = load("alone"), load("learner")
p = lambda rs: [r["controller_jitter_us"]["p99_us"] for r in rs]
a = lambda rs: [r.get("allocations_per_tick") for r in rs]
pa, pl = p(alone), p(learner)
print(f"controller jitter p99 without the learner {pa} µs, with it {pl} µs: ratio {max(pl)/max(max(pa),1e-9):.2f} (goal ≤ 1.2)")
print(f"allocations per tick without {a(alone)}, with {a(learner)} (goal 0)")
PY
  grep -h "updates per second" "$out"/learner-*.txt | sed 's/^/learner beside the loop: /'
fi

if [[ $what == scratch || $what == all ]]; then
  echo "== from scratch: $episodes episodes of 10 s on the twin"
  d=$out/scratch; rm -rf "$d"; mkdir -p "$d"
  twin "$d/twin" || { echo "twin did not start"; exit 1; }
  "$F" learn --session "$d/s" >"$d/learn.log" 2>&1 & L=$!
  sleep 2
  "$C" session --port "$d/twin" --session "$d/s" --episodes "$episodes" --summary "$d/summary.json" >"$d/session.log" 2>&1
  kill $L 2>/dev/null; wait $L 2>/dev/null; L=; untwin
  twin "$d/twin2" || exit 1
  "$C" run --policy "$d/s/latest.policy" --port "$d/twin2" --duration 15 --summary "$d/run.json" >"$d/run.log" 2>&1
  untwin
  python3 - "$d" <<'PY'
import json, sys, glob, statistics
d = sys.argv[1]
s = json.load(open(f"{d}/s/session.json")); summary = json.load(open(f"{d}/summary.json"))
t = 0.0; first = None
for e in s["episodes"]:
    t += e.get("running_s", 0)
    if e.get("success") and first is None: first = (e["index"], t)
print(f"episodes {summary['episodes']}, successes {summary['successes']}, robot time {summary['robot_time_s']:.0f} s, stop {summary['stop_reason']}")
print("first successful episode (upright ≥ 5 s in one stretch, with exploration): " + (f"episode {first[0]} after {first[1]:.0f} s of robot time" if first else "none"))
try: print(f"latest.policy deployed 15 s on a fresh twin: upright {json.load(open(d + '/run.json'))['longest_upright_s']:.2f} s (goal ≥ 10)")
except Exception as x: print(f"latest.policy deploy: no summary ({x})")
resets = [e["reset_s"] for e in s["episodes"] if "reset_s" in e]
print(f"reset median {statistics.median(resets):.2f} s over {len(resets)} (goal ≤ 3)" if resets else "reset time: not recorded in session.json")
PY
fi

if [[ $what == finetune || $what == all ]]; then
  [[ -n $policy ]] || { echo "finetune needs --policy (a policy from furuta train --algorithm sac)"; exit 2; }
  echo "== fine-tuning $policy on a twin with --physics $physics"
  d=$out/finetune; rm -rf "$d"; mkdir -p "$d"
  deploy() { local p=$1 tag=$2 ok=0
    for k in $(seq "$trials"); do
      twin "$d/twin-$tag" --physics "$physics" || exit 1
      "$C" run --policy "$p" --port "$d/twin-$tag" --duration 10 --summary "$d/$tag-$k.json" >"$d/$tag-$k.log" 2>&1
      untwin
      up=$(j "$d/$tag-$k.json" longest_upright_s 2>/dev/null || echo 0)
      python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) >= 5 else 1)" "$up" && ok=$((ok + 1))
    done
    echo "$ok"; }
  before=$(deploy "$policy" before)
  echo "start policy on the mismatched twin: $before of $trials deployments upright ≥ 5 s"
  twin "$d/twin" --physics "$physics" || exit 1
  "$F" learn --session "$d/s" --from "$policy" >"$d/learn.log" 2>&1 & L=$!
  sleep 2
  "$C" session --port "$d/twin" --session "$d/s" --episodes 30 --summary "$d/summary.json" >"$d/session.log" 2>&1
  kill $L 2>/dev/null; wait $L 2>/dev/null; L=; untwin
  after=$(deploy "$d/s/latest.policy" after)
  echo "after $(j "$d/summary.json" robot_time_s) s of robot time: latest.policy $after of $trials deployments upright ≥ 5 s (goal ≥ 90 %)"
fi
