import Testing
import TallyCore
@testable import TallyIO

/// Chunked parallel parsing must give exactly what one sequential pass gives, and no
/// input may crash the reader.
@Suite struct CSVReaderChunkTests {
    /// Cells that exercise inference, quoting and type breaks.
    static let pool: [String] = [
        "1", "2.5", "-3", "\"1,234.5\"", "$4", "12%", "2026-07-01", "2026/7/2", "yes", "no",
        "Tmall", "华东", "\"a,b\"", "\"say \"\"hi\"\"\"", "\"two\nlines\"", "", "\"\"", "00042", "N/A", "x y",
    ]

    /// A CSV of `rows` rows whose columns mostly keep one flavour, with stray values,
    /// bad rows and blank lines sprinkled in.
    static func generate(seed: UInt64, rows: Int, columns: Int, badRows: Bool) -> String {
        var rng = SplitMix(state: seed)
        let flavours = (0..<columns).map { _ in Int(rng.next() % UInt64(pool.count)) }
        var lines = [(0..<columns).map { "c\($0)" }.joined(separator: ",")]
        for _ in 0..<rows {
            let roll = rng.next() % 100
            if badRows && roll == 0 { lines.append("only-one-field"); continue }
            if roll == 1 { lines.append(""); continue }
            if badRows && roll == 2 && rng.next() % 20 == 0 { lines.append("\"never closed,1"); continue }
            let cells = (0..<columns).map { j -> String in
                let stray = rng.next() % 200 == 0
                return stray ? pool[Int(rng.next() % UInt64(pool.count))] : pool[flavours[j]]
            }
            lines.append(cells.joined(separator: ","))
        }
        let crlf = seed % 2 == 0
        return lines.joined(separator: crlf ? "\r\n" : "\n") + (seed % 3 == 0 ? "" : "\n")
    }

    enum Outcome: Equatable {
        case table(Table, skipped: [SkippedRow], notes: [String: String])
        case error(String)
    }

    static func outcome(_ text: String, chunk: Int?, policy: ErrorPolicy) -> Outcome {
        do {
            let r = try load(text) {
                $0.chunkBytes = chunk
                $0.onError = policy
            }
            return .table(r.table, skipped: r.skipped, notes: r.columnNoteTexts)
        } catch {
            return .error(error.description)
        }
    }

    static let seeds: [UInt64] = Array(1...24)

    @Test(arguments: seeds)
    func chunkedEqualsSequential(_ seed: UInt64) {
        let text = Self.generate(seed: seed, rows: 400, columns: 5, badRows: seed % 4 != 0)
        for policy in [ErrorPolicy.skip, .fail] {
            let whole = Self.outcome(text, chunk: 1 << 20, policy: policy)
            for chunk in [64, 97, 300, 2048] {
                #expect(Self.outcome(text, chunk: chunk, policy: policy) == whole, "seed \(seed) chunk \(chunk) \(policy)")
            }
        }
    }

    /// A column that is numeric for many chunks and turns text late is re-read as text,
    /// with its dictionary in first-appearance order and the note naming the line.
    @Test func lateTypeBreakAcrossChunks() throws {
        var text = "id,v\n"
        for i in 0..<300 { text += "\(i),\(i % 7)\n" }
        text += "300,n/a\n"
        for i in 301..<320 { text += "\(i),\(i % 5)\n" }
        let chunked = try load(text) { $0.chunkBytes = 64 }
        let whole = try load(text)
        #expect(chunked.table == whole.table)
        #expect(chunked.columnNoteTexts == ["v": "text: line 302 value `n/a` is not a number"])
        guard case .text(_, let dictionary)? = chunked.table.column(named: "v")?.storage else {
            Issue.record("v is not text"); return
        }
        #expect(dictionary.prefix(8) == ["0", "1", "2", "3", "4", "5", "6", "n/a"])
    }

    @Test func quotedNewlinesAcrossChunkBoundaries() throws {
        var text = "a,b\n"
        for i in 0..<200 { text += "\(i),\"line \(i)\nmore \"\"quoted\"\", text\"\n" }
        let chunked = try load(text) { $0.chunkBytes = 50 }
        #expect(chunked.table == (try load(text)).table)
        #expect(chunked.table.rowCount == 200)
        #expect(chunked.table.values("b").last == .text("line 199\nmore \"quoted\", text"))
    }

    @Test func errorLinesAreAbsoluteAcrossChunks() {
        var text = "a,b\n"
        for i in 0..<500 { text += "\(i),x\n" }
        text += "bad\n"
        #expect(loadError(text) { $0.chunkBytes = 100 }?.description == "t.csv:502:1: row has 1 fields, expected 2")
    }

    /// Random bytes, including invalid UTF-8 and stray quotes: a result or an error, never a trap.
    @Test(arguments: Array(UInt64(1)...40))
    func neverCrashes(_ seed: UInt64) {
        var rng = SplitMix(state: seed)
        let alphabet: [UInt8] = Array(",;|\t\"\r\n\n a1.-$%0e9".utf8) + [0xE5, 0x8D, 0x8E, 0xC3, 0xFF, 0x81, 0x7C, 0x00]
        let length = Int(rng.next() % 600)
        let bytes = (0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
        for chunk in [nil, 16, 61] {
            for policy in [ErrorPolicy.fail, .skip] {
                for header in [true, false] {
                    let r = try? load(bytes: bytes) {
                        $0.chunkBytes = chunk
                        $0.onError = policy
                        $0.header = header
                        if seed % 5 == 0 { $0.types = ["column1": .number] }
                    }
                    if let t = r?.table {
                        #expect(t.columns.allSatisfy { $0.count == t.rowCount })
                    }
                }
            }
        }
    }
}
