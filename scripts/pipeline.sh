#!/usr/bin/env bash
# The main job, as far as the pipeline exists: check the robot description, simulate a passive
# swing and an energy swing-up through the full sim-to-real chain, and measure the simulator.
# (Later stages — train, export, twin, deploy — are added here as they land.)
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

echo "== build (release)"
swift build -c release --product furuta
furuta="$(swift build -c release --show-bin-path)/furuta"
out="${OUT:-runs/pipeline}"
mkdir -p "$out"

echo "== robot description"
"$furuta" robot check --robot assets/furuta/robot.yaml

echo "== passive swing from 1 rad (motor idle)"
"$furuta" sim --action zero --start-angle 1.0 --seconds 5 --out "$out/passive-swing.csv"

echo "== energy swing-up (scripted, no policy)"
"$furuta" sim --action energy --seconds 5 --out "$out/energy-swing-up.csv"

echo "== simulator benchmark"
"$furuta" bench sim --json | tee "$out/bench-sim.json"

echo "pipeline done: results in $out/"
