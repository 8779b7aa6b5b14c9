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
        .target(name: "Manifest", dependencies: ["CLibYAML"]),
        .target(name: "Planner", dependencies: ["Manifest"]),
        .target(name: "Emitters", dependencies: ["Manifest", "Planner"]),
        .executableTarget(
            name: "manifestc",
            dependencies: [
                "Manifest", "Planner", "Emitters",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Test helpers shared by the test targets (not a product).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "ManifestTests", dependencies: ["Manifest", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "PlannerTests", dependencies: ["Planner", "Manifest", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "EmittersTests", dependencies: ["Emitters", "Planner", "Manifest", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "manifestcTests", dependencies: ["manifestc", "Manifest", "TestSupport"]),
    ]
)
