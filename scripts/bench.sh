#!/usr/bin/env bash
# `make bench`: both benchmarks on a release build.
#   IngestBenchmark: heartbeat throughput against mosquitto_sub on the same stream.
#   EscalationBenchmark: alarm-to-grid-call latency under 10,000 heartbeats a second against
#   a plain round trip, and deadline lateness with 10,000 open incidents.
#   ConsoleBenchmark: `smokegate alarms` on a database of 100,000 incidents against
#   `smokegate status` on the same database.
# Pass counts through the environment for a quicker look:
#   QOS0=100000 QOS1=20000 ROUNDS=1 ALARMS=50 INCIDENTS=1000 make bench
#   bench-simulator.sh: smokegate-sim fleet flat out against mosquitto_pub --repeat.
#   ScaleBenchmark: smokegated on 1,000,000 registered detectors against 1,000: start-up to
#   READY and memory (ONLY=scale; not part of the default run, it takes a few minutes).
#   SoakBenchmark: an hour of a 100,000-detector fleet compressed into fifteen minutes: memory
#   over time, alarm latency against the broker's round trip, escalation lateness, database
#   size (ONLY=soak; SOAK_MINUTES, SOAK_DETECTORS and SOAK_COMPRESSION shorten it).
#   EscalationBenchmark --storm: 100,000 detectors with every heartbeat live, 20,000 of them in
#   40 grids go offline together while fires alarm elsewhere: messages per grid, the fire's
#   grid call against the same run before the storm, database growth (ONLY=storm, about 4 min).
#   OutboxBenchmark: the dispatcher's query for the next batch with 1,000,000 maintenance calls
#   waiting against an outbox holding the fire's call alone, and the broker's confirmation time
#   of a batch by size (ONLY=outbox; OUTBOX_ROWS).
#   BrokerBenchmark: the shipped broker persistence (a save at every change) against a save a
#   minute: QoS 1 throughput for an away and a connected gateway session, and alarms lost to a
#   SIGKILL (ONLY=broker; BROKER_DEPTHS, BROKER_CONNECTIONS, BROKER_CRASHES; a few minutes).
#   IngestBenchmark --live: the live-stream ingest benchmark: simulator publishers run while the
#   consumer takes the stream, mosquitto_sub and the gateway in turn on the same broker
#   (ONLY=live; LIVE_QOS, LIVE_SECONDS, LIVE_ROUNDS, LIVE_PUBLISHERS; about a minute a round).
#   EscalationBenchmark --receivers: alarm to the grid's webhook double against alarm to the MQTT
#   call for the same alarms under 10,000 heartbeats a second, and 1,000 fires at once with the
#   SMS provider answering in 5 s against the same burst answered at once: the webhook's p99
#   (ONLY=receivers; ALARMS, RECEIVER_BURST, SLOW_PROVIDER).
#   EscalationBenchmark --push: pushed CTWing alarms → grid call against MQTT alarms alternated with
#   them under 10,000 heartbeats a second, then pushed alarms committed and answered per second over
#   one connection and over 32 against as many MQTT alarms (ONLY=push; ALARMS, PUSH_BURST).
#   EscalationBenchmark --bursts: on SQLite, then on a PostgreSQL server it starts, alarm → grid
#   call against the broker's round trip under 10,000 heartbeats a second, then 10,000 alarms from
#   as many detectors back to back, each to its grid call (ONLY=bursts; ALARMS, BURST, STORES).
# ONLY=ingest, ONLY=escalation, ONLY=console, ONLY=simulator, ONLY=scale, ONLY=soak, ONLY=outbox,
# ONLY=broker, ONLY=storm, ONLY=receivers, ONLY=push, ONLY=bursts or ONLY=live runs one of them.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${ONLY:-ingest}" = ingest ]; then
  .build/release/IngestBenchmark \
    --qos0-count "${QOS0:-1000000}" --qos1-count "${QOS1:-200000}" --devices "${DEVICES:-5000}" --rounds "${ROUNDS:-3}"
fi
if [ "${ONLY:-}" = live ]; then
  .build/release/IngestBenchmark --live --live-qos "${LIVE_QOS:-0,1}" --live-seconds "${LIVE_SECONDS:-10}" \
    --rounds "${LIVE_ROUNDS:-5}" --publishers "${LIVE_PUBLISHERS:-3}" --devices "${DEVICES:-5000}"
fi
if [ "${ONLY:-escalation}" = escalation ]; then
  .build/release/EscalationBenchmark --alarms "${ALARMS:-300}" --incidents "${INCIDENTS:-10000}"
fi
if [ "${ONLY:-console}" = console ]; then
  .build/release/ConsoleBenchmark --incidents "${CONSOLE_INCIDENTS:-100000}"
fi
if [ "${ONLY:-simulator}" = simulator ]; then
  scripts/bench-simulator.sh
fi
if [ "${ONLY:-}" = scale ]; then
  .build/release/ScaleBenchmark --detectors "${SCALE_DETECTORS:-1000000}"
fi
if [ "${ONLY:-}" = storm ]; then
  .build/release/EscalationBenchmark --storm --storm-detectors "${STORM_DETECTORS:-100000}" \
    --storm-grids "${STORM_GRIDS:-200}" --storm-offline-grids "${STORM_OFFLINE_GRIDS:-40}"
fi
if [ "${ONLY:-}" = soak ]; then
  .build/release/SoakBenchmark --detectors "${SOAK_DETECTORS:-100000}" --minutes "${SOAK_MINUTES:-15}" \
    --compression "${SOAK_COMPRESSION:-4}"
fi
if [ "${ONLY:-}" = push ]; then
  .build/release/EscalationBenchmark --push --alarms "${ALARMS:-300}" --push-burst "${PUSH_BURST:-2000}"
fi
if [ "${ONLY:-}" = bursts ]; then
  .build/release/EscalationBenchmark --bursts --alarms "${ALARMS:-300}" --burst "${BURST:-10000}" \
    --stores "${STORES:-sqlite,postgres}"
fi
if [ "${ONLY:-}" = outbox ]; then
  .build/release/OutboxBenchmark --rows "${OUTBOX_ROWS:-1000000}"
fi
if [ "${ONLY:-}" = broker ]; then
  # A process for each part: in one long run some detectors' connections stopped reaching
  # CONNECT after a few hundred had come and gone. Every figure is a ratio within its part.
  connections=${BROKER_CONNECTIONS:-1,50}
  .build/release/BrokerBenchmark --connections "$connections" --skip-away --crashes 0
  for depth in $(echo "${BROKER_DEPTHS:-0,10000,100000}" | tr , ' '); do
    .build/release/BrokerBenchmark --connections "$connections" --depths "$depth" --skip-connected --crashes 0
  done
  .build/release/BrokerBenchmark --skip-away --skip-connected --crashes "${BROKER_CRASHES:-20}"
fi
if [ "${ONLY:-}" = receivers ]; then
  .build/release/EscalationBenchmark --receivers --alarms "${ALARMS:-300}" --receiver-burst "${RECEIVER_BURST:-1000}" \
    --slow-provider "${SLOW_PROVIDER:-5}"
fi
