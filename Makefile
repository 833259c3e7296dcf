# SmokeGate: the two commands the README promises are `make demo` and `make test`.
# Both install missing Debian packages first (scripts/install-deps.sh).

SWIFT ?= swift
BUILD_FLAGS ?=

.PHONY: all deps build release test demo bench faults fuzz check-config format clean install uninstall

all: build

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build $(BUILD_FLAGS)

release: deps
	$(SWIFT) build -c release $(BUILD_FLAGS)

## The whole test suite: unit, in-process daemon and end-to-end tests. Each test that
## needs a broker starts its own mosquitto on a free loopback port. Three runs, because tests
## share Swift's cooperative pool (one thread per core) with the daemons they start in-process:
## the domain and store tests (property runs that keep a core busy for half a minute) run
## first, then the daemon and end-to-end tests, then the two that hold a database's write lock
## for longer than SQLite's busy timeout (every in-process daemon's services wait on it).
UNIT_TESTS = SmokeGateCoreTests|SmokeGateStoreTests|SmokeGateConfigTests
LOCKING_TESTS = NoStormTests/aDatabaseStall|StoreFailureTests
test: deps
	$(SWIFT) build --build-tests $(BUILD_FLAGS)
	$(SWIFT) test --skip-build $(BUILD_FLAGS) --filter '$(UNIT_TESTS)'
	$(SWIFT) test --skip-build $(BUILD_FLAGS) --filter 'SmokeGateDaemonTests|EndToEndTests' --skip '$(LOCKING_TESTS)'
	$(SWIFT) test --skip-build $(BUILD_FLAGS) --filter '$(LOCKING_TESTS)'

## The main job: a loopback broker, the daemon on the demo street, detectors publishing.
demo: deps
	$(SWIFT) build $(BUILD_FLAGS)
	scripts/demo.sh

## Throughput against mosquitto_sub on the same broker (see README, "Performance").
bench: release
	scripts/bench.sh

## The fault suite on a real broker with the real binaries (see docs/reliability.md);
## FAULTS_FLAGS=--quick is the bounded form CI runs.
FAULTS_FLAGS ?=
faults: deps
	$(SWIFT) build $(BUILD_FLAGS) --product smokegated
	$(SWIFT) build $(BUILD_FLAGS) --product smokegate
	$(SWIFT) build $(BUILD_FLAGS) --product FaultSuite
	"$$($(SWIFT) build $(BUILD_FLAGS) --show-bin-path)/FaultSuite" $(FAULTS_FLAGS)

## libFuzzer on the payload decoders, seeded from the fixtures; FUZZ_SECONDS (default 60).
fuzz: deps
	scripts/fuzz.sh

check-config: build
	.build/debug/smokegated --check-config --config config/demo/smokegate.yaml

format:
	$(SWIFT) format --in-place --recursive Package.swift Sources Simulator Benchmarks Tests

clean:
	rm -rf .build

## Installs the release build, the hardened systemd unit, its sysusers.d and tmpfiles.d
## entries, the configuration (never over the operator's: NAME.dist beside it) and the docs,
## through scripts/install.sh. PREFIX (default /usr) and DESTDIR (a staging root) as usual;
## BIN_DIR names other built binaries and NO_BUILD=1 skips the release build.
PREFIX ?= /usr
DESTDIR ?=
BIN_DIR ?=
NO_BUILD ?=

install: $(if $(NO_BUILD),,release)
	PREFIX="$(PREFIX)" DESTDIR="$(DESTDIR)" BIN_DIR="$(BIN_DIR)" SWIFT="$(SWIFT)" scripts/install.sh install

## Removes what install put in place; keeps /etc/smokegate and /var/lib/smokegate.
uninstall:
	PREFIX="$(PREFIX)" DESTDIR="$(DESTDIR)" scripts/install.sh uninstall
