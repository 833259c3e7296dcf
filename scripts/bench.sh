#!/usr/bin/env bash
# `make bench`: the ingest benchmark on a release build. Pass counts through the
# environment for a quicker look: QOS0=100000 QOS1=20000 ROUNDS=1 make bench
set -euo pipefail
cd "$(dirname "$0")/.."
exec .build/release/IngestBenchmark \
  --qos0-count "${QOS0:-1000000}" --qos1-count "${QOS1:-200000}" --devices "${DEVICES:-5000}" --rounds "${ROUNDS:-3}"
