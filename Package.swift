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
        // The driver loop, commands and rendering; knows nothing of libedit.
        .target(name: "TallyREPL", dependencies: ["TallyLang", "TallyIO", "TallyCore", "TallyAnalytics", "CMalloc"]),
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
        .testTarget(name: "TallyIOTests", dependencies: ["TallyIO"]),
        .testTarget(name: "TallyLangTests", dependencies: ["TallyLang", "TallyREPL"]),
        .testTarget(
            name: "TallyREPLTests",
            dependencies: ["TallyREPL"],
            exclude: ["Transcripts", "Fixtures"]
        ),
    ]
)
