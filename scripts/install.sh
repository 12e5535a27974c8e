#!/bin/sh
# Installs the release binaries and the robot description in the layout the binaries search
# (docs/architecture.md, "Finding the robot"):
#   PREFIX/bin/furuta, PREFIX/bin/furuta-controller (and the interposer library furuta loads
#   from its own directory), PREFIX/share/furuta/{robot.yaml,furuta.xml}
# so a copied install finds "the bundled robot" without the source tree. Default PREFIX:
# /usr/local.
set -eu

usage() {
    cat <<'USAGE'
Usage: scripts/install.sh [--no-build] [--static] [--bin-dir DIR] [PREFIX]

  PREFIX        where to install (default /usr/local)
  --no-build    install what is built already
  --static      build with the Swift runtime linked in (--static-swift-stdlib): for a robot
                computer without a Swift toolchain
  --bin-dir DIR take the binaries from DIR (default: swift build -c release --show-bin-path)
USAGE
}

prefix=/usr/local
build=yes
static=no
bin=
while [ $# -gt 0 ]; do
    case "$1" in
        --help|-h) usage; exit 0 ;;
        --no-build) build=no ;;
        --static) static=yes ;;
        --bin-dir) [ $# -ge 2 ] || { echo "install.sh: --bin-dir needs a directory" >&2; exit 64; }; bin=$2; shift ;;
        -*) echo "install.sh: unknown option '$1' (see --help)" >&2; exit 64 ;;
        *) prefix=$1 ;;
    esac
    shift
done
root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
cd "$root"
flags="-c release"
[ "$static" = yes ] && flags="$flags --static-swift-stdlib"
if [ "$build" = yes ]; then
    # shellcheck disable=SC2086
    swift build $flags --product furuta
    # shellcheck disable=SC2086
    swift build $flags --product furuta-controller
fi
# shellcheck disable=SC2086
[ -n "$bin" ] || bin=$(swift build $flags --show-bin-path)
for f in furuta furuta-controller; do
    [ -x "$bin/$f" ] || { echo "install.sh: $bin/$f is not built (drop --no-build)" >&2; exit 66; }
done
mkdir -p "$prefix/bin" "$prefix/share/furuta"
install -m 0755 "$bin/furuta" "$bin/furuta-controller" "$prefix/bin/"
# furuta's runpath includes $ORIGIN, where it finds malloc-interposer's library.
for lib in "$bin"/libMallocInterposer*.so; do
    [ -e "$lib" ] && install -m 0644 "$lib" "$prefix/bin/"
done
install -m 0644 assets/furuta/robot.yaml assets/furuta/furuta.xml "$prefix/share/furuta/"
echo "Installed $prefix/bin/furuta, $prefix/bin/furuta-controller and $prefix/share/furuta/."
