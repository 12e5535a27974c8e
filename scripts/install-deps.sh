#!/usr/bin/env bash
# Install what building and testing need on Debian (bookworm) with Swift 6.3 already on PATH.
# Idempotent: installs only the packages that are missing. Needs root (or sudo).
set -euo pipefail

packages=(
  libmujoco-dev      # MuJoCo 2.2.2, C API (simulation, twin)
  libudev-dev        # device discovery and hotplug (controller)
  libopenblas-dev    # batched matrix products (trainer)
  pkg-config
  umockdev libumockdev-dev   # fake USB serial devices in the discovery tests
  make gcc           # firmware-protocol C tests
  postgresql         # furuta sweep's multi-machine storage; its tests start a private server
  librsvg2-bin fonts-dejavu-core   # furuta plot: SVG → PNG (rsvg-convert) with a font for the labels
  chromium           # furuta view: the page is tested in headless Chromium
  zlib1g-dev         # inflating zip entries of imported checkpoints (PolicyInterop)
  gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf   # firmware core cross-compile (rv32imc)
  systemd            # systemd-analyze verify checks tools/systemd/furuta-controller.service
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

command -v python3 >/dev/null || { echo "python3 is not on PATH: install Python 3 (furuta sweep, tests)" >&2; exit 1; }
python3 -m pip install -q -r "$(dirname "$0")/requirements-test.txt"

command -v swift >/dev/null || { echo "swift is not on PATH: install Swift 6.3 first (swift.org)" >&2; exit 1; }
