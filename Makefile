# SmokeGate: the two commands the README promises are `make demo` and `make test`.
# Both install missing Debian packages first (scripts/install-deps.sh).

SWIFT ?= swift
BUILD_FLAGS ?=

.PHONY: all deps build release test demo bench check-config format clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build $(BUILD_FLAGS)

release: deps
	$(SWIFT) build -c release $(BUILD_FLAGS)

## The whole test suite: unit, in-process daemon and end-to-end tests. Each test that
## needs a broker starts its own mosquitto on a free loopback port.
test: deps
	$(SWIFT) build --build-tests $(BUILD_FLAGS)
	$(SWIFT) test --skip-build $(BUILD_FLAGS)

## The main job: a loopback broker, the daemon on the demo street, detectors publishing.
demo: deps
	$(SWIFT) build $(BUILD_FLAGS)
	scripts/demo.sh

## Throughput against mosquitto_sub on the same broker (see README, "Performance").
bench: release
	scripts/bench.sh

check-config: build
	.build/debug/smokegated --check-config --config config/demo/smokegate.yaml

format:
	$(SWIFT) format --in-place --recursive Package.swift Sources Simulator Benchmarks Tests

clean:
	rm -rf .build
