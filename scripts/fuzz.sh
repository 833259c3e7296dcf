#!/usr/bin/env bash
# `make fuzz`: libFuzzer on the payload decoders. Compiles SmokeGateCore's sources with
# Faults/Fuzz/DecoderFuzz.swift into one instrumented binary (-sanitize=fuzzer,address),
# seeds the corpus from the decoder fixtures, and fuzzes for FUZZ_SECONDS (default 60; CI
# runs it bounded, run it for hours by hand). A crash leaves its input in .build-fuzz/ and
# fails the run; `FUZZ_SECONDS=0 scripts/fuzz.sh .build-fuzz/crash-…` replays one.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-60}
out=.build-fuzz
mkdir -p "$out/corpus"
binary="$out/decoder-fuzz"

sources=$(find Sources/SmokeGateCore -name '*.swift' | sort)
# No `ls -t | head` here: head leaves early, ls dies of SIGPIPE, and pipefail stops the script.
if [ ! -x "$binary" ] ||
  [ -n "$(find Sources/SmokeGateCore Faults/Fuzz/DecoderFuzz.swift -name '*.swift' -newer "$binary" -print -quit)" ]; then
  echo "fuzz: compiling the decoders with -sanitize=fuzzer,address"
  # shellcheck disable=SC2086
  swiftc -sanitize=fuzzer,address -parse-as-library -O -g -module-name DecoderFuzz \
    $sources Faults/Fuzz/DecoderFuzz.swift -o "$binary" 2>&1 | grep -v "Cannot export local symbol '__asan" || true
  [ -x "$binary" ] || { echo "fuzz: the fuzzer did not build" >&2; exit 1; }
fi

# Seeds: every fixture payload, prefixed by the byte that picks its topic (see fuzzTopics).
python3 - "$out/corpus" <<'PY'
import json, pathlib, sys, hashlib
corpus = pathlib.Path(sys.argv[1])
topics = ["smokegate/detectors/", "zigbee2mqtt/", "zigbee2mqtt/availability", "ctwing/"]
count = 0
for path in sorted(pathlib.Path("Tests/SmokeGateCoreTests/Fixtures").rglob("*.jsonl")):
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        record = json.loads(line)
        topic = record.get("topic", "")
        index = 2 if topic.endswith("/availability") else 3 if topic.startswith("ctwing/") else 1 if topic.startswith("zigbee2mqtt/") else 0
        if "payload_text" in record:
            payload = record["payload_text"].encode("utf-8")
        else:
            payload = json.dumps(record.get("payload"), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        seed = bytes([index]) + payload
        (corpus / ("seed-" + hashlib.sha1(seed).hexdigest()[:16])).write_bytes(seed)
        count += 1
# Platform pushes: one file is one HTTP body; indexes 4–6 pick push:ctwing, push:onenet, push:iotda.
pushes = {"ctwing": 4, "onenet": 5, "iotda": 6}
for folder, index in pushes.items():
    for path in sorted(pathlib.Path("Tests/SmokeGateCoreTests/Fixtures", folder).glob("*.json")):
        seed = bytes([index]) + path.read_bytes()
        (corpus / ("seed-" + hashlib.sha1(seed).hexdigest()[:16])).write_bytes(seed)
        count += 1
print(f"fuzz: {count} seeds from Tests/SmokeGateCoreTests/Fixtures")
PY

if [ "$#" -gt 0 ]; then
  exec "$binary" "$@"
fi
echo "fuzz: running for ${seconds}s (corpus $out/corpus)"
"$binary" "$out/corpus" -dict=Faults/Fuzz/decoders.dict -max_total_time="$seconds" -max_len=8192 \
  -timeout=5 -rss_limit_mb=2048 -artifact_prefix="$out/" -print_final_stats=1 2>&1 |
  grep -E '^(#[0-9]+ +(INITED|DONE)|stat::|==[0-9]+==|SUMMARY|artifact_prefix|Test unit written|Done )' || true
# libFuzzer's exit status is lost in the pipe above: a crash leaves an artifact behind.
if ls "$out"/crash-* "$out"/leak-* "$out"/timeout-* "$out"/oom-* >/dev/null 2>&1; then
  echo "fuzz: FOUND A CRASH, see the files above in $out/" >&2
  exit 1
fi
echo "fuzz: no crash in ${seconds}s"
