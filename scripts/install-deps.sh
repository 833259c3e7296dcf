#!/usr/bin/env bash
# Installs the Debian packages SmokeGate builds, tests and runs with, if any is missing.
# Safe to run again: it does nothing when everything is present.
set -euo pipefail

packages=(libmosquitto-dev mosquitto mosquitto-clients libsqlite3-dev libsystemd-dev pkg-config tmux systemd postgresql iproute2)
missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "smokegate: installing ${missing[*]}"
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    echo "smokegate: need root to install ${missing[*]} (run as root or install sudo)" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
# The mosquitto package would start a system broker on port 1883 and postgresql a cluster on
# 5432; SmokeGate's tests and demo start their own. Where no policy-rc.d decides (a container
# without systemd may have none, and init scripts would then start servers there), deny service
# starts for this install only: the packages' scripts skip the start and succeed. The services
# stay enabled; `systemctl start mosquitto postgresql` starts them if you want them.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
  "${sudo[@]}" chmod 755 "$policy"
  trap '"${sudo[@]}" rm -f "$policy"' EXIT
fi
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
