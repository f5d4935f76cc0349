// swift-tools-version:6.0
import PackageDescription

// Layers, dependencies pointing down only:
//   imap-gateway -> Gateway -> (HTTPServer, IMAPClient) -> (IMAP, MIME, Sockets) -> COpenSSL
//   Codecs (base64, percent-escapes) sits below IMAP, MIME and HTTPServer, which all need it.
let package = Package(
    name: "imap-gateway",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "imap-gateway", targets: ["imap-gateway"]),
        .library(name: "IMAP", targets: ["IMAP"]),
        .library(name: "MIME", targets: ["MIME"]),
        .library(name: "IMAPClient", targets: ["IMAPClient"]),
        .library(name: "HTTPServer", targets: ["HTTPServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        // <sys/epoll.h>, which Glibc's module leaves out.
        .systemLibrary(name: "CEpoll"),
        .target(name: "Sockets", dependencies: ["COpenSSL", "CEpoll"]),
        .target(name: "Codecs"),
        .target(name: "IMAP", dependencies: ["Codecs"]),
        .target(name: "MIME", dependencies: ["Codecs"]),
        .target(
            name: "IMAPClient",
            dependencies: ["IMAP", "Sockets", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "HTTPServer",
            dependencies: ["Codecs", "Sockets", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "Gateway",
            dependencies: [
                "Codecs", "HTTPServer", "IMAPClient", "IMAP", "MIME", "Sockets",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "imap-gateway",
            dependencies: [
                "Gateway", "IMAPClient", "IMAP",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Parser throughput benchmark (scripts/bench-parser.sh).
        .executableTarget(name: "imap-parse-bench", dependencies: ["IMAP"], path: "Benchmarks/ParseBench"),
        // Starts a throwaway Dovecot for integration tests; shared by the test targets.
        .target(name: "TestSupport", dependencies: [.product(name: "Logging", package: "swift-log")], path: "Tests/TestSupport"),
        // An in-memory MailSession (FakeMailStore) for route-logic tests without an IMAP server.
        .target(name: "GatewayTestSupport", dependencies: ["Gateway", "IMAP", "IMAPClient", "MIME", "TestSupport"], path: "Tests/GatewayTestSupport"),
        // The seeded generator of the differential and mutation tests.
        .target(name: "TestRandom", path: "Tests/TestRandom"),
        .testTarget(name: "IMAPTests", dependencies: ["IMAP", "TestRandom"], resources: [.copy("Fixtures")]),
        .testTarget(name: "CodecsTests", dependencies: ["Codecs", "TestRandom"]),
        .testTarget(name: "MIMETests", dependencies: ["MIME", "Codecs", "TestRandom"]),
        .testTarget(name: "SocketsTests", dependencies: ["Sockets", "TestSupport"]),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "Sockets", "TestSupport"]),
        .testTarget(name: "IMAPClientTests", dependencies: ["IMAPClient", "IMAP", "TestSupport"]),
        .testTarget(name: "GatewayTests", dependencies: ["Gateway", "HTTPServer", "IMAPClient", "IMAP", "Sockets", "TestSupport", "TestRandom", "GatewayTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
