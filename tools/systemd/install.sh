#!/bin/sh
# Installs furuta-controller.service: a system user `furuta` in group dialout, the unit in
# /etc/systemd/system, its settings file in /etc/default (kept if present), then enables it so
# it starts whenever /dev/furuta appears. Run tools/udev/install.sh first (it makes
# /dev/furuta and tags it for systemd) and scripts/install.sh (it puts the binary and the
# robot description under /usr/local).
set -eu

usage() {
    cat <<'USAGE'
Usage: tools/systemd/install.sh [--unit-dir DIR] [--no-enable] [--uninstall] [--help]

  --unit-dir DIR  install the unit into DIR instead of /etc/systemd/system
  --no-enable     install only; do not create the user, reload systemd or enable the unit
  --uninstall     disable and remove the unit (the user and /var/lib/furuta stay)
Needs root (sudo).
USAGE
}

here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
unit=furuta-controller.service
unit_dir=/etc/systemd/system
enable=yes
action=install
while [ $# -gt 0 ]; do
    case "$1" in
        --help|-h) usage; exit 0 ;;
        --unit-dir) [ $# -ge 2 ] || { echo "install.sh: --unit-dir needs a directory" >&2; exit 64; }; unit_dir=$2; shift ;;
        --unit-dir=*) unit_dir=${1#--unit-dir=} ;;
        --no-enable) enable=no ;;
        --uninstall) action=uninstall ;;
        *) echo "install.sh: unknown option '$1' (see --help)" >&2; exit 64 ;;
    esac
    shift
done

if [ "$action" = uninstall ]; then
    if [ "$enable" = yes ] && command -v systemctl >/dev/null 2>&1; then
        systemctl disable --now "$unit" 2>/dev/null || true
    fi
    rm -f "$unit_dir/$unit"
    [ "$enable" = yes ] && command -v systemctl >/dev/null 2>&1 && systemctl daemon-reload || true
    echo "Removed $unit_dir/$unit."
    exit 0
fi

mkdir -p "$unit_dir" 2>/dev/null && [ -w "$unit_dir" ] || { echo "install.sh: cannot write $unit_dir; run it with sudo." >&2; exit 77; }
cp "$here/$unit" "$unit_dir/$unit.tmp.$$"
chmod 0644 "$unit_dir/$unit.tmp.$$"
mv -f "$unit_dir/$unit.tmp.$$" "$unit_dir/$unit"
echo "Installed $unit_dir/$unit."

[ "$enable" = yes ] || exit 0
if [ ! -e /etc/default/furuta-controller ]; then
    install -m 0644 "$here/furuta-controller.default" /etc/default/furuta-controller
    echo "Installed /etc/default/furuta-controller (set FURUTA_POLICY there)."
fi
if ! getent passwd furuta >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /var/lib/furuta --shell /usr/sbin/nologin --groups dialout furuta
    echo "Created system user furuta (group dialout)."
fi
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    systemctl daemon-reload
    systemctl enable "$unit"
    echo "Enabled $unit: it starts when /dev/furuta appears (journalctl -u $unit for its output)."
else
    echo "systemd is not running here: enable it later with: systemctl enable $unit"
fi
