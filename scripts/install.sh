#!/bin/sh
# Installs the release binaries and the robot description in the layout the binaries search
# (docs/architecture.md, "Finding the robot"):
#   PREFIX/bin/furuta, PREFIX/bin/furuta-controller, PREFIX/share/furuta/{robot.yaml,furuta.xml}
# so a copied install finds "the bundled robot" without the source tree. Default PREFIX:
# /usr/local. Builds release first unless --no-build.
set -eu
prefix=/usr/local
build=yes
while [ $# -gt 0 ]; do
    case "$1" in
        --help|-h) echo "Usage: scripts/install.sh [--no-build] [PREFIX]   (default /usr/local)"; exit 0 ;;
        --no-build) build=no ;;
        -*) echo "install.sh: unknown option '$1'" >&2; exit 64 ;;
        *) prefix=$1 ;;
    esac
    shift
done
root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
cd "$root"
[ "$build" = yes ] && swift build -c release --product furuta && swift build -c release --product furuta-controller
bin=$(swift build -c release --show-bin-path)
mkdir -p "$prefix/bin" "$prefix/share/furuta"
install -m 0755 "$bin/furuta" "$bin/furuta-controller" "$prefix/bin/"
install -m 0644 assets/furuta/robot.yaml assets/furuta/furuta.xml "$prefix/share/furuta/"
echo "Installed $prefix/bin/furuta, $prefix/bin/furuta-controller and $prefix/share/furuta/."
