#!/usr/bin/env bash
# `make demo-cluster`: two smokegated on one PostgreSQL database, as a district runs a leader
# and a standby. A PostgreSQL server and a mosquitto broker on loopback ports, gateways gw-a
# (which takes the lease) and gw-b on the demo street with the ladder at 0/3/9/15 s, a kitchen
# fire, and gw-a killed with SIGKILL between the community's call and the street's: the
# standby takes the lease and calls the street and the station, each once. Everything it
# starts it stops; it exits 0 when every step did what it should.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${BIN_DIR:-.build/debug}
work=$(mktemp -d -t smokegate-cluster.XXXXXX)
chmod 0755 "$work"
pids=()
postgres_ctl=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ ${#postgres_ctl[@]} -gt 0 ]; then "${postgres_ctl[@]}" stop -m immediate -D "$work/pg" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n== %s\n' "$*"; }
fail() { echo "demo-cluster: $*" >&2; exit 1; }
free_port() {
  local port=$1
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}
# Waits up to $1 seconds for the command after it to succeed.
wait_for() {
  local limit=$1
  shift
  for _ in $(seq 1 $((limit * 10))); do "$@" && return 0; sleep 0.1; done
  return 1
}

pg_bin=$(dirname "$(readlink -f "$(command -v initdb || ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")")
[ -x "$pg_bin/postgres" ] || fail "PostgreSQL's server is not installed (make deps installs it)"
as_server=()
if [ "$(id -u)" -eq 0 ]; then as_server=(setpriv --reuid=postgres --regid=postgres --init-groups); chown postgres: "$work"; fi
postgres_ctl=("${as_server[@]}" "$pg_bin/pg_ctl")

pg_port=$(free_port 15432)
broker_port=$(free_port 18840)
step "Starting PostgreSQL on 127.0.0.1:$pg_port and mosquitto on 127.0.0.1:$broker_port"
"${as_server[@]}" "$pg_bin/initdb" -D "$work/pg" -U smokegate --auth=trust --locale=C -E UTF8 >/dev/null
"${postgres_ctl[@]}" start -D "$work/pg" -l "$work/pg.log" -w \
  -o "-h 127.0.0.1 -p $pg_port -k $work" >/dev/null
"$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U smokegate smokegate
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$broker_port" >"$work/mosquitto.conf"
mosquitto -c "$work/mosquitto.conf" >"$work/mosquitto.log" 2>&1 &
pids+=($!)
wait_for 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/$broker_port" 2>/dev/null || fail "mosquitto did not start"

mosquitto_sub -h 127.0.0.1 -p "$broker_port" -q 1 -t 'smokegate/notify/#' -v >"$work/calls.log" &
pids+=($!)

# Two nodes: the demo street's chain and registry, one database, one lease of 3 s.
for node in gw-a gw-b; do
  cat >"$work/$node.yaml" <<EOF
broker: { host: 127.0.0.1, port: $broker_port, client_id: smokegated-demo }
database: postgresql://smokegate@127.0.0.1:$pg_port/smokegate
cluster: { node: $node, lease: 3s }
sources:
  - { topic: "smokegate/detectors/+/event", format: native }
registry: { chain: $(pwd)/config/demo/response-chain.yaml, devices: $(pwd)/config/demo/devices.csv }
escalation: { grid: 0s, community: 3s, street: 9s, station: 15s }
supervision: { default: { heartbeat: 1m, offline_after: 5m }, nbiot: { heartbeat: 24h, offline_after: 25h } }
dispatch: { topic_prefix: smokegate/notify }
EOF
done
status() { "$bin/smokegate" status --json --config "$work/gw-a.yaml" 2>/dev/null; }
leader_is() { status | grep -Eq "\"node\" *: *\"$1\"" && status | grep -Eq '"role" *: *"leader"'; }

step "Starting gw-a, then gw-b as its standby"
"$bin/smokegated" --config "$work/gw-a.yaml" >"$work/gw-a.log" 2>&1 &
gw_a=$!
pids+=("$gw_a")
wait_for 30 leader_is gw-a || { cat "$work/gw-a.log" >&2; fail "gw-a never led"; }
"$bin/smokegated" --config "$work/gw-b.yaml" >"$work/gw-b.log" 2>&1 &
pids+=($!)
sleep 2
"$bin/smokegate" status --config "$work/gw-a.yaml" | sed -n '/^cluster/,$p'

step "A kitchen fire at YQ-000001; the grid is called at once, the community at 3 s"
mosquitto_pub -h 127.0.0.1 -p "$broker_port" -q 1 -t smokegate/detectors/YQ-000001/event -m '{"type":"alarm","seq":1}'
wait_for 10 grep -q 'notify/community/' "$work/calls.log" || fail "the community was not called"
sed 's/^/  /; s/\(.\{140\}\).*/\1…/' "$work/calls.log"

step "gw-a killed (SIGKILL) between the community's call and the street's (9 s)"
kill -9 "$gw_a"
wait_for 20 grep -q 'notify/street/' "$work/calls.log" || { tail -20 "$work/gw-b.log" >&2; fail "the standby never called the street"; }
wait_for 20 grep -q 'notify/station/' "$work/calls.log" || fail "the standby never called the station"
grep -h 'leading the cluster' "$work/gw-b.log" | sed 's/^/  gw-b: /' | tail -1
sed 's/^/  /; s/\(.\{140\}\).*/\1…/' "$work/calls.log"
"$bin/smokegate" status --config "$work/gw-b.yaml" | sed -n '/^cluster/,$p'

step "Each tier called once"
for tier in grid community street station; do
  count=$(grep -c "notify/$tier/" "$work/calls.log" || true)
  [ "$count" -eq 1 ] || fail "$tier called $count times"
  echo "  $tier: once"
done
"$bin/smokegate" show 1 --config "$work/gw-b.yaml" | tail -8
echo
echo "demo-cluster: the standby took over and the fire climbed the whole chain"
