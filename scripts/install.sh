#!/usr/bin/env bash
# `make install` and `make uninstall`: puts SmokeGate's binaries, systemd unit, sysusers.d and
# tmpfiles.d entries, configuration and documentation in place, or takes them away again.
#
#   scripts/install.sh install      scripts/install.sh uninstall
#
# Environment (the Makefile passes its variables of the same names):
#   PREFIX   where binaries, unit and docs go (default /usr); the configuration always goes to
#            /etc/smokegate, which is where the unit and the CLI look for it
#   DESTDIR  a staging root prefixed to every path (default empty: this machine); with it set,
#            nothing outside DESTDIR is touched (no user, no folders, no systemctl)
#   BIN_DIR  the built binaries (default: `swift build -c release --show-bin-path`)
#   SWIFT    the swift driver used to find BIN_DIR (default swift)
#
# Configuration the operator already has is never overwritten: the shipped file is written
# beside it as NAME.dist. Uninstalling keeps /etc/smokegate and /var/lib/smokegate (the
# operator's configuration and the alarm history) and the smokegate user.
set -euo pipefail

mode=${1:-}
case "$mode" in
  install | uninstall) ;;
  *)
    echo "usage: $0 install|uninstall  (PREFIX, DESTDIR, BIN_DIR from the environment)" >&2
    exit 2
    ;;
esac

PREFIX=${PREFIX:-/usr}
PREFIX=${PREFIX%/}
DESTDIR=${DESTDIR:-}
DESTDIR=${DESTDIR%/}
SWIFT=${SWIFT:-swift}
case "$PREFIX" in
  /*) ;;
  *)
    echo "smokegate: PREFIX must be an absolute path, not '$PREFIX'" >&2
    exit 2
    ;;
esac
if [[ "$PREFIX" =~ [[:space:]\|\&\\] ]]; then
  echo "smokegate: PREFIX may not contain blanks, '|', '&' or '\\': '$PREFIX'" >&2
  exit 2
fi

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

binaries=(smokegated smokegate smokegate-sim)
bindir=$PREFIX/bin
unitdir=$PREFIX/lib/systemd/system
sysusersdir=$PREFIX/lib/sysusers.d
tmpfilesdir=$PREFIX/lib/tmpfiles.d
docdir=$PREFIX/share/doc/smokegate
datadir=$PREFIX/share/smokegate
confdir=/etc/smokegate
statedir=/var/lib/smokegate
unit=smokegated.service

# A real install on a machine that runs systemd, rather than a staged one.
live_systemd() { [ -z "$DESTDIR" ] && [ -d /run/systemd/system ]; }

need_root() {
  if [ -z "$DESTDIR" ] && [ "$(id -u)" -ne 0 ]; then
    echo "smokegate: $1 into $PREFIX and $confdir needs root: run 'make release' as yourself," >&2
    echo "  then 'sudo make $1 NO_BUILD=1' (or set DESTDIR=... to stage into a folder)" >&2
    exit 1
  fi
}

# install_config SOURCE NAME MODE: into /etc/smokegate, keeping what is already there.
install_config() {
  local source=$1 name=$2 mode=$3
  local target=$DESTDIR$confdir/$name
  if [ ! -e "$target" ]; then
    install -m "$mode" "$source" "$target"
    echo "  installed $target"
  elif cmp -s "$source" "$target"; then
    echo "  $target is already the shipped version"
  else
    install -m "$mode" "$source" "$target.dist"
    echo "  kept $target (yours); the shipped version is beside it as $target.dist"
  fi
}

do_install() {
  need_root install
  if [ -z "${BIN_DIR:-}" ]; then
    if command -v "$SWIFT" >/dev/null 2>&1; then
      BIN_DIR=$("$SWIFT" build -c release --show-bin-path)
    else
      BIN_DIR=$root/.build/release
    fi
  fi
  for binary in "${binaries[@]}"; do
    if [ ! -x "$BIN_DIR/$binary" ]; then
      echo "smokegate: no $binary in $BIN_DIR: run 'make release' first (or set BIN_DIR)" >&2
      exit 1
    fi
  done

  echo "smokegate: installing into ${DESTDIR:-/} (PREFIX=$PREFIX) from $BIN_DIR"
  for binary in "${binaries[@]}"; do
    install -D -m 0755 "$BIN_DIR/$binary" "$DESTDIR$bindir/$binary"
    echo "  installed $DESTDIR$bindir/$binary"
  done

  # The unit names /usr/bin and /usr/share/doc; point it at PREFIX when that is elsewhere.
  install -d -m 0755 "$DESTDIR$unitdir"
  sed -e "s|/usr/bin/smokegated|$bindir/smokegated|g" \
    -e "s|file:///usr/share/doc/smokegate/|file://$docdir/|g" \
    systemd/$unit >"$DESTDIR$unitdir/$unit.tmp"
  chmod 0644 "$DESTDIR$unitdir/$unit.tmp"
  mv -f "$DESTDIR$unitdir/$unit.tmp" "$DESTDIR$unitdir/$unit"
  echo "  installed $DESTDIR$unitdir/$unit"
  install -D -m 0644 systemd/smokegate.sysusers "$DESTDIR$sysusersdir/smokegate.conf"
  echo "  installed $DESTDIR$sysusersdir/smokegate.conf"
  install -D -m 0644 systemd/smokegate.tmpfiles "$DESTDIR$tmpfilesdir/smokegate.conf"
  echo "  installed $DESTDIR$tmpfilesdir/smokegate.conf"

  # Modes as in the tmpfiles.d entry, which also gives them to group smokegate (it cannot
  # exist yet in a staging folder, and is created below on a real install).
  if [ ! -d "$DESTDIR$confdir" ]; then
    install -d -m 2770 "$DESTDIR$confdir"
  fi
  install_config config/smokegate.yaml smokegate.yaml 0640
  install_config config/response-chain.yaml response-chain.yaml 0640
  install_config config/devices.csv devices.csv 0660

  # config/mosquitto.conf is a whole broker configuration (persistence, listener, logins,
  # logging). Debian's /etc/mosquitto/mosquitto.conf already sets persistence_location and
  # log_dest and includes conf.d, and mosquitto refuses a duplicated persistence_location, so
  # dropping it into /etc/mosquitto/conf.d would stop the broker from starting. It goes in as a
  # reference the operator merges by hand (and it is replaced on every install, like the docs).
  install -D -m 0644 config/mosquitto.conf "$DESTDIR$datadir/mosquitto.conf"
  echo "  installed $DESTDIR$datadir/mosquitto.conf (example broker configuration)"
  # Its ACL (copied to /etc/mosquitto/acl by the operator) and the tool that gives a detector
  # its login (docs/broker-security.md).
  install -D -m 0644 config/mosquitto.acl "$DESTDIR$datadir/mosquitto.acl"
  install -D -m 0755 scripts/provision-detector.sh "$DESTDIR$datadir/provision-detector.sh"
  echo "  installed $DESTDIR$datadir/mosquitto.acl and provision-detector.sh"

  install -D -m 0644 README.md "$DESTDIR$docdir/README.md"
  install -D -m 0644 config/README.md "$DESTDIR$docdir/configuration.md"
  if [ -f docs/operations.md ]; then
    install -D -m 0644 docs/operations.md "$DESTDIR$docdir/operations.md"
  fi
  install -D -m 0644 docs/broker-security.md "$DESTDIR$docdir/broker-security.md"
  # Every page of docs/ where the README's links (docs/NAME.md) expect it.
  for page in docs/*.md; do
    install -D -m 0644 "$page" "$DESTDIR$docdir/$page"
  done
  echo "  installed $DESTDIR$docdir/"

  if [ -n "$DESTDIR" ]; then
    echo "smokegate: staged in $DESTDIR; nothing outside it was changed. On the target, run"
    echo "  systemd-sysusers, systemd-tmpfiles --create and systemctl daemon-reload (a package's"
    echo "  post-install step, or the first boot, does this)."
    return
  fi

  # The user before the folders (tmpfiles.d gives them to it), then the folders and the modes
  # of the shipped configuration. Neither tool needs systemd to be running.
  if command -v systemd-sysusers >/dev/null 2>&1; then
    systemd-sysusers "$sysusersdir/smokegate.conf"
  else
    echo "smokegate: systemd-sysusers not found: create the system user and group smokegate by hand" >&2
  fi
  if command -v systemd-tmpfiles >/dev/null 2>&1; then
    systemd-tmpfiles --create "$tmpfilesdir/smokegate.conf"
  else
    echo "smokegate: systemd-tmpfiles not found: create $statedir (2770 smokegate:smokegate) by hand" >&2
  fi
  if live_systemd; then
    systemctl daemon-reload
  fi
  cat <<EOF
smokegate: installed. Next:
  1. Describe your street: edit $confdir/response-chain.yaml and $confdir/devices.csv
     (the columns are explained in $docdir/configuration.md), and the broker address and
     login in $confdir/smokegate.yaml. For the broker, see $datadir/mosquitto.conf, its ACL
     and $docdir/broker-security.md (logins, TLS, provision-detector.sh).
  2. Check it:  smokegated --check-config --config $confdir/smokegate.yaml
  3. Start it:  systemctl enable --now smokegated
  4. Let operators use the CLI:  usermod -aG smokegate NAME  (then log in again)
EOF
}

do_uninstall() {
  need_root uninstall
  if live_systemd && systemctl cat "$unit" >/dev/null 2>&1; then
    systemctl disable --now "$unit"
  fi
  echo "smokegate: removing from ${DESTDIR:-/} (PREFIX=$PREFIX)"
  local files=()
  for binary in "${binaries[@]}"; do files+=("$bindir/$binary"); done
  files+=("$unitdir/$unit" "$sysusersdir/smokegate.conf" "$tmpfilesdir/smokegate.conf")
  files+=("$datadir/mosquitto.conf" "$datadir/mosquitto.acl" "$datadir/provision-detector.sh")
  files+=("$docdir/README.md" "$docdir/configuration.md" "$docdir/operations.md" "$docdir/broker-security.md")
  for page in docs/*.md; do files+=("$docdir/$page"); done
  for file in "${files[@]}"; do
    if [ -e "$DESTDIR$file" ] || [ -L "$DESTDIR$file" ]; then
      rm -f "$DESTDIR$file"
      echo "  removed $DESTDIR$file"
    fi
  done
  for folder in "$docdir/docs" "$docdir" "$datadir"; do
    if [ -d "$DESTDIR$folder" ]; then
      rmdir --ignore-fail-on-non-empty "$DESTDIR$folder"
    fi
  done
  if live_systemd; then
    systemctl daemon-reload
  fi
  echo "smokegate: uninstalled. Kept, as they are yours: the configuration in $DESTDIR$confdir"
  echo "  and the alarm history in $DESTDIR$statedir (and the system user smokegate)."
  if [ -z "$DESTDIR" ]; then
    echo "  To remove them too: rm -r $confdir $statedir; userdel smokegate; groupdel smokegate"
  fi
}

"do_$mode"
