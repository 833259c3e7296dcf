#!/usr/bin/env bash
# `make demo`: the shipped production broker configuration on a loopback port, smokegated on
# the demo street (涌泉街道, 38 grids, 1,000 detectors) with its ladder compressed to seconds,
# detectors reporting in all three formats, a kitchen fire spreading through one restaurant
# climbing the response chain, the grid's WeCom group and the community's phones (loopback
# doubles of the vendors) hearing of it, the grid worker acknowledging by following the link
# in the group's message, and an operator resolving it through the CLI. Everything it starts
# it stops; it exits 0 when every step did what it should.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

bin=${BIN_DIR:-.build/debug}
demo=config/demo
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
fail() { echo "demo: $*" >&2; exit 1; }

# A free loopback port: the first from $1 upwards that nothing answers on.
free_port() {
  local port=$1
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}
# POST a form to 127.0.0.1:$1 at path $2 (body $3, ASCII), as a phone's browser does; prints the answer.
http_post() {
  exec 4<>"/dev/tcp/127.0.0.1/$1"
  printf 'POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s' "$2" "${#3}" "$3" >&4
  cat <&4
  exec 4<&-
}
# Percent-encodes $1 (UTF-8) for a form field.
form_encode() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n' | sed 's/\(..\)/%\1/g'; }
# GET on the daemon's monitoring listener without needing curl.
http_get() {
  exec 3<>"/dev/tcp/127.0.0.1/$http_port"
  printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$1" >&3
  cat <&3
  exec 3<&-
}

step "Checking the demo configuration"
"$bin/smokegated" --check-config --config "$demo/smokegate.yaml"

broker_port=$(free_port 18830)
http_port=$(free_port 19466)
step "Starting mosquitto with the shipped config/mosquitto.conf on 127.0.0.1:$broker_port"
# The production file as shipped, with only what must differ on a laptop: the port, the
# persistence folder, the password file, the ACL (a copy) and the log destination, and no TLS
# listener (it needs certificates). Logins and the ACL stay required.
mkdir -m 0777 "$work/broker"
sed -e "s|^listener 1883 127.0.0.1|listener $broker_port 127.0.0.1|" \
    -e "s|^persistence_location /var/lib/mosquitto/|persistence_location $work/broker/|" \
    -e "s|^password_file /etc/mosquitto/passwd|password_file $work/broker/passwd|" \
    -e "s|^log_dest syslog|log_dest file $work/broker/mosquitto.log|" \
    -e "s|^acl_file /etc/mosquitto/acl|acl_file $work/broker/acl|" \
    -e "/^listener 8883/,/^cafile /d" \
    config/mosquitto.conf >"$work/mosquitto.conf"
# The shipped ACL; the demo's one `detectors` login stands for the whole simulated fleet.
{ cat config/mosquitto.acl; printf 'user detectors\ntopic write smokegate/detectors/#\ntopic write zigbee2mqtt/#\ntopic write ctwing/#\n'; } >"$work/broker/acl"
{ diff config/mosquitto.conf "$work/mosquitto.conf" || true; } | sed -n 's/^> /  changed for the demo: /p' | sed "s|$work|<demo folder>|"
echo "  dropped for the demo: the site network's TLS listener (listener 8883 needs certificates)"
for user in smokegated detectors responders; do
  (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$work/$user.password")
  touch "$work/broker/passwd"
  mosquitto_passwd -b "$work/broker/passwd" "$user" "$(cat "$work/$user.password")"
done
chmod 0644 "$work/broker/passwd"
# mosquitto started as root drops to its own user, which must read the folder it was given.
chmod 0755 "$work"
mosquitto -c "$work/mosquitto.conf" &
pids+=($!)
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$broker_port") 2>/dev/null && break; sleep 0.1; done
(exec 3<>"/dev/tcp/127.0.0.1/$broker_port") 2>/dev/null || fail "mosquitto did not start: $(cat "$work/broker/mosquitto.log" 2>/dev/null)"
echo "  logins required: smokegated, detectors and responders each have a password"
if mosquitto_pub -h 127.0.0.1 -p "$broker_port" -t smokegate/probe -m x 2>/dev/null; then
  fail "the broker let an anonymous client publish"
fi
echo "  an anonymous client is refused"

step "Starting loopback doubles of a WeCom group robot and Aliyun SMS (what each phone shows is printed)"
# They check each request and signature as the vendors document them. In production the
# receivers point at qyapi.weixin.qq.com and dysmsapi.aliyuncs.com instead.
doubles_port_file="$work/doubles.port"
"$bin/receiver-doubles" --port-file "$doubles_port_file" --lifetime 10m > >(sed -u 's/^/  phone | /') 2>"$work/doubles.log" &
pids+=($!)
for _ in $(seq 100); do [ -s "$doubles_port_file" ] && break; sleep 0.1; done
[ -s "$doubles_port_file" ] || fail "the receiver doubles did not start: $(cat "$work/doubles.log")"
doubles_port=$(tr -d '[:space:]' <"$doubles_port_file")
echo "  listening on 127.0.0.1:$doubles_port"

step "Starting smokegated on the demo street (ladder: grid 0s, community 3s, street 6s, station 9s)"
# The demo configuration, pointed at this broker with a login, a fresh database and the
# monitoring listener; the response chain and the fleet are the repository's.
config="$work/smokegate.yaml"
sed -e "s|^  port: 1883 .*|  port: $broker_port\n  username: smokegated\n  password_file: $work/smokegated.password|" \
    -e "s|^database: .*|database: $work/smokegate-demo.db|" \
    -e "s|^  chain: .*|  chain: $repo/$demo/response-chain.yaml|" \
    -e "s|^  devices: .*|  devices: $repo/$demo/devices.csv|" \
    -e "s|^  listen: .*|  listen: \"127.0.0.1:$http_port\"|" \
    "$demo/smokegate.yaml" >"$config"
# Receivers: the restaurant's grid (yq-c01-g05) has a WeCom group, its community texts its
# duty phones; the links in the messages answer on http.listen. Secrets live in files only
# their owner may read, as --check-config requires.
mkdir -m 0700 "$work/secrets"
(umask 077
 echo "http://127.0.0.1:$doubles_port/cgi-bin/webhook/send?key=demo-grid-robot" >"$work/secrets/grid-wecom.url"
 echo "smokegate-double-aliyun" >"$work/secrets/aliyun.secret"
 head -c 48 /dev/urandom | base64 | tr -d '\n' >"$work/secrets/answer.key")
cat >>"$config" <<RECEIVERS
receivers:
  - { name: grid-wecom, type: wecom, url_file: $work/secrets/grid-wecom.url }
  - { name: community-sms, type: aliyun_sms, endpoint: "http://127.0.0.1:$doubles_port/sms/",
      access_key_id: LTAI-smokegate-double, access_key_secret_file: $work/secrets/aliyun.secret,
      sign_name: 涌泉街道, template_code: SMS_000000 }
answer:
  base_url: "http://127.0.0.1:$http_port"
  secret_file: $work/secrets/answer.key
  valid_for: 1h
RECEIVERS
awk '{ print }
     /^          - id: yq-c01-g05$/ { print "            receivers: [grid-wecom]" }
     /^      - id: yq-c01$/ { print "        receivers: [community-sms]" }' \
  "$demo/response-chain.yaml" >"$work/response-chain.yaml"
sed -i -e "s|^  chain: .*|  chain: $work/response-chain.yaml|" "$config"
"$bin/smokegated" --check-config --config "$config" >/dev/null || fail "the demo's receivers configuration is not valid"
"$bin/smokegated" --config "$config" 2> >(tee "$work/smokegated.log" | sed -u 's/^/  smokegated | /' >&2) &
daemon=$!
pids+=($daemon)
connected=no
for _ in $(seq 150); do
  if "$bin/smokegate" status --json --config "$config" 2>/dev/null | grep -q '"connected" : true'; then connected=yes; break; fi
  sleep 0.1
done
[ "$connected" = yes ] || fail "smokegated did not connect to the broker"
echo "  GET /healthz: $(http_get /healthz | tail -1)"

login() { echo -u "$1" -P "$(cat "$work/$1.password")"; }
publish() { mosquitto_pub -h 127.0.0.1 -p "$broker_port" $(login detectors) -q 1 -t "$1" -m "$2"; }
now() { date -u +%Y-%m-%dT%H:%M:%SZ; }

step "Responders' systems listen on smokegate/notify/# (every call is printed as it arrives)"
# Payloads are compact JSON with sorted keys; pick out what a duty officer reads first.
mosquitto_sub -h 127.0.0.1 -p "$broker_port" $(login responders) -q 1 -t 'smokegate/notify/#' 2>/dev/null > >(
  tee "$work/calls.jsonl" |
  sed -uE 's/.*"action":"([^"]*)".*"device":"([^"]*)".*"incident":([0-9]+).*"kind":"([^"]*)".*"reason":"([^"]*)".*"tier":"([^"]*)","unit":"([^"]*)".*/  call | \1 \6 \7 (incident \3, \4 at \2): \5/') &
pids+=($!)
sleep 0.3

step "Detectors report in"
echo "  YQ-000001 (native) heartbeat, YQ-000002 pressed its test button"
publish smokegate/detectors/YQ-000001/event "{\"type\":\"heartbeat\",\"ts\":\"$(now)\",\"seq\":1,\"battery\":92,\"rssi\":-67}"
publish smokegate/detectors/YQ-000002/event "{\"type\":\"test\",\"ts\":\"$(now)\",\"seq\":8}"
imei=$(awk -F, '$6=="nbiot"{print $1; exit}' "$demo/devices.csv")
echo "  NB-IoT detector $imei reports a fault through CTWing: a job for its grid worker"
publish ctwing/smoke/15014772 "{\"messageType\":\"dataReport\",\"IMEI\":\"$imei\",\"timestamp\":$(date +%s%3N),\"payload\":{\"serviceId\":\"notification\",\"serviceData\":{\"Alarm_Status\":5,\"Battery_Level\":88,\"RSRP\":109}}}"
echo "  and a broken payload arrives (rejected with a reason, never a crash)"
publish smokegate/detectors/YQ-000004/event '{"type": alarm}'
sleep 1

step "A kitchen fire spreads through 宏达家常菜馆 (Simulator/Scenarios/fire-spreading.jsonl at 10x)"
echo "  YQ-000145 后厨 alarms: the grid worker is called at once, the community 3 s later;"
echo "  then YQ-000142 储藏间 alarms in the same restaurant: one fire spreading, every tier called at once"
"$bin/smokegate-sim" replay Simulator/Scenarios/fire-spreading.jsonl --port "$broker_port" --speed 10 \
  --username detectors --password-file "$work/detectors.password" >/dev/null &
replay=$!
pids+=($replay)
sleep 7
fire=$("$bin/smokegate" alarms --json --config "$config" | tr -d '\n' | tr '{' '\n' | grep '"device" : "YQ-000145"' | grep -o '"id" : [0-9]*' | grep -o '[0-9]*$' || true)
[ -n "$fire" ] || fail "no incident opened for YQ-000145"

step "The grid worker taps the link in the WeCom group's message and acknowledges (a POST, not the CLI)"
received=$(exec 5<>"/dev/tcp/127.0.0.1/$doubles_port"; printf 'GET /_received?vendor=wecom HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&5; cat <&5)
link=$(echo "$received" | grep -o '"link":"[^"]*"' | head -1 | sed 's/"link":"//; s/"$//')
[ -n "$link" ] || fail "the grid's WeCom group received no message with a link"
path=${link#http://127.0.0.1:$http_port}
echo "  the link: ${link:0:60}…"
echo "  GET (as the chat app's preview does): $(http_get "$path" | head -1 | tr -d '\r'), nothing changes"
answer=$(http_post "$http_port" "$path" "action=ack&by=$(form_encode 网格员胡卫东)")
echo "  POST action=ack by=网格员胡卫东: $(echo "$answer" | head -1 | tr -d '\r')"
echo "$answer" | head -1 | grep -q ' 200 ' || fail "the acknowledgement through the link was not taken: $answer"
sleep 1
echo "  \$ smokegate ack $fire --by 社区值班王芳   (a second operator is refused, and told who answered, and how)"
if "$bin/smokegate" ack "$fire" --by 社区值班王芳 --config "$config"; then fail "a second acknowledgement was accepted"; fi
wait "$replay"
sleep 0.5

step "smokegate show $fire"
"$bin/smokegate" show "$fire" --config "$config"

step "The fire is out: the three detectors clear, then smokegate resolve $fire --by 网格员李明 --cause real_fire"
echo "  (resolving while a detector still senses smoke would open the fire again at once, as a fire panel re-latches)"
for detector in YQ-000145 YQ-000142 YQ-000143; do
  publish "smokegate/detectors/$detector/event" "{\"type\":\"alarm_clear\",\"ts\":\"$(now)\"}"
done
sleep 1
resolved=$("$bin/smokegate" resolve "$fire" --by 网格员李明 --cause real_fire --note "消防站到场扑灭" --config "$config")
echo "$resolved" | sed 's/^/  /'
if echo "$resolved" | grep -q RE-LATCHED; then fail "a detector still sensed smoke after the clears"; fi
sleep 1

step "smokegate alarms (what is still open) and smokegate status"
"$bin/smokegate" alarms --config "$config"
"$bin/smokegate" status --config "$config"

step "Monitoring: GET /metrics (an excerpt)"
http_get /metrics | grep -E '^smokegate_(messages_received_total|messages_rejected_total|notifications_sent_total|open_incidents\{kind="fault"|broker_connected|alarm_to_dispatch_seconds_count)' | grep -vE ' 0(\.0)?$' | sed 's/^/  /'

step "Stopping smokegated (SIGTERM: STOPPING, send what is left, flush, exit 0)"
kill -TERM "$daemon"
status=0
wait "$daemon" || status=$?
echo "smokegated exited with status $status"
[ "$status" -eq 0 ] || fail "smokegated did not exit cleanly"

calls=$(grep -c '"action":"notify"' "$work/calls.jsonl" || true)
acks=$(grep -c '"action":"ack"' "$work/calls.jsonl" || true)
echo "responders received $calls calls and $acks acknowledgements"
grep -q '"tier":"station"' "$work/calls.jsonl" || fail "the fire-rescue station was never called"
"$bin/smokegate" show "$fire" --json --config "$config" | grep -q '"channel" : "link"' || fail "the acknowledgement is not on the timeline as made through the link"
texts=$(exec 5<>"/dev/tcp/127.0.0.1/$doubles_port"; printf 'GET /_received?vendor=aliyun_sms HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&5; cat <&5 | grep -o '"vendor":"aliyun_sms"' | wc -l)
echo "the WeCom group and $texts community phones heard of the fire"
[ "$texts" -ge 2 ] || fail "the community's duty phones were not texted"
[ "$acks" -ge 4 ] || fail "not every tier called was told of the acknowledgement"

cat <<'NEXT'

What to try next:
  smokegated --check-config --config config/demo/smokegate.yaml   validate a configuration
  smokegate-sim replay Simulator/Scenarios/kitchen-smoke.jsonl    more scenarios (Simulator/README.md)
  mosquitto -p 1883 & smokegated --config config/demo/smokegate.yaml
                                                                 the demo street on a broker of your own
  smokegate watch --config config/demo/smokegate.yaml             then, in another terminal, the live console
  make test                                                      the whole test suite
  make bench                                                     gateway throughput and escalation latency
  docs/operations.md                                             installing it on a server with systemd
NEXT
