#!/bin/bash
# The figures of a robot training session (issue 13, docs/sessions.md "Benchmark"), on the twin
# in real time, each against a baseline measured in the same run:
#   jitter    loop jitter p99 and allocations per tick, without and with the learner at full
#             speed (`furuta bench learner` at nice 10 on one BLAS thread), alternated A B A B
#   scratch   from a random policy: robot time to the first successful episode, and
#             latest.policy deployed with `run` on a fresh twin (upright s of 15)
#             (--score-every N: the policy that ran every N-th episode is deployed 15 s on a fresh
#             twin; the first holding >= 10 s gives the robot time to success; --score-session DIR
#             scores an existing session folder instead of running one), and the reset median
#   finetune  a sim-trained policy (--policy P, `furuta train --algorithm sac`) on a twin whose
#             physics differ (--physics, default pendulum.mass_kg=0.053) and whose link has
#             robot.yaml's 4 ms round trip (--link-ms each way, 1.7; the pty adds ~0.6 ms):
#             success by `furuta eval`'s criterion (upright the whole last 5 s of 10 s) before,
#             on --sim-episodes (100) simulated episodes with the twin's physics and --trials (10)
#             10 s deployments on fresh twins (logs judged by `furuta eval --log`); then a session
#             of --robot-seconds (300) of robot time with `furuta learn --from P`, and the same
#             two scores of the session's latest.policy (the policy in use when the budget ran out)
# Usage: scripts/bench-session.sh [jitter|scratch|finetune|all] [--episodes N] [--policy P]
#        [--physics key=value] [--trials N] [--seconds S] [--out DIR] [--score-every N]
#        [--score-session DIR] [--robot-seconds S] [--sim-episodes N] [--link-ms MS]
set -u
what=${1:-all}; shift || true
episodes=60; policy=""; physics="pendulum.mass_kg=0.053"; trials=10; seconds=10; out=${TMPDIR:-/tmp}/furuta-bench-session
scored=""; score_every=10; robot_seconds=300; sim_episodes=100; link_ms=1.7
while [[ $# -gt 0 ]]; do
  case $1 in
    --episodes) episodes=$2; shift 2 ;;
    --policy) policy=$2; shift 2 ;;
    --physics) physics=$2; shift 2 ;;
    --trials) trials=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --score-session) scored=$2; shift 2 ;;
    --score-every) score_every=$2; shift 2 ;;
    --robot-seconds) robot_seconds=$2; shift 2 ;;
    --sim-episodes) sim_episodes=$2; shift 2 ;;
    --link-ms) link_ms=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
bin=$(swift build -c release --show-bin-path 2>/dev/null)
F=$bin/furuta; C=$bin/furuta-controller
[[ -x $F && -x $C ]] || { echo "build first: swift build -c release" >&2; exit 1; }
mkdir -p "$out"
load() { echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at $(date -u +%H:%M) UTC ($1)"; }
j() { python3 -c 'import json,sys
v=json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."): v=v[k]
print(v)' "$1" "$2"; }
TWIN=; twin() { local link=$1; shift; rm -f "$link"; "$F" twin --link "$link" "$@" >"$link.log" 2>&1 & TWIN=$!
  for _ in $(seq 100); do [[ -e $link ]] && return 0; sleep 0.1; done; return 1; }
untwin() { [[ -n $TWIN ]] && { kill "$TWIN" 2>/dev/null; wait "$TWIN" 2>/dev/null; }; TWIN=; }
trap 'untwin; [[ -n ${L:-} ]] && kill $L 2>/dev/null' EXIT

if [[ $what == jitter || $what == all ]]; then
  echo "== loop jitter with and without the learner (furuta-controller bench, $seconds s each, A B A B)"; load jitter
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
  d=$out/scratch; mkdir -p "$d"
  if [[ -n $scored ]]; then
    echo "== from scratch: scoring the session folder $scored (no new session)"; load "scoring"
    sf=$scored; summary=$(dirname "$scored")/summary.json
  else
    echo "== from scratch: $episodes episodes of 10 s on the twin"; load "scratch session"
    rm -rf "$d"; mkdir -p "$d"; sf=$d/s; summary=$d/summary.json
    twin "$d/twin" || { echo "twin did not start"; exit 1; }
    "$F" learn --session "$sf" >"$d/learn.log" 2>&1 & L=$!
    sleep 2
    "$C" session --port "$d/twin" --session "$sf" --episodes "$episodes" --summary "$summary" >"$d/session.log" 2>&1
    kill $L 2>/dev/null; wait $L 2>/dev/null; L=; untwin
  fi
  # The policy that ran every --score-every-th episode (and the newest), each deployed 15 s on a
  # fresh twin without exploration: the first holding >= 10 s gives the robot time to success
  # (the robot time of the episodes before it ran, i.e. what it learned from).
  python3 - "$sf" "$score_every" >"$d/to-score.txt" <<'PY'
import json, sys
s = json.load(open(sys.argv[1] + "/session.json")); every = int(sys.argv[2])
t = 0.0; seen = set()
for e in s["episodes"]:
    if (e["index"] % every == 0) and e["policy"] not in seen:
        seen.add(e["policy"]); print(e["index"], round(t, 1), e["policy"])
    t += e.get("running_s", 0)
print("end", round(t, 1), "latest.policy")
PY
  : >"$d/scores.txt"
  while read -r k t p; do
    file=$sf/candidates/$p; [[ $p == latest.policy ]] && file=$sf/latest.policy
    twin "$d/twin-score" || exit 1
    "$C" run --policy "$file" --port "$d/twin-score" --duration 15 --summary "$d/score-$k.json" >"$d/score-$k.log" 2>&1
    untwin
    up=$(j "$d/score-$k.json" longest_upright_s 2>/dev/null || echo 0)
    echo "$k $t $p $up" | tee -a "$d/scores.txt" | awk '{printf "  policy of episode %s (%s, after %s s of robot time): upright %.2f s of 15\n", $1, $3, $2, $4}'
  done <"$d/to-score.txt"
  python3 - "$sf" "$summary" "$d/scores.txt" <<'PY'
import json, sys, statistics
s = json.load(open(sys.argv[1] + "/session.json")); summary = json.load(open(sys.argv[2]))
print(f"episodes {summary['episodes']}, successes {summary['successes']} (with exploration), robot time {summary['robot_time_s']:.0f} s, wall {summary['wall_time_s']:.0f} s, stop {summary['stop_reason']}")
t = 0.0; first = None
for e in s["episodes"]:
    t += e.get("running_s", 0)
    if e.get("success") and first is None: first = (e["index"], t)
print("first successful exploring episode (furuta eval's criterion, judged by the session): " + (f"episode {first[0]}, within {first[1]:.0f} s of robot time" if first else "none"))
scores = [l.split() for l in open(sys.argv[3]) if l.strip()]
ok = [r for r in scores if float(r[3]) >= 10]
print("scratch robot time to success (first scored policy upright >= 10 of 15 s on a fresh twin): " +
      (f"{float(ok[0][1]):.0f} s (the policy of episode {ok[0][0]})" if ok else "not reached") + " (goal <= 600, beyond: <= 300)")
latest = [r for r in scores if r[0] == "end"]
if latest: print(f"latest.policy deployed 15 s on a fresh twin: upright {float(latest[0][3]):.2f} s (goal >= 10)")
resets = [e["reset_s"] for e in s["episodes"] if e.get("reset_s") is not None]
print(f"reset median {statistics.median(resets):.2f} s, max {max(resets):.2f} s over {len(resets)} (goal median <= 3)" if resets else "reset time: not recorded")
PY
fi

if [[ $what == finetune || $what == all ]]; then
  [[ -n $policy ]] || { echo "finetune needs --policy (a policy from furuta train --algorithm sac)"; exit 2; }
  echo "== fine-tuning $policy on a twin with --physics $physics (link ${link_ms} ms each way)"; load finetune
  d=$out/finetune; rm -rf "$d"; mkdir -p "$d"
  # Success is `furuta eval`'s criterion (SwingUpSuccess: upright within 0.2 rad for the whole
  # last 5 s of 10 s): on the simulator with the twin's physics (`furuta eval --physics`) and on
  # the twin itself, each 10 s deployment's log judged by `furuta eval --log`.
  simscore() { "$F" eval --policy "$1" --physics "$physics" --episodes "$sim_episodes" --json >"$d/$2-sim.json" 2>"$d/$2-sim.err"
    j "$d/$2-sim.json" successes; }
  deploy() { local p=$1 tag=$2
    for k in $(seq "$trials"); do
      twin "$d/twin-$tag" --physics "$physics" --delay-ms "$link_ms" --command-delay-ms "$link_ms" || exit 1
      "$C" run --policy "$p" --port "$d/twin-$tag" --duration 10 --log "$d/$tag-$k.csv" --summary "$d/$tag-$k.json" >"$d/$tag-$k.log" 2>&1
      untwin
    done
    "$F" eval --json $(for k in $(seq "$trials"); do echo --log "$d/$tag-$k.csv"; done) >"$d/$tag-twin.json" 2>"$d/$tag-twin.err"
    j "$d/$tag-twin.json" successes; }
  before_sim=$(simscore "$policy" before)
  before=$(deploy "$policy" before)
  echo "before: the start policy succeeds on $before_sim of $sim_episodes simulated episodes with the twin's physics, $before of $trials 10 s deployments on the twin (goal: fails ≥ 1/3)"
  twin "$d/twin" --physics "$physics" --delay-ms "$link_ms" --command-delay-ms "$link_ms" || exit 1
  "$F" learn --session "$d/s" --from "$policy" >"$d/learn.log" 2>&1 & L=$!
  sleep 2
  "$C" session --port "$d/twin" --session "$d/s" --robot-seconds "$robot_seconds" --summary "$d/summary.json" >"$d/session.log" 2>&1
  kill $L 2>/dev/null; wait $L 2>/dev/null; L=; untwin
  grep -m1 "actor started" "$d/learn.log" | sed 's/^learn: /learner: /'
  grep "gradient steps (" "$d/learn.log" | tail -1 | sed 's/^learn: /learner at the end: /'
  # Which policy ran from which robot time on, and the exploring episodes judged by the same criterion.
  "$F" eval --json $(ls "$d"/s/episodes/episode-*.csv | sed 's/^/--log /') >"$d/episodes.json" 2>/dev/null
  python3 - "$d/s/session.json" "$d/episodes.json" "$d/summary.json" <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))["episodes"]; judged = json.load(open(sys.argv[2])); summary = json.load(open(sys.argv[3]))
t = 0.0; first = {}
for x in e:
    first.setdefault(x["policy"], (x["index"], t)); t += x.get("running_s", 0)
print("policies: " + ", ".join(f"{p} from episode {i} ({s:.0f} s)" for p, (i, s) in first.items()))
ok = [v["verdict"]["success"] for v in judged["logs"]]
print(f"session: {summary['episodes']} episodes, robot time {summary['robot_time_s']:.0f} s, stop {summary['stop_reason']}, "
      f"exploring episodes successful {summary['successes']} of {summary['episodes']} (eval --log: {sum(ok)} of {len(ok)}): " + "".join("y" if s else "n" for s in ok))
last = e[-1]["policy"] if e else "none"
print(f"after: latest.policy is {last}, which ran from {first[last][1]:.0f} s of robot time on (learned from at most that much)" if e else "after: no episode ran")
PY
  after_sim=$(simscore "$d/s/latest.policy" after)
  after=$(deploy "$d/s/latest.policy" after)
  echo "fine-tune: after $(j "$d/summary.json" robot_time_s | cut -d. -f1) s of robot time latest.policy succeeds on $after_sim of $sim_episodes simulated episodes with the twin's physics, $after of $trials deployments on the twin (before: $before_sim of $sim_episodes, $before of $trials; goal ≥ 90 % within 300 s)"
fi
