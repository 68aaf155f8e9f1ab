// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Tally",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tally", targets: ["tally"]),
        // For scratch benchmark packages outside the repo (path dependency).
        .library(name: "TallyKit", targets: ["TallyCore", "TallyAnalytics", "TallyLang", "TallyIO", "TallyREPL"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // .xlsx files are zip archives of XML parts (parsed with Foundation's XMLParser).
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
        // The PostgreSQL wire protocol (remote tables); only TallyPostgres imports it.
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
    ],
    targets: [
        // Plain data: values, columns, tables. Imports no project module.
        .target(name: "TallyCore"),
        // RFM, ABC, splits, calendars, KPIs: pure functions over plain arrays. Imports only Core.
        .target(name: "TallyAnalytics", dependencies: ["TallyCore"]),
        // The language: lexer, parser, evaluator, recalculation, built-ins. Never prints.
        .target(name: "TallyLang", dependencies: ["TallyCore", "TallyAnalytics"]),
        // Reading and writing files: CSV/TSV, type inference, encodings. Imports only Core.
        .target(name: "TallyIO", dependencies: [
            "TallyCore",
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        // Table operations over a remote table compiled to SQL text. Pure: no network.
        .target(name: "TallySQL", dependencies: ["TallyCore", "TallyLang"]),
        // The PostgreSQL client: connects, runs TallySQL's text, fetches into columns.
        .target(name: "TallyPostgres", dependencies: [
            "TallyCore", "TallyLang", "TallySQL", "CMalloc",
            .product(name: "PostgresNIO", package: "postgres-nio"),
        ]),
        // The driver loop, commands and rendering; knows nothing of libedit.
        .target(name: "TallyREPL", dependencies: ["TallyLang", "TallyIO", "TallyCore", "TallyAnalytics", "TallySQL", "TallyPostgres", "CMalloc"]),
        // The C allocator's knobs and counters (glibc): reuse of freed columns, heap in use.
        .target(name: "CMalloc"),
        .systemLibrary(
            name: "CLibEdit",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        .executableTarget(
            name: "tally",
            dependencies: [
                "TallyREPL", "CLibEdit", "CMalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "TallyCoreTests", dependencies: ["TallyCore"]),
        .testTarget(name: "TallyAnalyticsTests", dependencies: ["TallyAnalytics"]),
        .testTarget(name: "TallyIOTests", dependencies: ["TallyIO", "TallyREPL"]),
        .testTarget(name: "TallyLangTests", dependencies: ["TallyLang", "TallyREPL"]),
        .testTarget(name: "TallySQLTests", dependencies: ["TallySQL", "TallyLang"]),
        .testTarget(name: "TallyPostgresTests", dependencies: ["TallyPostgres", "TallyREPL", "TallyLang", "TallyCore"]),
        .testTarget(
            name: "TallyREPLTests",
            dependencies: ["TallyREPL"],
            exclude: ["Transcripts", "Fixtures"]
        ),
    ]
)
