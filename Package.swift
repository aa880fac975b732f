// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "sigit",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "sigit", targets: ["sigit"]),
        .library(name: "SigitCore", targets: ["SigitCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.7.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.0"..<"5.0.0"),
        .package(url: "https://github.com/jpsim/Yams", "5.0.0"..<"7.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        // Property-based generation for the reference-model test (SigitCoreTests only).
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
        // The signing server (sigit serve, SigitServe only).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        // RFC 3161 time-stamp tokens (TrustedTime, and SigitCore for the policy's authorities): X.509 certificates and DER.
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibgit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"]), .brew(["libgit2"])]
        ),
        .target(name: "GitKit", dependencies: ["CLibgit2"]),
        .systemLibrary(
            name: "CCurl",
            path: "Sources/CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"]), .brew(["curl"])]
        ),
        .target(name: "Delivery", dependencies: ["CCurl", .product(name: "Crypto", package: "swift-crypto")]),
        .target(
            name: "SSHSig",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        // Spec 8: parses and verifies RFC 3161 time-stamp tokens; builds requests, reads responses.
        .target(
            name: "TrustedTime",
            dependencies: [
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "SigitCore",
            dependencies: [
                "GitKit", "SSHSig", "Delivery", "TrustedTime",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
                // TreeDictionary: agreements shared between the states of a fork instead of copied (AgreementMap).
                .product(name: "HashTreeCollections", package: "swift-collections"),
            ]
        ),
        // sigit serve: the HTTP server where an invited counterparty reads the agreement and signs with a passkey.
        .target(
            name: "SigitServe",
            dependencies: [
                "SigitCore", "SSHSig",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        .executableTarget(
            name: "sigit",
            dependencies: [
                "SigitCore", "SigitServe",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Benchmark history generator (make bench, benchmarks/setup-repo.sh): writes valid signed history in-process.
        .executableTarget(name: "sigit-bench-gen", dependencies: ["SigitCore", "GitKit", "SSHSig", .product(name: "Crypto", package: "swift-crypto")], path: "Sources/SigitBench"),
        // A FIDO authenticator in software for scripts/demo.sh only: writes an sk-ed25519 key file and, run as
        // `ssh-keygen`, answers sigit's `ssh-keygen -Y sign` with user presence and verification set (no hardware).
        .executableTarget(name: "sigit-soft-authenticator", dependencies: ["TestSupport"], path: "Sources/SoftAuthenticatorTool"),
        // Fuzz targets (make fuzz): libFuzzer drivers under -sanitize=fuzzer -DFUZZING, corpus replayers otherwise.
        .target(name: "FuzzSupport"),
        .executableTarget(name: "FuzzSSHSig", dependencies: ["FuzzSupport", "SSHSig"]),
        .executableTarget(name: "FuzzPolicy", dependencies: ["FuzzSupport", "SigitCore"]),
        .executableTarget(name: "FuzzAgreement", dependencies: ["FuzzSupport", "SigitCore"]),
        .executableTarget(name: "FuzzTrailers", dependencies: ["FuzzSupport", "SigitCore", "GitKit"]),
        .executableTarget(name: "FuzzTimeStamp", dependencies: ["FuzzSupport", "TrustedTime", .product(name: "X509", package: "swift-certificates")]),
        // What every test target shares: scratch folders, the tool runner, spawned processes, seeded randomness.
        // SoftwareAuthenticator (FIDO signatures made in software) needs swift-crypto; TSAFixture (a real
        // `openssl ts -reply` TSA on loopback, Scripts/tsa_server.py) needs TrustedTime and X509.
        .target(
            name: "TestSupport",
            dependencies: [
                "TrustedTime",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
            ],
            path: "Tests/TestSupport",
            exclude: ["Scripts"]
        ),
        .testTarget(name: "GitKitTests", dependencies: ["GitKit", "TestSupport"]),
        // Vectors/: OpenSSH's SSHSIG test data, read by path (#filePath) rather than bundled.
        .testTarget(name: "SSHSigTests", dependencies: ["SSHSig", "TestSupport"], exclude: ["Vectors"]),
        .testTarget(
            name: "DeliveryTests",
            dependencies: ["Delivery", "TestSupport", .product(name: "Crypto", package: "swift-crypto")],
            exclude: ["Support/Scripts"]
        ),
        .testTarget(
            name: "SigitCoreTests",
            dependencies: [
                "SigitCore", "GitKit", "SSHSig", "TestSupport", "TrustedTime",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(name: "sigitTests", dependencies: ["SigitCore", "TestSupport"]),
        // A real TSA on loopback (TestSupport's TSAFixture): openssl makes the CA and certificates and answers with `openssl ts -reply`.
        .testTarget(
            name: "TrustedTimeTests",
            dependencies: [
                "TrustedTime", "TestSupport",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(name: "SigitServeTests", dependencies: ["SigitServe", "SigitCore", "GitKit", "SSHSig", "TestSupport"]),
    ]
)
