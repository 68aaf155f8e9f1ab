// The CSV reader on any bytes; a table it loads must export and load again unchanged.
import FuzzSupport
import TallyCore
import TallyIO

@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: FuzzArgc, _ argv: FuzzArgv) -> CInt {
    Seeds.writeIfAsked(.csv)
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = start.fuzzBytes(count)
    let first: LoadResult
    do {
        first = try CSVReader.read(bytes: bytes, name: "fuzz.csv", options: LoadOptions())
    } catch {
        var skipping = LoadOptions()
        skipping.onError = .skip
        _ = try? CSVReader.read(bytes: bytes, name: "fuzz.csv", options: skipping)
        return 0
    }
    RoundTrip.check(first.table)
    return 0
}

enum RoundTrip {
    /// load -> export (CSV) -> load gives the same names, types and cells.
    static func check(_ t: Table) {
        let exported = TableWriter.render(t, format: .csv)
        var options = LoadOptions()
        options.delimiter = UInt8(ascii: ",")
        // Every exported row is data, even one that reads like a total row (`Total,5`).
        options.keepTotals = true
        let again: Table
        do {
            again = try CSVReader.read(bytes: exported, name: "export.csv", options: options).table
        } catch {
            fail("the exported table does not load: \(error)", exported)
        }
        guard again.names == t.names else { fail("names \(t.names) became \(again.names)", exported) }
        guard again.rowCount == t.rowCount else { fail("\(t.rowCount) rows became \(again.rowCount)", exported) }
        for (k, (a, b)) in zip(t.columns, again.columns).enumerated() {
            guard kind(a) == kind(b) else { fail("column \(t.names[k]): \(kind(a)) became \(kind(b))", exported) }
            for i in 0..<a.count where !same(a[i], b[i]) {
                fail("column \(t.names[k]) row \(i + 1): \(a[i]) became \(b[i])", exported)
            }
        }
    }

    static func kind(_ c: Column) -> String {
        switch c.storage {
        case .number: return "number"
        case .text: return "text"
        case .date: return "date"
        case .bool: return "bool"
        case .mixed: return "mixed"
        }
    }

    /// Equal values; a number's display format (percent, currency) is not written to CSV.
    static func same(_ a: Value, _ b: Value) -> Bool {
        if case .number(let x, _) = a, case .number(let y, _) = b { return x == y || (x.isNaN && y.isNaN) }
        return a == b
    }

    static func fail(_ why: String, _ exported: [UInt8]) -> Never {
        fatalError("CSV round trip: \(why)\nexported:\n\(String(decoding: exported.prefix(2000), as: UTF8.self))")
    }
}
