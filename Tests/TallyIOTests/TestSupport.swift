@testable import TallyIO
import TallyCore

/// Loads CSV text from memory.
func load(_ text: String, _ configure: (inout LoadOptions) -> Void = { _ in }) throws(LoadError) -> LoadResult {
    var o = LoadOptions()
    configure(&o)
    return try CSVReader.read(bytes: Array(text.utf8), name: "t.csv", options: o)
}

/// Loads raw bytes from memory.
func load(bytes: [UInt8], _ configure: (inout LoadOptions) -> Void = { _ in }) throws(LoadError) -> LoadResult {
    var o = LoadOptions()
    configure(&o)
    return try CSVReader.read(bytes: bytes, name: "t.csv", options: o)
}

/// The error a load throws, or nil when it succeeds.
func loadError(_ text: String, _ configure: (inout LoadOptions) -> Void = { _ in }) -> LoadError? {
    do {
        _ = try load(text, configure)
        return nil
    } catch {
        return error
    }
}

extension Table {
    /// The cells of a column, or [] when there is no such column.
    func values(_ name: String) -> [Value] { column(named: name)?.values ?? [] }
    func type(_ name: String) -> String? { column(named: name)?.typeName }
}

/// A deterministic pseudo-random generator for generated inputs.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
