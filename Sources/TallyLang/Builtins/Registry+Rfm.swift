import Foundation
import TallyAnalytics
import TallyCore

extension Registry {
    /// rfm, rfm_score, why, segments: RFM analysis that states how it scored.
    static let rfmFunctions: [Builtin] = [
        Builtin("rfm", category: .analytics,
                parameters: [.required("orders", .table, help: "one row per order"),
                             .labelled("customer", .column(of: "orders"), help: "who ordered (a text column)"),
                             .labelled("date", .column(of: "orders"), help: "when (a date column)"),
                             .labelled("amount", .column(of: "orders"), help: "how much (a number column)"),
                             .option("asof", .date, help: "the day recency counts to (default: the latest order date)")]
                    + RfmCall.optionParameters(shown: true),
                summary: "RFM per customer from orders: recency, frequency, monetary, scores r f m, code (\"545\") and segment.",
                details: """
                recency = days from `asof` back to the customer's last order (asof defaults to the latest order
                date), frequency = orders (rows), monetary = total amount, summed exactly to the cent.
                customer: a text column (numbers are used as texts), date: a date column, amount: numbers;
                rows with an empty customer, date or amount are skipped and counted. Customers come out in a
                stable order (normally that of their first order); sort the result to order it otherwise.

                """ + RfmCall.scoringDetails,
                example: "rfm(table(customer: [\"A\", \"A\", \"B\"], day: [date(\"2026-06-20\"), date(\"2026-05-02\"), "
                    + "date(\"2025-11-30\")], amount: [1200, 800, 90]), customer: customer, date: day, amount: amount, "
                    + "asof: date(\"2026-07-01\"))") { ctx in
            try RfmCall(ctx: ctx).aggregateAndScore()
        },
        Builtin("rfm_score", category: .analytics,
                parameters: [.required("t", .table, help: "one row per customer"),
                             .labelled("recency", .column(of: "t"), help: "days since the last order"),
                             .labelled("frequency", .column(of: "t"), help: "the number of orders"),
                             .labelled("monetary", .column(of: "t"), help: "the total spent"),
                             .option("customer", .column(of: "t"), help: "the customer column (default: the first text column)")]
                    + RfmCall.optionParameters(shown: true),
                summary: "Scores customers already aggregated (recency in days, frequency, monetary) like rfm.",
                details: """
                recency in days, frequency in orders, monetary in money; customer: defaults to the first text
                column. Rows with an empty recency, frequency or monetary are skipped and counted.

                """ + RfmCall.scoringDetails,
                example: "rfm_score(table(id: [\"A001\", \"A002\", \"A003\", \"A004\", \"A005\"], R: [10, 180, 35, 90, 5], "
                    + "F: [12, 1, 8, 3, 2], M: [8000, 200, 5000, 1500, 800]), recency: R, frequency: F, monetary: M)") { ctx in
            try RfmCall(ctx: ctx).scoreAggregated()
        },
        Builtin("why", category: .analytics,
                parameters: [.required("rfm_result", .table, help: "a result of rfm or rfm_score"),
                             .required("customer", .value, help: "the customer to explain, as in the customer column")]
                    + RfmCall.optionParameters(shown: false),
                summary: "Explains one customer of an rfm result: each score's band, the thresholds, the means and the segment rule.",
                details: """
                A table of the three measures (value, score, the band it fell in, the mean, high or low) with the
                reasoning under it: the thresholds or quantile breaks, the means and the segment rule that matched.
                They are the ones the result was made with; for a result changed since (filtered, or saved and
                loaded) give the options given to rfm (method:, bins:, r:, f:, m:, segments:). The explanation
                is checked against the scores in the table, and refused when they disagree.
                """,
                example: "why(rfm_score(table(id: [\"A001\", \"A002\", \"A003\"], R: [10, 180, 35], F: [12, 1, 8], "
                    + "M: [8000, 200, 5000]), recency: R, frequency: F, monetary: M), \"A003\")") { ctx in
            try RfmWhy(ctx: ctx).run()
        },
        Builtin("segments", category: .analytics,
                parameters: [.variadic("name", .described("\"conditions\""), labels: .required, help: "one rule: its name and its conditions")],
                summary: "Ordered segment rules for rfm(..., segments: rules): the first rule whose conditions hold names the segment.",
                details: SegmentSyntax.details,
                example: "segments(champions: \"r >= 4 and f >= 4\", sleeping: \"r = 1\", big_spenders: \"m high\", other: \"\")") { ctx in
            try SegmentSyntax.build(ctx)
        },
    ]
}

/// One call of `rfm` or `rfm_score`: the options and the scoring.
struct RfmCall {
    /// The scoring options of rfm, rfm_score and why.
    static func optionParameters(shown: Bool) -> [Parameter] {
        [.option("method", .choice(["fixed", "quantile"]), default: .text("fixed"), help: "fixed thresholds, or quantiles of the data", shown: shown),
         .option("bins", .wholeNumber, default: .num(5), help: "with method: \"quantile\", 2 to 9 bins", shown: shown),
         .option("r", .numbers, help: "recency band edges in days", shown: shown),
         .option("f", .numbers, help: "frequency band edges", shown: shown),
         .option("m", .numbers, help: "monetary band edges", shown: shown),
         .option("segments", .described("rules"), help: "segment rules made by segments(...)", shown: shown)]
    }
    static let optionLabels = optionParameters(shown: false).map(\.name)

    /// The scoring half of `help rfm` and `help rfm_score`: the thresholds in force.
    static let scoringDetails = """
        Default fixed thresholds (bands inclusive as the table reads):
        """ + "\n" + RfmThresholds.standard.descriptionLines.map { "  " + $0 }.joined(separator: "\n") + "\n" + """
        Override them with r: [30, 90, 180, 365] (upper bounds of R 5, 4, 3, 2), f: [1, 2, 5, 10] and
        m: [100, 500, 2000, 5000] (lower bounds of scores 2, 3, 4, 5); 1 to 8 edges each.
        method: "quantile" scores by quantiles instead (bins: 5 by default, 2 to 9), recency reversed
        (recent = high). Tie rule: score = 1 + floor(bins * k / n), k = the number of values strictly
        worse, so equal values always share a bin; empty and collapsed bins are reported.
        Segments: a score is high when above that score's mean over all customers; the eight standard
        segments (important value 重要价值客户 ... general win-back 一般挽留客户) in `segment`, Chinese in
        `segment_zh`; segments: segments(...) replaces them (see `help segments`). The notes under the
        table state the thresholds or breaks and the tie rule in force; why(result, "C0042") explains one
        customer. The input table is never modified.
        """

    let ctx: CallContext

    /// `rfm(orders, customer:, date:, amount:, asof:, ...)`.
    func aggregateAndScore() throws -> Value {
        let t = try ctx.table("orders")
        let (customerName, customerColumn) = try column("customer", in: t)
        let (dateName, dateColumn) = try column("date", in: t)
        let (amountName, amountColumn) = try column("amount", in: t)
        guard case .date(let days) = dateColumn.storage else {
            throw ctx.fail("date: `\(dateName)` is \(AnalyticsSupport.article(dateColumn.typeName)) column, not dates",
                           at: ctx.argument("date")?.value, hint: AnalyticsSupport.loadHint(dateName, "date"))
        }
        guard case .number(let amounts) = amountColumn.storage else {
            throw ctx.fail("amount: `\(amountName)` is \(AnalyticsSupport.article(amountColumn.typeName)) column, not numbers",
                           at: ctx.argument("amount")?.value, hint: AnalyticsSupport.loadHint(amountName, "number"))
        }
        let (asof, asofDefaulted) = try asofDate(days, validity: dateColumn.validity)
        let options = try RfmOptions.parse(ctx)
        let key = AnalyticsSupport.textCodes(customerColumn)
        try ctx.checkInterrupted()
        let result: RfmResult
        let aggregate: RfmAggregate
        do {
            aggregate = try RfmAggregation.aggregate(
                customerCodes: key.codes, customerDictionary: key.dictionary, dates: days, amounts: amounts.doubles,
                customerValidity: key.validity, dateValidity: dateColumn.validity, amountValidity: amountColumn.validity,
                asof: asof.days, stop: { ctx.evaluator.isInterrupted() })
        } catch {
            throw ErrorValue(.number, "rfm: " + AnalyticsSupport.describe(error))
        }
        // Ctrl-C between the phases (each a few hundred ms over a million customers).
        try ctx.checkInterrupted()
        do {
            result = try Rfm.score(aggregate, method: options.method, segments: options.rules, stop: { ctx.evaluator.isInterrupted() })
        } catch {
            throw ErrorValue(.number, "rfm: " + AnalyticsSupport.describe(error))
        }
        try ctx.checkInterrupted()
        let customers = Column(storage: .text(codes: aggregate.customerCodes, dictionary: key.dictionary))
        let to: NotePart = aggregate.rowsUsed > 0 || !asofDefaulted
            ? .phrase(.rfmRecencyTo, [.date(asof), asofDefaulted ? .phrase(.rfmAsofDefaulted) : .text("")]) : .text("")
        let lead = Note(.rfmLeadOrders, [.counted(aggregate.rowsUsed, .nounOrder), .counted(result.customers.count, .nounCustomer),
                                         .name(customerName), to])
        return .table(try RfmTable.make(result, customers: customers, monetaryFormat: .money, options: options, lead: lead, ctx: ctx))
    }

    /// `rfm_score(t, recency:, frequency:, monetary:, ...)`.
    func scoreAggregated() throws -> Value {
        let t = try ctx.table("t")
        var measures: [(name: String, column: Column, values: NumberCells)] = []
        for label in ["recency", "frequency", "monetary"] {
            let (name, c) = try column(label, in: t)
            guard case .number(let xs) = c.storage else {
                throw ctx.fail("\(label): `\(name)` is \(AnalyticsSupport.article(c.typeName)) column, not numbers",
                               at: ctx.argument(label)?.value, hint: AnalyticsSupport.loadHint(name, "number"))
            }
            measures.append((name, c, xs))
        }
        let options = try RfmOptions.parse(ctx)
        // When every row holds all three measures (a pushed-down rfm's totals always do),
        // the columns are scored as they are: no filtered copy of each, which over a
        // million customers is 36 MB.
        let complete = measures.allSatisfy { $0.column.typedValidity == nil }
        let rows: [Int]? = complete ? nil : (0..<t.rowCount).filter { i in measures.allSatisfy { $0.column.isValid(i) } }
        let used = rows?.count ?? t.rowCount
        func values(_ k: Int) -> NumberCells { rows.map { measures[k].values.gather($0) } ?? measures[k].values }
        var customerColumn: Column
        var customerName: String?
        if let arg = ctx.argument("customer") {
            customerName = try ctx.columnName(arg.value, in: t)
        } else {
            let used = measures.map(\.name)
            customerName = zip(t.names, t.columns).first { !used.contains($0.0) && $0.1.typeName == "text" }?.0
        }
        if let customerName, let c = t.column(named: customerName) {
            customerColumn = rows.map { c.gather($0) } ?? c
        } else {
            customerColumn = .numbers(rows?.map { Double($0 + 1) } ?? (0..<used).map { Double($0 + 1) }, format: .digits)
        }
        let names = AnalyticsSupport.strings(customerColumn, rows: 0..<used)
        let result: RfmResult
        do {
            result = try Rfm.score(customers: names, recency: values(0), frequency: values(1), monetary: values(2),
                                   method: options.method, segments: options.rules, stop: { ctx.evaluator.isInterrupted() })
        } catch {
            throw ErrorValue(.number, "rfm_score: " + AnalyticsSupport.describe(error))
        }
        try ctx.checkInterrupted()
        let skipped: NotePart = used < t.rowCount ? .phrase(.rfmSkippedRows, [.counted(t.rowCount - used, .nounRow)]) : .text("")
        let lead = Note(.rfmLeadCustomers, [.counted(used, .nounCustomer), customerName.map { .name($0) } ?? .phrase(.rfmNumberedByRow),
                                            skipped])
        customerColumn.format = customerColumn.typeName == "number" ? .digits : customerColumn.format
        return .table(try RfmTable.make(result, customers: customerColumn, monetaryFormat: measures[2].column.format,
                                        options: options, lead: lead, ctx: ctx))
    }

    /// A required column argument and its column.
    private func column(_ label: String, in t: Table) throws -> (String, Column) {
        guard let name = try ctx.column(label, in: t) else { throw ctx.fail("needs \(label): column", hint: "usage: \(ctx.usage)") }
        return (name, t.column(named: name) ?? .numbers([]))
    }

    /// `asof:` as a date (a text like "2026-07-01" is read as one); by default the latest order date.
    private func asofDate(_ days: [Int32], validity: Bitmap?) throws -> (TallyDate, Bool) {
        if let arg = ctx.argument("asof") {
            switch try ctx.evaluate(arg.value) {
            case .date(let d): return (d, false)
            case .text(let s):
                guard let d = Registry.parseDate(s) else {
                    throw ctx.fail("asof: \"\(s)\" is not a date", at: arg.value, hint: "asof: date(\"2026-07-01\")")
                }
                return (d, false)
            case .error(let e): throw e
            case let v:
                throw ctx.fail("asof must be a date, got \(AnalyticsSupport.article(v.typeName))", at: arg.value,
                               hint: "asof: date(\"2026-07-01\")")
            }
        }
        var latest = Int32.min
        for i in days.indices where validity.map({ $0[i] }) ?? true { latest = max(latest, days[i]) }
        return (TallyDate(days: latest == .min ? 0 : latest), true)
    }
}

/// The scoring options shared by rfm, rfm_score and why: method, bins, edges, segment rules.
struct RfmOptions {
    var method: RfmMethod = .standard
    var rules: SegmentRules = .standard
    /// The `segments:` value as given, so the result can carry it for `why`.
    var segmentsValue: Value?
    /// True when any option was given (why then uses these instead of the result's own).
    var given = false

    static func parse(_ ctx: CallContext) throws -> RfmOptions {
        var o = RfmOptions()
        o.given = RfmCall.optionLabels.contains { ctx.argument($0) != nil }
        let method = try ctx.choice("method")
        if method == "quantile" {
            if let edge = ["r", "f", "m"].compactMap({ ctx.argument($0) }).first {
                throw ctx.fail("\(edge.label ?? "") gives fixed edges; method: \"quantile\" finds its breaks in the data", at: edge.value)
            }
            var bins = 5
            if let arg = ctx.argument("bins") {
                let v = try ctx.evaluate(arg.value)
                guard case .number(let x, _) = v, x == x.rounded(), x >= 2, x <= 9 else {
                    throw ctx.fail("bins must be a whole number from 2 to 9, got \(Operators.display(v))", at: arg.value)
                }
                bins = Int(x)
            }
            o.method = .quantile(bins: bins)
        } else {
            if let arg = ctx.argument("bins") {
                throw ctx.fail("bins: goes with method: \"quantile\"", at: arg.value, hint: "rfm(..., method: \"quantile\", bins: 5)")
            }
            var t = RfmThresholds.standard
            t.r = try edges(ctx, "r", t.r)
            t.f = try edges(ctx, "f", t.f)
            t.m = try edges(ctx, "m", t.m)
            do { try t.validate() } catch {
                var at: Expr?
                if case .badEdges(let metric, _) = error { at = ctx.argument(metric.lowercased())?.value }
                throw ctx.fail(AnalyticsSupport.describe(error), at: at)
            }
            o.method = .fixed(t)
        }
        if let arg = ctx.argument("segments") {
            let v = try ctx.evaluate(arg.value)
            o.rules = try SegmentSyntax.rules(from: v, ctx: ctx, at: arg.value)
            o.segmentsValue = v
        }
        return o
    }

    /// The options as typed facts a result table carries (`why` reads them back).
    var metadata: [String: Value] {
        var m: [String: Value] = [:]
        switch method {
        case .fixed(let t):
            m["rfm.method"] = .text("fixed")
            m["rfm.r"] = .list(t.r.map(Value.num))
            m["rfm.f"] = .list(t.f.map(Value.num))
            m["rfm.m"] = .list(t.m.map(Value.num))
        case .quantile(let bins):
            m["rfm.method"] = .text("quantile")
            m["rfm.bins"] = .num(Double(bins))
        }
        if let s = segmentsValue { m["rfm.segments"] = s }
        return m
    }

    /// The options an RFM result was scored with, from its metadata; nil for a table
    /// that does not carry them (filtered or made by hand).
    static func from(_ m: [String: Value], ctx: CallContext, at e: Expr) throws -> RfmOptions? {
        guard case .text(let method)? = m["rfm.method"] else { return nil }
        var o = RfmOptions()
        func numbers(_ k: String) -> [Double] {
            guard case .list(let xs)? = m[k] else { return [] }
            return xs.compactMap(\.numberValue)
        }
        if method == "quantile", case .number(let b, _)? = m["rfm.bins"] {
            o.method = .quantile(bins: Int(saturating: b))
        } else {
            o.method = .fixed(RfmThresholds(r: numbers("rfm.r"), f: numbers("rfm.f"), m: numbers("rfm.m")))
        }
        if let s = m["rfm.segments"] {
            o.rules = try SegmentSyntax.rules(from: s, ctx: ctx, at: e)
            o.segmentsValue = s
        }
        return o
    }

    /// A list of band edges (or one number).
    private static func edges(_ ctx: CallContext, _ label: String, _ standard: [Double]) throws -> [Double] {
        guard let arg = ctx.argument(label) else { return standard }
        let v = try ctx.evaluate(arg.value)
        if case .number(let x, _) = v { return [x] }
        guard let xs = v.elements else {
            throw ctx.fail("\(label) must be a list of band edges like \(Operators.display(.list(standard.map(Value.num)))), "
                           + "got \(AnalyticsSupport.article(v.typeName))", at: arg.value)
        }
        return try xs.map { x in
            guard case .number(let n, _) = x else {
                throw ctx.fail("\(label): the band edges must be numbers, got \(AnalyticsSupport.article(x.typeName))", at: arg.value)
            }
            return n
        }
    }

}

/// The result table of rfm and rfm_score, with the notes that state how it was scored.
enum RfmTable {
    static func make(_ r: RfmResult, customers: Column, monetaryFormat: NumberFormat, options: RfmOptions,
                     lead: Note, ctx: CallContext) throws -> Table {
        let n = r.customers.count
        // The "545" codes as a small dictionary: scores are 1...9, so r*100 + f*10 + m < 1000.
        var slot = [Int32](repeating: -1, count: 1000)
        var keys = [Int16](repeating: 0, count: n)
        for i in 0..<n {
            let s = r.scores.of(i)
            let k = min(999, max(0, s.r * 100 + s.f * 10 + s.m))
            keys[i] = Int16(k)
            slot[k] = 0
        }
        var codes: [String] = []
        for k in 0..<1000 where slot[k] == 0 {
            slot[k] = Int32(codes.count)
            codes.append(String(k))
        }
        try ctx.checkInterrupted()
        let rules = r.rules.rules
        func names(_ lang: String) -> Column {
            var dictionary: [String] = []
            let map = rules.map { rule -> Int32 in
                let s = rule.name(lang: lang)
                if let j = dictionary.firstIndex(of: s) { return Int32(j) }
                dictionary.append(s)
                return Int32(dictionary.count - 1)
            }
            // With one name per rule the codes are the segment indexes themselves: shared, not copied.
            let codes = map.elementsEqual(0..<Int32(map.count)) ? r.segments : r.segments.map { map[Int($0)] }
            return Column(storage: .text(codes: codes, dictionary: dictionary))
        }
        let columns: [Column] = [
            // Days, counts and scores are whole numbers: kept narrow (1M customers' r, f and
            // m take 3 MB, not 24).
            customers, Column(storage: .number(r.recency)), Column(storage: .number(r.frequency)),
            Column(storage: .number(r.monetary), format: monetaryFormat),
            Column(storage: .number(NumberCells(bytes: r.scores.r))), Column(storage: .number(NumberCells(bytes: r.scores.f))),
            Column(storage: .number(NumberCells(bytes: r.scores.m))),
            Column(storage: .text(codes: keys.map { slot[Int($0)] }, dictionary: codes)), names("en"), names("zh"),
        ]
        try ctx.checkInterrupted()
        let header = ["customer", "recency", "frequency", "monetary", "r", "f", "m", "rfm", "segment", "segment_zh"]
        guard var t = Table(names: header, columns: columns) else { throw ctx.fail("the result columns do not form a table") }
        var notes = [lead, RfmNotes.title(options.method)] + RfmMetric.allCases.map { RfmNotes.scale(r.scales[$0], metric: $0) }
        if n > 0 { notes.append(RfmNotes.segments(r)) }
        notes += r.warnings.map { Note(.warning, [.phrase($0.key, $0.args)], tone: .warning) }
        t.display.notes = notes
        t.display.generatedHeaders = true
        t.display.metadata = options.metadata
        return t
    }
}

/// `why(r, "A003")`: one customer's scores explained, checked against the result.
struct RfmWhy {
    let ctx: CallContext

    func run() throws -> Value {
        let pos = [try ctx.required("rfm_result"), try ctx.required("customer")]
        let t = try ctx.table(pos[0])
        var measures: [[Double]] = []
        for name in ["recency", "frequency", "monetary", "r", "f", "m"] {
            guard let c = t.column(named: name) else {
                throw ctx.fail("needs a result of rfm or rfm_score; this table has no column `\(name)`", at: pos[0].value)
            }
            guard case .number(let xs) = c.storage, c.validity == nil else {
                throw ctx.fail("the column `\(name)` must hold a number in every row, as rfm makes it", at: pos[0].value)
            }
            measures.append(xs.doubles)
        }
        guard let customerColumn = t.column(named: "customer"), let segmentColumn = t.column(named: "segment") else {
            throw ctx.fail("needs a result of rfm or rfm_score (columns customer and segment)", at: pos[0].value)
        }
        let who = try ctx.value("customer") ?? .empty
        if case .error(let e) = who { throw e }
        let name = Operators.display(who)
        let customers = AnalyticsSupport.strings(customerColumn, rows: Array(0..<t.rowCount))
        guard let index = customers.firstIndex(of: name) else {
            let hint = customers.count <= 20_000 ? Suggestions.closest(to: name, among: customers).map { "did you mean \"\($0)\"?" } : nil
            throw ctx.fail("no customer \"\(name)\" in this result", at: pos[1].value, hint: hint)
        }
        var options = try RfmOptions.parse(ctx)
        if !options.given, let carried = try RfmOptions.from(t.display.metadata, ctx: ctx, at: pos[0].value) { options = carried }
        let result: RfmResult
        do {
            result = try Rfm.score(customers: customers, recency: measures[0], frequency: measures[1], monetary: measures[2],
                                   method: options.method, segments: options.rules)
        } catch {
            throw ErrorValue(.number, "why: " + AnalyticsSupport.describe(error))
        }
        let segments = AnalyticsSupport.strings(segmentColumn, rows: Array(0..<t.rowCount))
        let agrees = (0..<t.rowCount).allSatisfy { i in
            measures[3][i] == Double(result.scores.r[i]) && measures[4][i] == Double(result.scores.f[i])
                && measures[5][i] == Double(result.scores.m[i]) && segments[i] == result.segmentName(i)
        }
        guard agrees else {
            throw ctx.fail("the scores in this table were not made with \(options.given ? "these options" : "the default scoring")",
                           at: pos[0].value,
                           hint: "give why the options rfm was called with (method:, bins:, r:, f:, m:, segments:), on the unfiltered result")
        }
        return .table(try explanation(result, index: index))
    }

    /// measure, value, score, band, mean, level; the full reasoning in the notes.
    private func explanation(_ r: RfmResult, index i: Int) throws -> Table {
        let metrics = RfmMetric.allCases
        let s = r.scores.of(i)
        let scores = [s.r, s.f, s.m]
        let bands = metrics.enumerated().map { k, m in RfmExplanation.bandText(r.scales[m], metric: m, score: scores[k]) }
        guard var t = Table(names: ["measure", "value", "score", "band", "mean", "level"], columns: [
            Column(values: metrics.map { .text($0.noun) }),
            .numbers([r.recency.value(at: i), r.frequency.value(at: i), r.monetary.value(at: i)]),
            .numbers(scores.map(Double.init)),
            Column(values: bands.map { .text($0) }),
            .numbers(metrics.map { r.means.mean($0) }),
            Column(values: metrics.enumerated().map { k, m in .text(r.means.isHigh(scores[k], m) ? "high" : "low") }),
        ]) else { throw ctx.fail("the explanation does not form a table") }
        t.display.notes = RfmNotes.why(r, index: i)
        t.display.generatedHeaders = true
        t.display.thresholdColumns = ["mean"]
        t.display.labelColumns = ["measure", "level"]
        return t
    }
}
