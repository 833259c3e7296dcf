// swift-tools-version:6.1
import PackageDescription

/// SmokeGate: networked smoke detectors in, the street's response chain out.
let package = Package(
    name: "SmokeGate",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "smokegated", targets: ["smokegated"]),
        .executable(name: "smokegate", targets: ["smokegate"]),
        .executable(name: "smokegate-sim", targets: ["smokegate-sim"]),
        .library(name: "SmokeGateDaemon", targets: ["SmokeGateDaemon"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.1.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.21.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CMosquitto",
            pkgConfig: "libmosquitto",
            providers: [.apt(["libmosquitto-dev"])]
        ),
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        .systemLibrary(
            name: "CSystemd",
            pkgConfig: "libsystemd",
            providers: [.apt(["libsystemd-dev"])]
        ),
        .target(name: "SmokeGateCore"),
        .target(
            name: "SmokeGateConfig",
            dependencies: ["SmokeGateCore", .product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "SmokeGateStore",
            dependencies: [
                "SmokeGateCore", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .target(
            name: "SmokeGateReceivers",
            dependencies: [
                "SmokeGateCore", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "SmokeGateSync"),
        .target(
            name: "SmokeGateMQTT",
            dependencies: ["CMosquitto", "SmokeGateSync", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "SmokeGateDaemon",
            dependencies: [
                "CSystemd", "CMalloc", "SmokeGateCore", "SmokeGateConfig", "SmokeGateStore", "SmokeGateMQTT",
                "SmokeGateReceivers", "SmokeGateSync",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "smokegated",
            dependencies: [
                "SmokeGateDaemon", "SmokeGateConfig",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "smokegate",
            dependencies: [
                "SmokeGateCore", "SmokeGateConfig", "SmokeGateStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ]
        ),
        .executableTarget(
            name: "smokegate-sim",
            dependencies: [
                "SmokeGateMQTT", "SmokeGateCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Simulator/Sources/smokegate-sim"
        ),
        .executableTarget(
            name: "IngestBenchmark",
            dependencies: [
                "SmokeGateDaemon", "SmokeGateConfig", "SmokeGateMQTT", "SmokeGateTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/IngestBenchmark"
        ),
        .executableTarget(
            name: "EscalationBenchmark",
            dependencies: [
                "SmokeGateDaemon", "SmokeGateConfig", "SmokeGateCore", "SmokeGateMQTT", "SmokeGateStore",
                "SmokeGateTestSupport", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/EscalationBenchmark"
        ),
        .executableTarget(
            name: "ConsoleBenchmark",
            dependencies: [
                "smokegate", "SmokeGateConfig", "SmokeGateCore", "SmokeGateStore", "SmokeGateTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Benchmarks/ConsoleBenchmark"
        ),
        .executableTarget(
            name: "OutboxBenchmark",
            dependencies: [
                "SmokeGateStore", "SmokeGateMQTT", "SmokeGateTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/OutboxBenchmark"
        ),
        .executableTarget(
            name: "BrokerBenchmark",
            dependencies: [
                "SmokeGateMQTT", "SmokeGateTestSupport", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/BrokerBenchmark"
        ),
        .executableTarget(
            name: "ScaleBenchmark",
            dependencies: [
                "SmokeGateTestSupport", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/ScaleBenchmark"
        ),
        .executableTarget(
            name: "SoakBenchmark",
            dependencies: [
                "SmokeGateTestSupport", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/SoakBenchmark"
        ),
        .executableTarget(
            name: "ClusterBenchmark",
            dependencies: [
                "smokegated", "SmokeGateCore", "SmokeGateMQTT", "SmokeGateStore", "SmokeGateTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/ClusterBenchmark"
        ),
        .executableTarget(
            name: "FaultSuite",
            dependencies: [
                "SmokeGateCore", "SmokeGateStore", "SmokeGateTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Faults/FaultSuite"
        ),
        .target(
            name: "SmokeGateTestSupport",
            dependencies: [
                "SmokeGateMQTT", "SmokeGateStore", "SmokeGateCore", .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Tests/SmokeGateTestSupport"
        ),
        .target(
            name: "RulebookScenarios",
            dependencies: ["SmokeGateCore"],
            path: "Tests/RulebookScenarios"
        ),
        .testTarget(
            name: "SmokeGateCoreTests",
            dependencies: ["SmokeGateCore", "RulebookScenarios"],
            resources: [.copy("Fixtures")]
        ),
        .executableTarget(
            name: "receiver-doubles",
            dependencies: [
                "SmokeGateTestSupport", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Tests/receiver-doubles"
        ),
        .testTarget(
            name: "SmokeGateReceiversTests",
            dependencies: ["SmokeGateReceivers", "SmokeGateTestSupport"]
        ),
        .testTarget(name: "SmokeGateConfigTests", dependencies: ["SmokeGateConfig", "SmokeGateTestSupport"]),
        .testTarget(
            name: "SmokeGateStoreTests",
            dependencies: [
                "SmokeGateStore", "SmokeGateTestSupport", "RulebookScenarios", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "SmokeGateDaemonTests",
            dependencies: [
                "SmokeGateDaemon", "SmokeGateConfig", "SmokeGateMQTT", "SmokeGateStore", "SmokeGateSync", "SmokeGateTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "smokegated", "smokegate", "smokegate-sim", "receiver-doubles", "SmokeGateCore", "SmokeGateConfig",
                "SmokeGateStore",
                "SmokeGateReceivers", "SmokeGateTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ]
        ),
    ]
)
