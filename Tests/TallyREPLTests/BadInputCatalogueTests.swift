import Foundation
import Testing
import TallyCore
@testable import TallyLang
@testable import TallyREPL

/// Issue 9, item 16: a catalogue of bad statements, files and commands. Each one must be
/// refused with exactly one one-line error (`error: ...` or `FILE:LINE:COL: error: ...`),
/// a position (a caret under the source line, or file:line:col), and must leave the
/// workspace as it was: the `list` and `scenarios` output, every value (every table's
/// content), the settings, `_` and the undo/redo steps. Statements that only give an
/// error value (`1e308 * 10`, `upper(1)`) are not refusals and are not listed here.
struct BadInputCatalogueTests {
    struct Case: Sendable, CustomTestStringConvertible {
        enum Mode: Sendable {
            /// Typed into the REPL on the demo data and the setup below.
            case repl
            /// The text of a script file `bad.tally`, run as `tally bad.tally` runs it.
            case script
            /// Typed into a fresh REPL: no demo data, nothing defined, nothing to undo.
            case fresh
        }
        var mode: Mode
        var text: String
        /// A known bug, not fixed yet: the case runs inside `withKnownIssue`.
        var known: String?

        static func repl(_ text: String, known: String? = nil) -> Case { Case(mode: .repl, text: text, known: known) }
        static func script(_ text: String) -> Case { Case(mode: .script, text: text) }
        static func fresh(_ text: String) -> Case { Case(mode: .fresh, text: text) }

        var testDescription: String {
            let shown = text.count > 70 ? String(text.prefix(60)) + "… (\(text.count) characters)" : text
            return "\(mode): " + shown.replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r")
        }
    }

    /// `n` levels of `open`, then `inner`, then `n` of `close` (1,600 by default: past the
    /// 1,000-level limit, and deep enough to overflow a small stack if the limit failed).
    static func deep(_ open: String, _ inner: String, _ close: String, _ n: Int = 1600) -> String {
        String(repeating: open, count: n) + inner + String(repeating: close, count: n)
    }

    /// Defined before each `.repl` case, on top of the demo tables.
    static let setup = [
        "visitors = 12000", "conversion = 3%", "aov = 486.2", "revenue = visitors * conversion * aov",
        "t = table(x: [1, 2])", "t.y = x + 1", "total = sum(t.y)", "scenario best: visitors = 15000",
    ]

    /// Fixture files, made once in a temporary folder (`$D` in the cases).
    static let fixtures: String = {
        let tmp = FileManager.default.temporaryDirectory
        // Folders of earlier runs whose process is gone are removed; this run's goes next time.
        for old in (try? FileManager.default.contentsOfDirectory(atPath: tmp.path)) ?? [] where old.hasPrefix("tally-bad-inputs-") {
            if let pid = Int32(old.dropFirst("tally-bad-inputs-".count)), kill(pid, 0) != 0, errno == ESRCH {
                try? FileManager.default.removeItem(atPath: tmp.appendingPathComponent(old).path)
            }
        }
        let dir = tmp.appendingPathComponent("tally-bad-inputs-\(getpid())").path
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        func put(_ name: String, _ bytes: [UInt8]) { FileManager.default.createFile(atPath: dir + "/" + name, contents: Data(bytes)) }
        func put(_ name: String, _ text: String) { put(name, Array(text.utf8)) }
        put("ok.csv", "a,b\n1,2\n")
        put("existing.csv", "a,b\n1,2\n")
        put("nul.csv", [UInt8]("a,b\n1,".utf8) + [0] + [UInt8]("2\n".utf8))
        put("empty.csv", "")
        put("ragged.csv", "a,b\n1,2,3\n")
        put("quote.csv", "a,b\n\"1,2\n")
        put("latin1.csv", [UInt8]("a,b\ncaf".utf8) + [0xE9] + [UInt8](",2\n".utf8))
        put("broken.xlsx", [0x50, 0x4B, 0x03, 0x04] + [UInt8]("garbage".utf8))
        put("nul.tally", [UInt8]("x = 1".utf8) + [0] + [0x0A])
        put("broken-plan.tally", "# Tally plan\nx = 1\ny = (\n")
        put("cr-plan.tally", "# Tally plan\rx = (1\r")
        put("cr-bad.tally", "# old Mac line ends\r\rq = (2\r")
        put("bad3.tally", "# comment\n\nz = nosuch + 1\n")
        put("half.tally", "w1 = 1\nw2 = nosuch\n")
        put("self.tally", "run \"\(dir)/self.tally\"\n")
        _ = mkfifo(dir + "/fifo", 0o600)
        // A good workbook, written the way `export` writes one.
        let maker = Driver(settings: Settings(), output: CapturedOutput())
        maker.execute("u = table(a: [1, 2])", name: nil, line: 1)
        maker.execute("export u to \"\(dir)/ok.xlsx\", force: true", name: nil, line: 1)
        return dir
    }()

    /// The damaged files kept in `Tests/TallyREPLTests/Fixtures` (`$F` in the cases).
    static let projectFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

    /// What a refused statement must not change.
    struct Snapshot: Equatable {
        var list: String
        var scenarios: String
        var order: [String]
        var values: [String: Value]
        var settings: String
        var maxRows: Int
        var last: Value?
        var undo: Int
        var redo: Int
        var unsaved: Set<String>
    }

    static func snapshot(_ d: Driver, _ out: CapturedOutput) -> Snapshot {
        let start = out.text.count
        d.execute("list", name: nil, line: 1)
        let list = String(out.text.dropFirst(start))
        let mid = out.text.count
        d.execute("scenarios", name: nil, line: 1)
        let scenarios = String(out.text.dropFirst(mid))
        let ws = d.session.workspace
        var values: [String: Value] = [:]
        for n in ws.order { values[n] = ws[n]?.value }
        return Snapshot(list: list, scenarios: scenarios, order: ws.order, values: values, settings: "\(d.settings)",
                        maxRows: d.session.maxRows, last: d.session.lastValue, undo: d.session.undoLog.undo.count,
                        redo: d.session.undoLog.redo.count, unsaved: d.session.unsaved)
    }

    /// `error: ...` or `FILE:LINE:COL: error: ...`.
    static func isErrorHead(_ line: Substring) -> Bool {
        if line.hasPrefix("error: ") { return true }
        guard let r = line.range(of: ": error: ") else { return false }
        let loc = line[..<r.lowerBound].split(separator: ":", omittingEmptySubsequences: false)
        return loc.count >= 3 && loc.suffix(2).allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) } && !loc.dropLast(2).joined().isEmpty
    }

    static func check(_ c: Case) {
        var settings = Settings()
        settings.banner = false
        settings.width = 1000
        let out = CapturedOutput()
        let driver = Driver(settings: settings, output: out)
        if c.mode != .fresh {
            driver.loadDemo(announce: false)
            if c.mode == .repl {
                for s in setup { #expect(driver.execute(s, name: nil, line: 1), "setup `\(s)` failed: \(out.text)") }
            }
        }
        let text = c.text.replacingOccurrences(of: "$D", with: fixtures).replacingOccurrences(of: "$F", with: projectFixtures)
        let before = snapshot(driver, out)
        let start = out.text.count
        let accepted: Bool
        if c.mode == .script {
            accepted = driver.runScript(text, name: "bad.tally", keepGoing: false) == 0
        } else {
            accepted = driver.execute(text, name: nil, line: 1)
        }
        let printed = String(out.text.dropFirst(start))
        let after = snapshot(driver, out)

        #expect(!accepted, "accepted; printed:\n\(printed)")
        let lines = printed.split(separator: "\n", omittingEmptySubsequences: false).dropLast(printed.hasSuffix("\n") ? 1 : 0)
        guard let head = lines.first else { Issue.record("printed nothing"); return }
        #expect(isErrorHead(head), "the first line is not an error:\n\(printed)")
        #expect(lines.filter { isErrorHead($0) }.count == 1, "not exactly one error:\n\(printed)")
        // Under the one-line message only the indented source line, caret and hint.
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("  ") }, "more than a one-line error:\n\(printed)")
        let located = !head.hasPrefix("error: ")
        let caret = lines.contains { l in l.hasPrefix("  ") && !l.allSatisfy { $0 == " " } && l.allSatisfy { $0 == " " || $0 == "^" } }
        #expect(located || caret, "no position (no caret, no file:line:col):\n\(printed)")
        if c.mode == .script { #expect(head.hasPrefix("bad.tally:"), "a script error must name the file:\n\(printed)") }
        #expect(before == after, "the workspace changed:\n\(printed)")
    }

    @Test("bad input is refused with one located error and changes nothing", arguments: cases)
    func refused(_ c: Case) {
        if let known = c.known {
            withKnownIssue(Comment(rawValue: known)) { Self.check(c) }
        } else {
            Self.check(c)
        }
    }

    @Test("a misspelt name, function, column, option or command word gets a did-you-mean", arguments: [
        ("revenu + 1", "revenue"), ("summ(orders.amount)", "sum"), ("orders.amout", "amount"), ("sum(orders.amout)", "amount"),
        ("where(orders, amout > 1)", "amount"), ("sort(orders, amout)", "amount"), ("group(orders, chanel, n: count())", "channel"),
        ("join(orders, customers, on: custmer_id)", "customer_id"), ("round(1.5, digitz: 1)", "digits"), ("head(orders, m: 3)", "n"),
        ("top(orders, 3, bi: amount)", "by"), ("sample(orders, 2, sed: 1)", "seed"),
        ("join(orders, customers, on: customer_id, knd: \"left\")", "kind"), ("set decimal 3", "decimals"),
        ("chart baar orders", "bar"), ("describe revenu", "revenue"), ("chart bar orders, x: chanel, y: amount", "channel"),
        ("t.yy", "y"), ("drop revenu", "revenue"), ("what if visitor = 1: revenue", "visitors"),
        ("goalseek revenue = 1 by visitor", "visitors"), ("sensitivity revenu", "revenue"), ("rename visitor to v", "visitors"),
        ("pivot(orders, rows: region, cols: channel, valu: count())", "value"), ("scenario apply bset", "best"),
    ])
    func didYouMean(_ input: String, _ suggestion: String) {
        var settings = Settings()
        settings.banner = false
        let out = CapturedOutput()
        let driver = Driver(settings: settings, output: out)
        driver.loadDemo(announce: false)
        for s in Self.setup { driver.execute(s, name: nil, line: 1) }
        let start = out.text.count
        #expect(!driver.execute(input, name: nil, line: 1))
        let printed = String(out.text.dropFirst(start))
        #expect(printed.contains("did you mean `\(suggestion)`?"), "no suggestion of `\(suggestion)`:\n\(printed)")
    }

    @Test func theCatalogueIsLarge() {
        #expect(Self.cases.count >= 150)
    }

    static let cases: [Case] = [
        .repl("load \"$D/missing.csv\" as t2"),
        .repl("load \"$D\" as t2"),
        .repl("load \"/dev/zero\" as t2"),
        .repl("load \"$D/fifo\" as t2"),
        .repl("load \"$D/nul.csv\" as t2"),
        .repl("load \"$D/empty.csv\" as t2"),
        .repl("load \"$D/ragged.csv\" as t2"),
        .repl("load \"$D/quote.csv\" as t2"),
        .repl("load \"$D/broken.xlsx\" as t2"),
        .repl("load \"$D/latin1.csv\" as t2, encoding: \"utf-8\""),
        .repl("load \"$D/ok.csv\" as t2, encoding: \"klingon\""),
        .repl("load \"$D/ok.csv\" as t2, encoding: 5"),
        .repl("load \"$D/ok.csv\" as t2, delimiter: \"ab\""),
        .repl("load \"$D/ok.csv\" as t2, header: maybe"),
        .repl("load \"$D/ok.csv\" as t2, skip: -1"),
        .repl("load \"$D/ok.csv\" as t2, sheet: 2"),
        .repl("load \"$D/ok.csv\" as t2, colour: 1"),
        .repl("load \"$D/ok.csv\""),
        .repl("load \"$D/ok.csv\" as t2, types: {a: \"widget\"}"),
        .repl("load \"$D/ok.csv\" as t2, types: {zz: \"number\"}"),
        .repl("load \"$D/ok.csv\" as 3x"),
        .repl("load \"$D/ok.csv\" as list"),
        .repl("load \"$D/ok.csv\" as revenue"),
        .repl("load \"$D/ok.csv\" as t"),
        .repl("load"),
        .repl("load \"$D/ok.csv\" as t2, dateformat: \"qq\""),
        .repl("load \"$D/ok.csv\" as t2, on_error: \"ignore\""),
        .repl("load \"$D/ok.csv\" as t2 t3"),
        .repl("load $D/ok.csv as t2"),
        .repl("reload nosuch"),
        .repl("reload revenue"),
        .repl("reload orders"),
        .repl("reload"),
        .repl("export orders to \"/nonexistent-dir/x.csv\""),
        .repl("export orders to \"$D/x.pdf\""),
        .repl("export nosuch to \"$D/x.csv\""),
        .repl("export revenue to \"$D/x.csv\""),
        .repl("export orders to \"$D/existing.csv\""),
        .repl("export orders \"$D/x.csv\""),
        .repl("export orders to \"$D/x.csv\", force: maybe"),
        .repl("export"),
        .repl("export orders to \"/proc/x.csv\""),
        .repl("export orders to \"$D\""),
        .repl("export orders to \"$D/x.csv\", colour: 1"),
        .repl("chart"),
        .repl("chart baar orders"),
        .repl("chart bar"),
        .repl("chart bar orders"),
        .repl("chart bar orders, x: chanel, y: amount"),
        .repl("chart hist orders, x: amount, bins: 0"),
        .repl("chart bar 42, x: channel, y: amount"),
        .repl("chart bar nosuch, x: channel, y: amount"),
        .repl("chart bar orders, x: channel, y: amount, to: \"chart.png\""),
        .repl("chart bar orders, x: channel, y: amount, to: \"/proc/nosuch/c.svg\""),
        .repl("chart pareto orders"),
        .repl("chart rfm orders"),
        .repl("chart line orders, x: order_date"),
        .repl("chart tornado orders"),
        .repl("chart heat orders"),
        .repl("chart bar orders x: channel"),
        .repl("chart hist revenue"),
        .repl("describe nosuch"),
        .repl("describe revenu"),
        .repl("describe"),
        .repl("describe revenue"),
        .repl("describe orders extra"),
        .repl("show nosuch"),
        .repl("show"),
        .repl("show 1 +"),
        .repl("set decimals 13"),
        .repl("set decimals x"),
        .repl("set width 5"),
        .repl("set timer maybe"),
        .repl("set color 2"),
        .repl("set lang fr"),
        .repl("set output html"),
        .repl("set undo_memory 0"),
        .repl("set undo_memory lots"),
        .repl("set decimal 3"),
        .repl("set"),
        .repl("set decimals"),
        .repl("set max_rows 0"),
        .repl("set max_rows -5"),
        .repl("set max_rows lots"),
        .repl("set max_rows 3000000000"),
        .repl("run \"$D/missing.tally\""),
        .repl("run \"$D\""),
        .repl("run \"/dev/zero\""),
        .repl("run \"$D/fifo\""),
        .repl("run \"$D/nul.tally\""),
        .repl("run \"$D/bad3.tally\""),
        .repl("run \"$D/self.tally\""),
        .repl("run \"$D/cr-bad.tally\""),
        .repl("run"),
        .repl("run /tmp/x"),
        .repl("run \"$D/half.tally\""),
        .repl("save \"/proc/nosuch/plan.tally\""),
        .repl("save \"$D/existing.csv\""),
        .repl("save"),
        .repl("save \"$D/p.tally\", data: maybe"),
        .repl("save \"$D\""),
        .repl("save \"$D/p2.tally\", colour: 1"),
        .repl("open \"$D/missing.tally\""),
        .repl("open \"$D/broken-plan.tally\""),
        .repl("open \"$D/nul.tally\""),
        .repl("open \"/dev/zero\""),
        .repl("open \"$D/fifo\""),
        .repl("open"),
        .repl("open \"$D\""),
        .repl("open \"$D/bad3.tally\""),
        .repl("open \"$D/cr-plan.tally\""),
        .repl("what if nosuch = 1: revenue"),
        .repl("what if visitors = 1: nosuch"),
        .repl("what if visitors = : revenue"),
        .repl("what if"),
        .repl("what if visitors = \"a\" + : revenue"),
        .repl("what if visitors = 1, visitors = 2: revenue"),
        .repl("scenario best:"),
        .repl("scenario best: nosuch = 1"),
        .repl("scenario apply nosuch"),
        .repl("drop scenario nosuch"),
        .repl("scenario best visitors = 1"),
        .repl("scenario best2: visitors = 1, visitors = 2"),
        .repl("compare nosuch"),
        .repl("goalseek revenue = 1 by nosuch"),
        .repl("goalseek nosuch = 1 by visitors"),
        .repl("goalseek revenue = 1e6 by visitors, range: [10, 1]"),
        .repl("goalseek revenue by visitors"),
        .repl("goalseek revenue = 1e6 by revenue"),
        .repl("goalseek aov = 1 by visitors"),
        .repl("goalseek revenue = \"x\" by visitors"),
        .repl("datatable revenue by visitors in 1..100000 step 1"),
        .repl("datatable revenue by visitors in 10..1 step 1"),
        .repl("datatable revenue by visitors in 1..10 step 0"),
        .repl("datatable revenue by visitors in []"),
        .repl("datatable nosuch by visitors in [1]"),
        .repl("datatable revenue by nosuch in [1]"),
        .repl("datatable revenue"),
        .repl("datatable revenue by visitors in 1..10 step 1, conversion in 1..10000 step 1"),
        .repl("sensitivity nosuch"),
        .repl("sensitivity revenue, by: \"x\""),
        .repl("sensitivity revenue, nosuch: [1, 2]"),
        .repl("sensitivity"),
        .repl("sensitivity aov * 2"),
        .repl("rename nosuch to x"),
        .repl("rename visitors to conversion"),
        .repl("rename visitors to list"),
        .repl("rename visitors"),
        .repl("rename visitors to 3x"),
        .repl("rename orders to _"),
        .repl("drop nosuch"),
        .repl("drop visitors"),
        .repl("drop"),
        .repl("drop orders, nosuch"),
        .repl("drop t"),
        .repl("drop list"),
        .repl("undo 3"),
        .repl("redo 2"),
        .repl("redo"),
        .repl("help nosuch"),
        .repl("help sum extra"),
        .repl("quit now"),
        .repl("exit 1"),
        .repl("1e309"),
        .repl("-1e309"),
        .repl("x = 1e400"),
        .repl("[1e309]"),
        .repl("sum(1e309, 1)"),
        .repl("revenu + 1"),
        .repl("summ(orders.amount)"),
        .repl("Sum(1)"),
        .repl("orders.amount2"),
        .repl("sum(orders.amout)"),
        .repl("t.nosuch"),
        .repl("{a: 1}.b"),
        .repl("where(orders, amout > 1)"),
        .repl("sort(orders, amout)"),
        .repl("group(orders, chanel, n: count())"),
        .repl("join(orders, customers, on: custmer_id)"),
        .repl("round(1.5, digitz: 1)"),
        .repl("split(100, [1, 2], unti: 1)"),
        .repl("head(orders, m: 3)"),
        .repl("top(orders, 3, bi: amount)"),
        .repl("sample(orders, 2, sed: 1)"),
        .repl("join(orders, customers, on: customer_id, knd: \"left\")"),
        .repl("pivot(orders, rows: region, cols: channel, value: count(), total: true)"),
        .repl("where(orders, cond: amount > 1)"),
        .repl("distinct(orders, by: channel)"),
        .repl("sum(1, 2, amount: 3)"),
        .repl("concat(x: 1)"),
        .repl("1 as percnt"),
        .repl("sum"),
        .repl("where(42, x > 1)"),
        .repl("where(orders, 42)"),
        .repl("where(orders, amount)"),
        .repl("sort(orders, 42)"),
        .repl("sort(orders)"),
        .repl("sort(orders, desc)"),
        .repl("group(orders, channel, x: amount)"),
        .repl("group(42, channel)"),
        .repl("pivot(orders, rows: region)"),
        .repl("distinct(42)"),
        .repl("join(orders, 42, on: channel)"),
        .repl("join(orders, customers)"),
        .repl("join(orders, customers, on: customer_id, kind: \"outer\")"),
        .repl("head(orders, -1)"),
        .repl("head(orders, \"x\")"),
        .repl("head(orders, 1.5)"),
        .repl("top(orders, 3, by: nosuch)"),
        .repl("select(orders)"),
        .repl("select(orders, amount, amount)"),
        .repl("add(orders, amount * 2)"),
        .repl("table(1, 2)"),
        .repl("table(a: [1, 2], b: [1])"),
        .repl("table(a: 5)"),
        .repl("sample(orders, -1)"),
        .repl("rows(5)"),
        .repl("columns(\"x\")"),
        .repl("if(true)"),
        .repl("iferror()"),
        .repl("round()"),
        .repl("round(1, 2, 3)"),
        .repl("abs()"),
        .repl("upper()"),
        .repl("upper(\"a\", \"b\")"),
        .repl("date()"),
        .repl("year()"),
        .repl("today(1)"),
        .repl("sparkline()"),
        .repl("group(orders, channel, s: sum())"),
        .repl("split(100, orders)"),
        .repl("split(100, [1, 2], weight: amount)"),
        .repl("rfm(orders)"),
        .repl("rfm(42, customer: customer_id)"),
        .repl("abc(orders)"),
        .repl("abc(orders, value: nosuch)"),
        .repl("tree(orders)"),
        .repl("assign(orders)"),
        .repl("progress(1)"),
        .repl("why(1)"),
        .repl("segments(1)"),
        .repl("rfm_score(1)"),
        .repl("ltv(1)"),
        .repl("repeat_rate(orders)"),
        .repl("funnel()"),
        .repl("sum(1, 2"),
        .repl("[1, 2"),
        .repl("{a: 1"),
        .repl("\"abc"),
        .repl("(1 + 2))"),
        .repl("1 +"),
        .repl("* 2"),
        .repl("a ="),
        .repl("= 5"),
        .repl("1 2"),
        .repl("@"),
        .repl("f(a:)"),
        .repl("1,000"),
        .repl("1 < 2 < 3"),
        .repl("5 %"),
        .repl("list = 3"),
        .repl("_ = 1"),
        .repl("ans = 2"),
        .repl("3x = 1"),
        .repl("nosuch.c = 1"),
        .repl("revenue.c = 1"),
        .repl("t.r = {a: x}"),
        .repl("t.q = table(a: [1])"),
        .repl("t.l = [1, 2, 3]"),
        .repl("t.m = [[1], [2]]"),
        .repl("visitors = visitors * 1.1"),
        .repl("visitors = revenue"),
        .repl("t.x = y"),
        .repl("t.z = total"),
        .repl("orders.c = {a: amount}"),
        .repl("aov = revenue / visitors"),
        .script("# a plan\n\nq = (1 + 2\n"),
        .script("q = [1, 2\n\n"),
        .script("\"abc\n"),
        .script("# c\rq = nosuch\r"),
        .script("q = nosuch\r\n"),
        .script("q = 1\u{0000}\n"),
        .script("  \n\tq = )\n"),
        .script("q = 1 +\n"),
        .script("revenue = revenue + 1\n"),
        .repl(deep("(", "1", ")")),
        .repl(deep("-", "1", "")),
        .repl(deep("[", "1", "]")),
        .repl(deep("abs(", "1", ")")),
        .repl(deep("not ", "true", "")),
        .repl(deep("{a: ", "1", "}")),
        .repl(deep("2 ^ ", "1", "")),
        .repl("deep = " + deep("(", "1", ")")),
        .script("# deep\n" + "q = " + deep("(", "1", ")") + "\n"),
        .repl("load \"$D/ok.xlsx\" as t2, sheet: 99"),
        .repl("load \"$D/ok.xlsx\" as t2, sheet: \"nosuch\""),
        .repl("load \"$D/ok.xlsx\" as t2, delimiter: \";\""),
        .repl("load \"$D/ok.xlsx\" as t2, encoding: \"gbk\""),
        .repl("export orders to \"$D/ok.xlsx\""),
        .repl("load \"$F/mixed-encoding.csv\" as t2"),
        .repl("load \"$F/damaged.xlsx\" as t2"),
        .repl("load \"$F/infinite.xlsx\" as t2"),
        .repl("load \"$F/truncated.xlsx\" as t2"),
        .repl("load \"$F/unterminated.csv\" as t2"),
        .repl("chart bar orders, x: channel, y: amount, colour: 1"),
        .repl("chart hist orders.amount, bins: 1000"),
        .repl("chart line orders, x: order_date, y: channel"),
        .repl("chart bar orders, x: channel, y: [amount, nosuch]"),
        .repl("export orders to \"$D/x.csv\", force: true, force: true"),
        .repl("save \"$D/p.tally\", data: true, data: true"),
        .repl("describe orders.amount"),
        .repl("what if visitors = 1: revenue, nosuch"),
        .repl("goalseek revenue = 1e6 by visitors, range: [1]"),
        .repl("goalseek revenue = 1e6 by visitors, range: \"x\""),
        .repl("datatable revenue by visitors in 1..10 step -1"),
        .repl("datatable revenue by visitors in \"x\""),
        .repl("sensitivity revenue, by: 0"),
        .repl("sensitivity revenue, visitors: [1]"),
        .repl("rename visitors to visitors"),
        .repl("rename orders to t"),
        .repl("set width 1001"),
        .repl("set decimals -1"),
        .repl("set output"),
        .repl("set lang"),
        .repl("date(\"2026-01-01\") + 1e400"),
        .repl("10 ^ 1e400"),
        .repl("f(1)(2)"),
        .repl("\"a\" \"b\""),
        .repl("1 = 2"),
        .repl("orders.amount = "),
        .repl("scenario s: orders.amount = 1"),
        .repl("scenario apply"),
        .fresh("undo"),
        .fresh("redo"),
    ]
}
