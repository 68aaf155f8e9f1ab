import Foundation
import TallyCore
import TallyIO
import TallyLang
import TallyREPL

/// Seed corpora, made at run time from the repository (nothing is committed):
/// statements of the golden transcripts, the fixture files, and small demo tables.
///
/// Each fuzzer calls `writeIfAsked` from `LLVMFuzzerInitialize`: with
/// `TALLY_FUZZ_SEEDS=<dir>` and `TALLY_FUZZ_REPO=<repo root>` set it writes its seeds
/// into the folder and exits, so `scripts/fuzz` needs no other tool to make them.
public enum Seeds {
    public enum Kind: String {
        case parse, eval, csv, xlsx
    }

    public static func writeIfAsked(_ kind: Kind) {
        let env = ProcessInfo.processInfo.environment
        guard let out = env["TALLY_FUZZ_SEEDS"], !out.isEmpty else { return }
        let repo = env["TALLY_FUZZ_REPO"] ?? "."
        try? FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        var writer = Writer(folder: out)
        switch kind {
        case .parse, .eval:
            for (path, text) in files(under: repo + "/Tests/TallyREPLTests/Transcripts", extensions: ["tally"]) {
                let script = String(decoding: text, as: UTF8.self)
                for s in ScriptSplitter.statements(script) { writer.add(Array(s.text.utf8)) }
                // Whole short scripts too: a definition and its uses in one input.
                if kind == .eval && text.count <= 2048 { writer.add(text) }
                _ = path
            }
            for f in Registry.standard.all {
                writer.add(Array(f.example.utf8))
            }
        case .csv:
            for (_, bytes) in files(under: repo + "/Tests", extensions: ["csv", "tsv", "txt"]) where bytes.count <= 65536 {
                writer.add(bytes)
            }
            for (_, t) in demoTables(rows: 40) { writer.add(TableWriter.render(t, format: .csv)) }
        case .xlsx:
            for (_, bytes) in files(under: repo + "/Tests", extensions: ["xlsx"]) { writer.add(bytes) }
            let tmp = out + "/.demo.xlsx"
            for (name, t) in demoTables(rows: 20) {
                if (try? XLSXWriter.write(t, to: tmp, sheetName: name)) != nil,
                   let d = FileManager.default.contents(atPath: tmp) {
                    writer.add(Array(d))
                }
            }
            try? FileManager.default.removeItem(atPath: tmp)
        }
        if let dict = env["TALLY_FUZZ_DICT"], !dict.isEmpty, kind == .parse || kind == .eval {
            FileManager.default.createFile(atPath: dict, contents: Data(dictionary().utf8))
        }
        print("\(kind.rawValue): \(writer.count) seeds in \(out)")
        exit(0)
    }

    /// A libFuzzer dictionary of the language: keywords, command words, every built-in
    /// and alias, option labels and operators (made from the registry, so never stale).
    static func dictionary() -> String {
        var words: [String] = ["and", "or", "not", "as", "true", "false", "if", "by", "in", "step", "to", "apply", "demo"]
        words += Session.commandWords
        words += ["output", "decimals", "width", "timer", "color", "lang", "undo_memory", "box", "markdown", "csv", "plain", "on", "off", "zh", "en"]
        words += ["orders", "customers", "reps", "targets", "amount", "region", "channel", "customer_id", "order_date"]
        words += ["delimiter", "header", "encoding", "skip", "types", "dateformat", "on_error", "sheet", "force", "range", "data"]
        for f in Registry.standard.all { words.append(f.name); words += f.aliases }
        let symbols = ["==", "!=", "<=", ">=", "|>", "<>", "..", "+", "-", "*", "/", "^", "&", "=", "<", ">",
                       "(", ")", "[", "]", "{", "}", ",", ":", ".", "%", "\"", "'", "`", "#", "\n",
                       "1e308", "-0", "0.1", "1_000", "2026-07-01", "NaN", "inf"]
        var seen: Set<String> = []
        var out = "# Tally: keywords, commands, built-ins and operators (written by the FuzzParse/FuzzEval seed mode)\n"
        for w in words + symbols where seen.insert(w).inserted {
            var escaped = ""
            for b in w.utf8 {
                if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { escaped += "\\" + String(UnicodeScalar(b)) }
                else if b < 0x20 || b >= 0x7F { escaped += "\\x" + String(b, radix: 16, uppercase: true).leftPadded(2) }
                else { escaped += String(UnicodeScalar(b)) }
            }
            out += "\"\(escaped)\"\n"
        }
        return out
    }

    /// The first `rows` rows of each demo table.
    static func demoTables(rows: Int) -> [(String, Table)] {
        DemoData.tables().map { ($0.0, $0.1.gather(Array(0..<min(rows, $0.1.rowCount)))) }
    }

    /// Files below `folder` with one of the extensions, in path order.
    static func files(under folder: String, extensions: Set<String>) -> [(String, [UInt8])] {
        guard let e = FileManager.default.enumerator(atPath: folder) else { return [] }
        var paths: [String] = []
        while let p = e.nextObject() as? String {
            if extensions.contains((p as NSString).pathExtension.lowercased()) { paths.append(p) }
        }
        return paths.sorted().compactMap { p in
            FileManager.default.contents(atPath: folder + "/" + p).map { (p, Array($0)) }
        }
    }

    struct Writer {
        let folder: String
        var seen: Set<[UInt8]> = []
        var count: Int { seen.count }

        mutating func add(_ bytes: [UInt8]) {
            guard !bytes.isEmpty, seen.insert(bytes).inserted else { return }
            FileManager.default.createFile(atPath: folder + "/seed-\(seen.count)", contents: Data(bytes))
        }
    }
}

extension String {
    func leftPadded(_ n: Int) -> String { String(repeating: "0", count: max(0, n - count)) + self }
}
