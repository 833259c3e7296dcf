#!/usr/bin/env bash
# `make demo`: a loopback broker, smokegated on the demo street (涌泉街道, 38 grids, 1,000
# detectors), a few detectors publishing in all three formats, and the operator CLI showing
# what the gateway made of them. Stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=.build/debug
config=config/demo/smokegate.yaml
work=$(mktemp -d -t smokegate-demo.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then
  step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
else
  step() { printf '\n== %s\n' "$*"; }
fi

step "Checking the demo configuration"
"$bin/smokegated" --check-config --config "$config"

step "Starting a loopback broker on 127.0.0.1:1883"
if (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null; then
  echo "a broker is already listening on 127.0.0.1:1883; using it"
else
  mosquitto -c config/mosquitto-demo.conf >"$work/mosquitto.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null && break; sleep 0.1; done
fi

step "Starting smokegated (fresh database config/demo/smokegate-demo.db)"
rm -f config/demo/smokegate-demo.db config/demo/smokegate-demo.db-wal config/demo/smokegate-demo.db-shm
"$bin/smokegated" --config "$config" 2> >(tee "$work/smokegated.log" | sed 's/^/  smokegated | /' >&2) &
daemon=$!
pids+=($daemon)
for _ in $(seq 100); do
  if "$bin/smokegate" status --json --config "$config" 2>/dev/null | grep -q '"connected" : true'; then break; fi
  sleep 0.1
done

publish() { mosquitto_pub -h 127.0.0.1 -p 1883 -q 1 -t "$1" -m "$2"; }
now() { date -u +%Y-%m-%dT%H:%M:%SZ; }

step "Responders' systems listen on smokegate/notify/# (every call is printed as it arrives)"
# Payloads are compact JSON with sorted keys; pick out what a duty officer reads first.
mosquitto_sub -h 127.0.0.1 -p 1883 -q 1 -t 'smokegate/notify/#' 2>/dev/null > >(
  sed -uE 's/.*"action":"([^"]*)".*"device":"([^"]*)".*"incident":([0-9]+).*"kind":"([^"]*)".*"reason":"([^"]*)".*"tier":"([^"]*)","unit":"([^"]*)".*/  call | \1 \6 \7 (incident \3, \4 at \2): \5/') &
pids+=($!)
sleep 0.3

step "Detectors report in"
echo "  YQ-000001 (native) heartbeat, YQ-000002 pressed its test button"
publish smokegate/detectors/YQ-000001/event "{\"type\":\"heartbeat\",\"ts\":\"$(now)\",\"seq\":1,\"battery\":92,\"rssi\":-67}"
publish smokegate/detectors/YQ-000002/event "{\"type\":\"test\",\"ts\":\"$(now)\",\"seq\":8}"
echo "  a Zigbee2MQTT detector in a garage senses smoke: it is not in the registry, so every street command centre is called"
publish zigbee2mqtt/garage-0x00158d0004fc9481 '{"battery":100,"linkquality":120,"smoke":false,"tamper":false,"battery_low":false}'
publish zigbee2mqtt/garage-0x00158d0004fc9481 '{"battery":100,"linkquality":117,"smoke":true,"tamper":false,"battery_low":false}'
imei=$(awk -F, '$6=="nbiot"{print $1; exit}' config/demo/devices.csv)
echo "  NB-IoT detector $imei reports a fault through CTWing: a job for its grid worker"
publish ctwing/smoke/15014772 "{\"messageType\":\"dataReport\",\"IMEI\":\"$imei\",\"timestamp\":$(date +%s%3N),\"payload\":{\"serviceId\":\"notification\",\"serviceData\":{\"Alarm_Status\":5,\"Battery_Level\":88,\"RSRP\":109}}}"
echo "  and a broken payload arrives (rejected with a reason, never a crash)"
publish smokegate/detectors/YQ-000004/event '{"type": alarm}'
sleep 1

step "An alarm climbs the response chain (demo ladder: grid 0s, community 3s, street 6s, station 9s)"
echo "  smokegate-sim replays Simulator/Scenarios/demo-fire.jsonl: YQ-000003 alarms and nobody acknowledges"
"$bin/smokegate-sim" replay Simulator/Scenarios/demo-fire.jsonl --port 1883 >/dev/null
sleep 10.5

step "smokegate status"
"$bin/smokegate" status --config "$config"

step "smokegate devices --seen"
"$bin/smokegate" devices --seen --config "$config"

step "Stopping smokegated (SIGTERM: flush, mark stopped, exit 0)"
kill -TERM "$daemon"
wait "$daemon"
echo "smokegated exited with status $?"

cat <<'NEXT'

What to try next:
  smokegated --check-config --config config/demo/smokegate.yaml   validate a configuration
  smokegate devices --json --config config/demo/smokegate.yaml    the registry as JSON
  make test                                                      the whole test suite
  make bench                                                     gateway throughput and escalation latency
NEXT
