#!/bin/sh
# Installs the Furuta udev rule (99-furuta.rules) and makes udev apply it. Idempotent: running
# it again changes nothing unless the rule changed.
set -eu

usage() {
    cat <<'USAGE'
Usage: tools/udev/install.sh [--rules-dir DIR] [--no-reload] [--uninstall] [--help]

Installs 99-furuta.rules so that the ESP32's serial port gets group dialout (mode 0660),
stable names /dev/furuta-<serial> and /dev/furuta, and is left alone by ModemManager.
Then reloads udev and re-triggers tty devices so already plugged boards get them too.

Options:
  --rules-dir DIR  install into DIR instead of /etc/udev/rules.d
  --no-reload      do not run udevadm (for image builds or when udevd is not running)
  --uninstall      remove the rule (and reload), instead of installing it
  --help           show this help

Needs root (sudo) for /etc/udev/rules.d. To use the port without root, also add yourself
to the dialout group:  sudo usermod -aG dialout "$USER"   (then log in again).
USAGE
}

here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
rule_name=99-furuta.rules
source_rule="$here/$rule_name"
rules_dir=/etc/udev/rules.d
reload=yes
action=install

while [ $# -gt 0 ]; do
    case "$1" in
        --help|-h) usage; exit 0 ;;
        --rules-dir)
            [ $# -ge 2 ] || { echo "install.sh: --rules-dir needs a directory" >&2; exit 64; }
            rules_dir=$2; shift ;;
        --rules-dir=*) rules_dir=${1#--rules-dir=} ;;
        --no-reload) reload=no ;;
        --uninstall) action=uninstall ;;
        *) echo "install.sh: unknown option '$1' (see --help)" >&2; exit 64 ;;
    esac
    shift
done

target="$rules_dir/$rule_name"

if [ "$action" = install ]; then
    [ -r "$source_rule" ] || { echo "install.sh: $source_rule is missing" >&2; exit 66; }
    if [ -f "$target" ] && cmp -s "$source_rule" "$target"; then
        echo "$target is already up to date."
    else
        if ! mkdir -p "$rules_dir" 2>/dev/null || ! [ -w "$rules_dir" ]; then
            echo "install.sh: cannot write $rules_dir; run it with sudo." >&2
            exit 77
        fi
        # Write beside the target, then rename: udevd never reads a half-written rule.
        cp "$source_rule" "$target.tmp.$$"
        chmod 0644 "$target.tmp.$$"
        mv -f "$target.tmp.$$" "$target"
        echo "Installed $target."
    fi
else
    if [ -e "$target" ]; then
        rm -f "$target" || { echo "install.sh: cannot remove $target; run it with sudo." >&2; exit 77; }
        echo "Removed $target."
    else
        echo "$target is not installed."
    fi
fi

if [ "$reload" = yes ]; then
    if ! command -v udevadm >/dev/null 2>&1; then
        echo "udevadm not found: the rule takes effect once udev is installed and running."
    elif [ ! -e /run/udev/control ]; then
        echo "udevd is not running: the rule takes effect when it starts."
    else
        # Re-running this on an unchanged rule is harmless: the trigger only re-applies rules.
        udevadm control --reload
        udevadm trigger --subsystem-match=tty --action=change
        udevadm settle --timeout=10 || true
        echo "udev reloaded; plugged boards now appear as /dev/furuta and /dev/furuta-<serial>."
    fi
fi

if [ "$action" = install ] && getent group dialout >/dev/null 2>&1; then
    user=${SUDO_USER:-$(id -un)}
    if [ "$user" != root ] && ! id -nG "$user" | tr ' ' '\n' | grep -qx dialout; then
        echo "Note: $user is not in the dialout group; run: sudo usermod -aG dialout $user (then log in again)."
    fi
fi
