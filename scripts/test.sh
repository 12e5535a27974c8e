#!/usr/bin/env bash
# Run every test: dependencies, Swift tests, the firmware protocol's C tests, the check that
# the deployment binary does not link MuJoCo, and the sweep's Python tests (which start their
# own PostgreSQL server). This is what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

echo "== every imported module declared in Package.swift; the architecture's dependency rules"
python3 scripts/check-module-imports.py

echo "== build"
swift build --build-tests

echo "== furuta-controller must not link MuJoCo"
bin="$(swift build --show-bin-path)"
if ldd "$bin/furuta-controller" | grep -i mujoco; then
  echo "FAIL: furuta-controller links libmujoco" >&2
  exit 1
fi
echo "ok: no libmujoco in ldd furuta-controller"

if [ -s firmware-protocol/Makefile ]; then
  echo "== firmware-protocol C tests"
  make -C firmware-protocol test
  echo "== firmware core cross-compiled for a 32-bit MCU (rv32imc, -Werror)"
  make -C firmware-protocol cross
fi

echo "== allocation gates (release builds)"
scripts/allocation-gates.sh

echo "== furuta sweep: Optuna studies on SQLite and on a private PostgreSQL server (pytest)"
FURUTA_BIN="$(swift build -c release --show-bin-path)/furuta" python3 -m pytest -q tools/sweep/tests

# The suites that run a twin in real time (MuJoCo behind the firmware core on a pty) go last and
# one at a time: beside the CPU-heavy suites (training, Chromium) a starved twin looks to the
# controller exactly like a stalled device, which those tests would rightly report. The twin's
# view source joins them: its receiving task runs on the two-thread cooperative pool, which the
# parallel suites' blocking work can hold for its whole 10 s window (0 frames seen, passes alone).
realtime='RealTimeSessions|TwinTests|FitOnTwinTests|TwinViewSourceTests'
echo "== swift test (everything but the real-time twin suites, in parallel)"
swift test --skip-build --skip "$realtime"
echo "== swift test (the real-time twin suites, one at a time)"
swift test --skip-build --no-parallel --filter "$realtime"

echo "== rehearse (short form): 5 episodes of the fixture policy on randomised twins, cores loaded"
rehearsal="$(mktemp -d)"
cp Tests/ControllerTests/Fixtures/swingup.policy Tests/ControllerTests/Fixtures/swingup.config.yaml "$rehearsal/"
"$bin/furuta-controller" rehearse --policy "$rehearsal/swingup.policy" --episodes 5 --seconds 6 --upright-seconds 3 --threshold 0.8
