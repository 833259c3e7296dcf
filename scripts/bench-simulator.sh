#!/usr/bin/env bash
# The simulator must never be a benchmark's bottleneck: `smokegate-sim fleet --rate 0`
# publishing flat out against `mosquitto_pub --repeat` publishing the same number of
# messages of the same size to the same throwaway broker, rounds alternating, in one run.
#   MESSAGES=200000 ROUNDS=3 QOS=0 scripts/bench-simulator.sh
set -euo pipefail
cd "$(dirname "$0")/.."
messages=${MESSAGES:-200000}
rounds=${ROUNDS:-3}
qos=${QOS:-0}
sim=${SIM:-.build/release/smokegate-sim}
work=$(mktemp -d -t smokegate-simbench.XXXXXX)
broker_pid=""
cleanup() {
  if [ -n "$broker_pid" ]; then kill "$broker_pid" 2>/dev/null || true; wait "$broker_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$port" > "$work/mosquitto.conf"
mosquitto -c "$work/mosquitto.conf" > "$work/mosquitto.log" 2>&1 &
broker_pid=$!
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done

# The same payload size as the fleet's native heartbeat.
payload='{"type":"heartbeat","seq":123456,"battery":87,"rssi":-71}'
now() { date +%s.%N; }
ratios=()
echo "simulator benchmark: $messages messages at QoS $qos, $rounds rounds, broker 127.0.0.1:$port"
for round in $(seq "$rounds"); do
  for tool in pub sim; do
    # Alternate which goes first, so neither always meets a warm broker.
    if [ $((round % 2)) -eq 0 ]; then [ "$tool" = pub ] && tool=sim || tool=pub; fi
    start=$(now)
    if [ "$tool" = pub ]; then
      mosquitto_pub -h 127.0.0.1 -p "$port" -q "$qos" -t bench/pub -m "$payload" --repeat "$messages"
      pub_seconds=$(echo "$(now) - $start" | bc -l)
    else
      "$sim" fleet --port "$port" --devices 5000 --rate 0 --count "$messages" --qos "$qos" --topic 'bench/{id}' > /dev/null
      sim_seconds=$(echo "$(now) - $start" | bc -l)
    fi
  done
  ratio=$(echo "$pub_seconds / $sim_seconds" | bc -l)
  ratios+=("$ratio")
  printf 'round %d: mosquitto_pub %.0f msg/s, smokegate-sim fleet %.0f msg/s, ratio %.2f×\n' "$round" \
    "$(echo "$messages / $pub_seconds" | bc -l)" "$(echo "$messages / $sim_seconds" | bc -l)" "$ratio"
done
median=$(printf '%s\n' "${ratios[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
printf 'median ratio (fleet over mosquitto_pub): %.2f× (target: at least 0.8×)\n' "$median"
