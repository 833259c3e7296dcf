# SmokeGate: the two commands the README promises are `make demo` and `make test`.
# Both install missing Debian packages first (scripts/install-deps.sh).

SWIFT ?= swift
BUILD_FLAGS ?=

.PHONY: all deps build release test demo demo-cluster bench bench-cluster faults fuzz check-config format lint clean install uninstall detector-login

all: build

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build $(BUILD_FLAGS)

release: deps
	$(SWIFT) build -c release $(BUILD_FLAGS)

## The whole test suite: unit, in-process daemon and end-to-end tests, built once, then six
## runs (docs/testing.md). Each test that needs a broker starts its own mosquitto on a free
## loopback port. 1: the domain, store (on SQLite) and configuration tests in parallel.
## 2: the store tests again on PostgreSQL (SMOKEGATE_TEST_STORE=postgres, the run starting
## its own server on a free loopback port). 3: the receivers against their vendors' loopback
## doubles, in-process servers that must not wait behind the property runs for the
## cooperative pool. 4: the tests that start the daemon in-process, one at a time, because
## they share Swift's cooperative pool (one thread per core) with the daemons they run, whose
## store work waits on it (a test holding a write lock, or a property run keeping a core
## busy, would otherwise make another test's ladder late). 5: the same daemon tests on
## PostgreSQL. 6: the end-to-end tests, whose daemons are processes of their own, in parallel.
test: deps
	$(SWIFT) build --build-tests $(BUILD_FLAGS)
	$(SWIFT) test --skip-build $(BUILD_FLAGS) --filter 'SmokeGateCoreTests|SmokeGateStoreTests|SmokeGateConfigTests'
	SMOKEGATE_TEST_STORE=postgres $(SWIFT) test --skip-build $(BUILD_FLAGS) --filter SmokeGateStoreTests
	$(SWIFT) test --skip-build $(BUILD_FLAGS) --filter SmokeGateReceiversTests
	$(SWIFT) test --skip-build $(BUILD_FLAGS) --filter SmokeGateDaemonTests --no-parallel
	SMOKEGATE_TEST_STORE=postgres $(SWIFT) test --skip-build $(BUILD_FLAGS) --filter SmokeGateDaemonTests --no-parallel
	$(SWIFT) test --skip-build $(BUILD_FLAGS) --filter EndToEndTests

## The main job: a loopback broker, the daemon on the demo street, detectors publishing.
demo: deps
	$(SWIFT) build $(BUILD_FLAGS)
	scripts/demo.sh

## Two gateways on one PostgreSQL database: the leader killed mid-ladder, the standby calls on.
demo-cluster: deps
	$(SWIFT) build $(BUILD_FLAGS)
	scripts/demo-cluster.sh

## The benchmarks on a release build (scripts/bench.sh, see docs/performance.md): by default
## ingest throughput against mosquitto_sub on the same broker, alarm → grid call latency and
## deadline lateness, the console on a long history, and the simulator's rate. ONLY=NAME runs
## one of them (ingest, escalation, console, simulator) or one of the longer ones (live,
## outbox, broker, scale, soak, storm, receivers, push, bursts).
bench: release
	scripts/bench.sh

## Two gateways on PostgreSQL: failover time (leader SIGKILLed → the next call) over 20 kills;
## then alarm → grid call latency and alarms committed per second on PostgreSQL against SQLite,
## in the same run (see docs/performance.md). CLUSTER_BENCH_FLAGS: e.g. --kills 5 --rounds 1.
CLUSTER_BENCH_FLAGS ?=
bench-cluster: deps
	$(SWIFT) build -c release $(BUILD_FLAGS) --product smokegated
	$(SWIFT) build -c release $(BUILD_FLAGS) --product ClusterBenchmark
	"$$($(SWIFT) build -c release $(BUILD_FLAGS) --show-bin-path)/ClusterBenchmark" $(CLUSTER_BENCH_FLAGS)

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

## A native detector's own broker login: adds or updates DEVICE in PASSWORD_FILE (the password
## from standard input, or a random one printed once) and makes sure ACL_FILE lets it publish
## on its own topic only (ACL_FILE= skips that). Then reload the broker. See
## scripts/provision-detector.sh and docs/broker-security.md.
## Example: make detector-login DEVICE=det-1 < det-1.password
DEVICE ?=
PASSWORD_FILE ?= /etc/mosquitto/passwd
ACL_FILE ?= /etc/mosquitto/acl

detector-login:
	@test -n "$(DEVICE)" || { echo "make detector-login: set DEVICE=<device id>" >&2; exit 2; }
	@scripts/provision-detector.sh $(if $(ACL_FILE),--acl "$(ACL_FILE)") "$(PASSWORD_FILE)" "$(DEVICE)"

check-config: build
	.build/debug/smokegated --check-config --config config/demo/smokegate.yaml

format:
	$(SWIFT) format --in-place --recursive Package.swift Sources Simulator Benchmarks Faults Tests

## swift-format's strict lint (the rules in .swift-format) over every Swift file: any finding
## fails it. `make format` fixes most of them; long lines it cannot break are wrapped by hand.
## Then scripts/check-docs.py: the README's size, and every relative link and backticked
## repository path in the project's Markdown resolving.
lint:
	$(SWIFT) format lint --strict --parallel --recursive Sources Tests Simulator Benchmarks Faults Package.swift
	scripts/check-docs.py

clean:
	rm -rf .build

## Installs the release build, the hardened systemd unit, its sysusers.d and tmpfiles.d
## entries, the configuration (never over the operator's: NAME.dist beside it) and the docs
## (in PREFIX/share/doc/smokegate: the README, config/README.md as configuration.md,
## operations.md and broker-security.md, and every docs/*.md under docs/ where the README's
## links expect it), through scripts/install.sh. PREFIX (default /usr) and DESTDIR (a
## staging root) as usual; BIN_DIR names other built binaries and NO_BUILD=1 skips the
## release build.
PREFIX ?= /usr
DESTDIR ?=
BIN_DIR ?=
NO_BUILD ?=

install: $(if $(NO_BUILD),,release)
	PREFIX="$(PREFIX)" DESTDIR="$(DESTDIR)" BIN_DIR="$(BIN_DIR)" SWIFT="$(SWIFT)" scripts/install.sh install

## Removes what install put in place; keeps /etc/smokegate and /var/lib/smokegate.
uninstall:
	PREFIX="$(PREFIX)" DESTDIR="$(DESTDIR)" scripts/install.sh uninstall
