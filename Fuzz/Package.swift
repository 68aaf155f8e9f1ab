// swift-tools-version:6.0
// libFuzzer targets for Tally. Kept out of the root package so that `swift build` and
// `swift test` never build them or need a sanitizer. Build and run with `scripts/fuzz`:
//     swift build -c release --sanitize fuzzer     (not -Xswiftc -sanitize=fuzzer)
import PackageDescription

// The repository root. SwiftPM names a path dependency after its folder, and identities
// ignore letter case, so a checkout folder called `fuzz` would clash with this package
// (folder `Fuzz`). scripts/fuzz therefore passes a link with a fixed name.
let root = Context.environment["TALLY_FUZZ_ROOT"] ?? ".."

let package = Package(
    name: "TallyFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: root),
    ],
    targets: [
        // Seed corpora made at run time from the repository's transcripts and fixtures.
        .target(name: "FuzzSupport", dependencies: [.product(name: "TallyKit", package: packageIdentity(root))]),
        .executableTarget(name: "FuzzParse", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzEval", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzCSV", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzXLSX", dependencies: ["FuzzSupport"]),
    ]
)

/// The identity SwiftPM gives a path dependency: its last path component.
func packageIdentity(_ path: String) -> String {
    let parts = path.split(separator: "/").filter { $0 != "." }
    if let last = parts.last, last != ".." { return String(last) }
    // ".." alone: the folder above this package.
    let here = Context.packageDirectory.split(separator: "/")
    return here.count >= 2 ? String(here[here.count - 2]) : "Tally"
}
