// swift-tools-version:6.1
import PackageDescription

// Dependencies point one way: executables -> SwitchyardServer -> SwitchyardRuntime -> SwitchyardCore.
// SwitchyardCore is pure: Foundation, Yams and the system LAPACK only.
let package = Package(
    name: "switchyard",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "yard", targets: ["yard"]),
        .executable(name: "yardd", targets: ["yardd"]),
        .executable(name: "yard-gateway", targets: ["yard-gateway"]),
        .executable(name: "yard-bench-release", targets: ["yard-bench-release"]),
        .executable(name: "yard-bench-daemon", targets: ["yard-bench-daemon"]),
        .executable(name: "yard-bench-ssh", targets: ["yard-bench-ssh"]),
        .executable(name: "yard-bench-takeover", targets: ["yard-bench-takeover"]),
        .executable(name: "yard-bench-dbfailover", targets: ["yard-bench-dbfailover"]),
        .library(name: "SwitchyardCore", targets: ["SwitchyardCore"]),
        .library(name: "SwitchyardRuntime", targets: ["SwitchyardRuntime"]),
        .library(name: "SwitchyardServer", targets: ["SwitchyardServer"]),
        .library(name: "SwitchyardGateway", targets: ["SwitchyardGateway"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .systemLibrary(name: "CLapack", path: "Sources/CLapack"),
        // The version and the git commit of the build (`--version`, yard_build_info); the plugin writes the commit.
        .target(name: "SwitchyardBuildInfo", plugins: ["BuildCommit"]),
        .plugin(name: "BuildCommit", capability: .buildTool()),
        .target(
            name: "SwitchyardCore",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                "CLapack",
            ]
        ),
        .target(
            name: "SwitchyardRuntime",
            dependencies: [
                "SwitchyardCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        .target(
            name: "SwitchyardServer",
            dependencies: [
                "SwitchyardRuntime",
                "SwitchyardBuildInfo",
                .product(name: "Hummingbird", package: "hummingbird"),
                // The API client (YarddClient) the CLI and the tests share.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // The reference SSE gateway that releases and drills act on.
        .target(
            name: "SwitchyardGateway",
            dependencies: [
                "SwitchyardCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(
            name: "yard",
            dependencies: [
                // Not linked: built with yard, so that `swift run yard demo` on a fresh clone finds the gateway beside it.
                "yard-gateway",
                "SwitchyardServer",
                "SwitchyardBuildInfo",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "yardd",
            dependencies: [
                "SwitchyardServer",
                "SwitchyardBuildInfo",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "yard-gateway",
            dependencies: [
                "SwitchyardGateway",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Helpers for tests that need real instances: the gateway as a child process.
        .target(name: "SwitchyardTesting", dependencies: ["SwitchyardCore", "SwitchyardRuntime", .product(name: "Hummingbird", package: "hummingbird")]),
        // The release benchmark: Switchyard's release against naive switches, under load (bench/release/README.md).
        .executableTarget(
            name: "yard-bench-release",
            dependencies: [
                "SwitchyardRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The daemon benchmark: yardd's idle memory and status-read latency (bench/daemon/README.md).
        .executableTarget(
            name: "yard-bench-daemon",
            dependencies: [
                "SwitchyardRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // A release step over SSH to 4 and 16 namespace hosts, with and without connection reuse (docs/fleet.md).
        .executableTarget(
            name: "yard-bench-ssh",
            dependencies: [
                "SwitchyardRuntime", "SwitchyardTesting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The leader of several yardd on PostgreSQL killed mid-release, round after round (bench/takeover/README.md).
        .executableTarget(
            name: "yard-bench-takeover",
            dependencies: [
                "SwitchyardRuntime", "SwitchyardServer", "SwitchyardTesting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // A PostgreSQL primary lost and a replica promoted, again and again, per synchronous_commit (bench/dbfailover/README.md).
        .executableTarget(
            name: "yard-bench-dbfailover",
            dependencies: [
                "SwitchyardRuntime", "SwitchyardTesting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "SwitchyardCoreTests", dependencies: ["SwitchyardCore"], resources: [.copy("Fixtures")]),
        // Hummingbird only for a tiny Prometheus-like HTTP server the probe tests start.
        .testTarget(
            name: "SwitchyardRuntimeTests",
            dependencies: ["SwitchyardRuntime", "SwitchyardTesting", .product(name: "Hummingbird", package: "hummingbird")],
            // A gateway Switchyard did not write (stdlib Python), started by path as an instance command.
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "SwitchyardServerTests",
            dependencies: [
                "SwitchyardServer", "SwitchyardTesting", "SwitchyardBuildInfo",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .testTarget(name: "SwitchyardGatewayTests", dependencies: ["SwitchyardGateway", "SwitchyardTesting"]),
    ],
    swiftLanguageModes: [.v6]
)
