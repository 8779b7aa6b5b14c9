// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "manifestc",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "manifestc", targets: ["manifestc"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        // Located diagnostics: values, renderers; knows nothing of manifests.
        .target(name: "Diagnostics", path: "Sources/Manifest/Diagnostics"),
        .target(name: "Manifest", dependencies: ["CLibYAML", "Diagnostics"], exclude: ["Diagnostics"]),
        // The Kconfig engine: lexer, parser, evaluator, .config reader/writer; knows nothing of manifests.
        .target(name: "Kconfig", dependencies: ["Diagnostics"], path: "Sources/Planner/Kconfig"),
        .target(name: "Planner", dependencies: ["Manifest", "Kconfig", "Diagnostics"], exclude: ["Kconfig"]),
        .target(name: "Emitters", dependencies: ["Manifest", "Planner", "Diagnostics"], exclude: ["Import"]),
        // The reverse pipeline: a manual setup's files (as values) -> manifest text.
        .target(name: "Import", dependencies: ["Manifest", "Planner", "Kconfig", "Emitters", "Diagnostics"], path: "Sources/Emitters/Import"),
        // The driver: the pipeline's phases (load, sources, template, plan, emit, write, build, run)
        // with their I/O behind small protocols; no argument parsing.
        .target(name: "Driver", dependencies: ["Manifest", "Planner", "Emitters", "Import", "Kconfig", "Diagnostics"], path: "Sources/manifestc/Driver"),
        .executableTarget(
            name: "manifestc",
            dependencies: [
                "Driver", "Manifest", "Planner", "Emitters", "Import", "Kconfig", "Diagnostics",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            exclude: ["Driver"]
        ),
        // Test helpers shared by the test targets (not a product).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "DiagnosticsTests", dependencies: ["Diagnostics", "TestSupport"]),
        .testTarget(name: "ManifestTests", dependencies: ["Manifest", "Diagnostics", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "KconfigTests", dependencies: ["Kconfig", "Diagnostics", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "PlannerTests", dependencies: ["Planner", "Manifest", "Kconfig", "Diagnostics", "TestSupport"]),
        .testTarget(name: "EmittersTests", dependencies: ["Emitters", "Planner", "Manifest", "Kconfig", "Diagnostics", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ImportTests", dependencies: ["Import", "Emitters", "Planner", "Manifest", "Kconfig", "Diagnostics", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "DriverTests", dependencies: ["Driver", "Emitters", "Planner", "Manifest", "Diagnostics", "TestSupport"]),
        .testTarget(name: "manifestcTests", dependencies: ["manifestc", "Driver", "Manifest", "Planner", "Kconfig", "Diagnostics", "Emitters", "Import", "TestSupport"]),
    ]
)
