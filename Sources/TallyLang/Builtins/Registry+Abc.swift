import Foundation
import TallyAnalytics
import TallyCore

extension Registry {
    /// abc: ABC (Pareto) classes of a table's rows, or of per-key totals with `by:`.
    static let abcFunctions: [Builtin] = [
        Builtin("abc", category: .analytics, parameters: AbcCall.parameters,
                summary: "ABC analysis: ranks rows by value (largest first) and adds rank, share, cum_share and class A, B or C.",
                details: """
                Cut-offs `a` and `b` are shares of the total (defaults 80% and 95%). The rule decides the row
                that crosses a cut-off: rule: "before" (default) classes a row by the cumulative share before it,
                so the crossing row stays in the higher class and the largest row is always A; rule: "including"
                classes it by the share including it (A while cum_share <= a, B while <= b, else C: the classic
                textbook rule, which can leave class A empty). Ties in value are ranked by the key
                (`key:`, by default the first text column) ascending, so the result is deterministic.
                by: column first sums `value` per key over a transactions table (exact to the cent):
                abc(orders, value: amount, by: customer_id). Zero and negative values go to class C, are left out
                of the total and reported; rows with an empty value or key are skipped and counted.
                method: "computed" finds the cut-offs in the data instead (Ultsch & Lötsch's computed ABC
                analysis: A/B at the Pareto or break-even point of the ABC curve, B/C at the submarginal point).
                The notes under the table state the cut-offs and rule in force and each class's count and share.
                """,
                example: "abc(table(customer: [\"agent_1\", \"agent_2\", \"agent_3\", \"agent_4\", \"agent_5\", \"agent_6\"], "
                    + "sales: [800, 1300, 1100, 900, 1200, 2000]), value: sales, a: 20%, b: 70%, rule: \"including\")") { ctx in
            try AbcCall(ctx: ctx).run()
        },
    ]
}

/// One call of `abc`: its options and the two forms (rows of a table, totals per key).
struct AbcCall {
    static let parameters: [Parameter] = [
        .required("t", .table), .labelled("value", .column(of: "t"), help: "the numbers to rank by, largest first"),
        .option("a", .share, default: .number(0.8, .percent), help: "the A/B cut-off, a share of the total"),
        .option("b", .share, default: .number(0.95, .percent), help: "the B/C cut-off"),
        .option("rule", .choice(["before", "including"]), default: .text("before"), help: "which share classes the crossing row"),
        .option("by", .column(of: "t"), help: "sum value per key of this column first"),
        .option("key", .column(of: "t"), help: "breaks ties (default: the first text column)"),
        .option("method", .choice(["fixed", "computed"]), default: .text("fixed"), help: "\"computed\" finds the cut-offs in the data"),
    ]
    static let added = ["rank", "share", "cum_share", "class"]
    let ctx: CallContext

    func run() throws -> Value {
        let t = try ctx.table("t")
        let valueArg = try ctx.required("value")
        let valueName = try ctx.columnName(valueArg.value, in: t)
        let valueColumn = t.column(named: valueName) ?? .numbers([])
        guard case .number(let numbers) = valueColumn.storage else {
            throw ctx.fail("value: `\(valueName)` is \(AnalyticsSupport.article(valueColumn.typeName)) column, not numbers",
                           at: valueArg.value, hint: AnalyticsSupport.loadHint(valueName, "number"))
        }
        let method = try ctx.choice("method")
        let computed = method == "computed"
        if computed, let given = ["a", "b", "rule"].compactMap({ ctx.argument($0) }).first {
            throw ctx.fail("method: \"computed\" finds the cut-offs in the data; leave out `\(given.label ?? "")`", at: given.value)
        }
        let a = try ctx.share("a")
        let b = try ctx.share("b")
        if a > b, let arg = ctx.argument("a") ?? ctx.argument("b") {
            throw ctx.fail("a (\(AnalyticsSupport.cutoff(a))) must not be above b (\(AnalyticsSupport.cutoff(b)))", at: arg.value)
        }
        let rule: AbcRule = try ctx.choice("rule") == "including" ? .including : .before
        let options = Options(a: a, b: b, rule: rule, computed: computed)
        if let by = ctx.argument("by") {
            if let key = ctx.argument("key") { throw ctx.fail("with by:, the key is the by column; leave out key:", at: key.value) }
            return try perKey(t, by: by, valueName: valueName, valueColumn: valueColumn, numbers: numbers.doubles, options)
        }
        return try perRow(t, valueName: valueName, valueColumn: valueColumn, numbers: numbers.doubles, options)
    }

    struct Options {
        var a: Double, b: Double, rule: AbcRule, computed: Bool
    }

    /// `abc(t, value: v)`: every row with a value, ranked; the table's columns kept.
    private func perRow(_ t: Table, valueName: String, valueColumn: Column, numbers: [Double], _ o: Options) throws -> Value {
        var rows: [Int] = []
        rows.reserveCapacity(numbers.count)
        for i in numbers.indices where valueColumn.isValid(i) { rows.append(i) }
        let values = rows.map { numbers[$0] }
        var keyName: String?
        if let k = ctx.argument("key") {
            keyName = try ctx.columnName(k.value, in: t)
        } else {
            keyName = zip(t.names, t.columns).first { $0.0 != valueName && $0.1.typeName == "text" }?.0
        }
        let keys: [String]
        if let keyName, let kc = t.column(named: keyName) {
            keys = AnalyticsSupport.strings(kc, rows: rows)
        } else {
            keys = rows.map { row in
                let digits = String(row)
                return String(repeating: "0", count: max(0, 12 - digits.count)) + digits
            }
        }
        let result = try classify(keys: keys, values: values, o)
        let order = result.classification.order.map { rows[$0] }
        var names = ["rank"], columns = [Column.numbers(result.classification.rank.map(Double.init))]
        for (n, c) in zip(t.names, t.columns) where !Self.added.contains(n) {
            names.append(n)
            columns.append(c.gather(order))
        }
        var out = try finish(names: names, columns: columns, result, valueName: valueName, format: valueColumn.format)
        let skipped = numbers.count - rows.count
        let lead = Note(.abcLead, [.counted(rows.count, .nounRow), .name(valueName),
                                   keyName.map { .phrase(.abcTiesKey, [.name($0)]) } ?? .phrase(.abcTiesRow),
                                   skipped > 0 ? .phrase(.abcLeftOut, [.counted(skipped, .nounRow), .name(valueName)]) : .text("")])
        out.display.notes.insert(lead, at: 0)
        return .table(out)
    }

    /// `abc(t, value: v, by: key)`: the value summed per key first (exact to the cent).
    private func perKey(_ t: Table, by: Argument, valueName: String, valueColumn: Column, numbers: [Double], _ o: Options) throws -> Value {
        let keyName = try ctx.columnName(by.value, in: t)
        guard keyName != valueName else { throw ctx.fail("by: and value: name the same column", at: by.value) }
        let key = AnalyticsSupport.textCodes(t.column(named: keyName) ?? .numbers([]))
        let totals: AbcTotals
        let result: Classified
        do {
            var summed = try Abc.aggregate(keyCodes: key.codes, keyDictionary: key.dictionary, values: numbers,
                                           keyValidity: key.validity, valueValidity: valueColumn.validity)
            // Keys summed on a server: the rows they stand for, not one each.
            if case .number(let used, _)? = t.display.metadata[SummedKeys.rowsKey], case .number(let skipped, _)? = t.display.metadata[SummedKeys.skippedKey],
               used >= 0, used < 1e15, skipped >= 0, skipped < 1e15 {
                summed.rowsUsed = Int(used)
                summed.skippedEmptyRows += Int(skipped)
            }
            totals = summed
            if o.computed {
                let c = try Abc.computed(totals)
                var r = c.classification
                let skipped = totals.skippedEmptyRows + totals.skippedBadValueRows
                if skipped > 0 {
                    r.warnings.insert(Note(.abcSkipped, [.counted(skipped, .nounRow)]), at: 0)
                }
                result = Classified(classification: r, computedNotes: c.notes)
            } else {
                result = Classified(classification: try Abc.classify(totals, a: o.a, b: o.b, rule: o.rule), computedNotes: nil)
            }
        } catch {
            throw ErrorValue(.value, "abc: " + AnalyticsSupport.describe(error))
        }
        let r = result.classification
        let keyColumn = Column(storage: .text(codes: r.order.map { Int32(truncatingIfNeeded: $0) }, dictionary: totals.keys))
        var out = try finish(names: ["rank", keyName], columns: [.numbers(r.rank.map(Double.init)), keyColumn],
                             result, valueName: valueName, format: valueColumn.format, values: r.values)
        out.display.notes.insert(Note(.abcSummed, [.name(valueName), .counted(totals.rowsUsed, .nounRow), .count(totals.keys.count),
                                                   .name(keyName)]), at: 0)
        return .table(out)
    }

    /// An ABC result with the computed method's description, if it was used.
    struct Classified {
        var classification: AbcResult
        var computedNotes: [Note]?
    }

    private func classify(keys: [String], values: [Double], _ o: Options) throws -> Classified {
        do {
            if o.computed {
                let c = try Abc.computed(keys: keys, values: values)
                return Classified(classification: c.classification, computedNotes: c.notes)
            }
            return Classified(classification: try Abc.classify(keys: keys, values: values, a: o.a, b: o.b, rule: o.rule), computedNotes: nil)
        } catch {
            throw ErrorValue(.value, "abc: " + AnalyticsSupport.describe(error))
        }
    }

    /// Adds the value (when given), share, cum_share and class columns, the total row and the notes.
    private func finish(names: [String], columns: [Column], _ c: Classified, valueName: String, format: NumberFormat,
                        values: [Double]? = nil) throws -> Table {
        let r = c.classification
        var names = names, columns = columns
        if let values {
            names.append(valueName)
            columns.append(.numbers(values, format: format))
        }
        names += ["share", "cum_share", "class"]
        let classCodes = r.classes.map { cls -> Int32 in cls == .a ? 0 : (cls == .b ? 1 : 2) }
        columns += [.numbers(r.share, format: .percent), .numbers(r.cumShare, format: .percent),
                    Column(storage: .text(codes: classCodes, dictionary: ["A", "B", "C"]))]
        guard var t = Table(names: names, columns: columns) else { throw ctx.fail("the result columns clash") }
        t.display.totals = [valueName: .number(r.total, format), "share": .number(r.order.isEmpty ? 0 : 1, .percent)]
        var notes: [Note] = []
        if let computed = c.computedNotes {
            notes += computed
        } else {
            let a = NotePart.threshold(r.a, .percent), b = NotePart.threshold(r.b, .percent)
            notes.append(Note(r.rule == .including ? .abcCutoffsIncluding : .abcCutoffsBefore, [a, b]))
        }
        let classes = r.summary.map { s in
            NotePart.phrase(.abcClass, [.text(s.abcClass.rawValue), .counted(s.count, .nounRow), .number(s.share, .percent)])
        }
        notes.append(Note(.abcClasses, [.list(classes), .number(r.total, format)]))
        notes += r.warnings.map { Note(.warning, [.phrase($0.key, $0.args)], tone: .warning) }
        t.display.notes = notes
        t.display.generatedHeaders = true
        return t
    }
}

/// Helpers shared by the analytics built-ins (rfm, abc, KPIs): argument checks, option
/// values, key columns as dictionary codes, and number formatting for the notes.
enum AnalyticsSupport {
    /// The user-facing text of an analytics error.
    static func describe(_ error: any Error) -> String {
        if let e = error as? AbcError { return e.message }
        if let e = error as? RfmError { return e.message }
        if let e = error as? FunnelError { return e.message }
        if let e = error as? ErrorValue { return e.message }
        return "\(error)"
    }

    /// A column as dictionary codes: text columns as they are, others grouped by value
    /// (empty cells marked invalid).
    static func textCodes(_ c: Column) -> (codes: [Int32], dictionary: [String], validity: Bitmap?) {
        if case .text(let codes, let dictionary) = c.storage { return (codes, dictionary, c.validity) }
        let g = Grouping(keys: [c], rowCount: c.count)
        let dictionary = g.firstRow.map { Operators.display(c[$0]) }
        let empties = (0..<c.count).contains { c[$0].isEmpty }
        let validity = empties ? Bitmap((0..<c.count).map { !c[$0].isEmpty }) : nil
        return (g.groupOfRow, dictionary, validity)
    }

    /// The cells of `rows` as texts (empty cells as "").
    static func strings(_ c: Column, rows: some Collection<Int>) -> [String] {
        if case .text(let codes, let dictionary) = c.storage {
            // A column of distinct texts in order (one row per customer, fetched or
            // aggregated) is its dictionary: shared, not a copy of a million strings.
            if c.validity == nil, codes.count == dictionary.count, rows.elementsEqual(codes.indices),
               codes.elementsEqual(0..<Int32(truncatingIfNeeded: codes.count)) {
                return dictionary
            }
            return rows.map { c.isValid($0) ? dictionary[Int(codes[$0])] : "" }
        }
        return rows.map { Operators.display(c[$0]) }
    }

    /// "load it with types: {order_date: date}".
    static func loadHint(_ column: String, _ type: String) -> String {
        let simple = column.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } && !(column.first?.isNumber ?? true)
        return "load it with types: {\(simple ? column : "`\(column)`"): \(type)}"
    }

    /// "a number", "an error".
    static func article(_ word: String) -> String {
        (word.first.map { "aeiou".contains($0) } ?? false ? "an " : "a ") + word
    }

    /// Up to two decimals, trailing zeros cut ("4.2", "3").
    static func short(_ x: Double) -> String {
        guard x.isFinite else { return ErrorValue.Kind.number.rawValue }
        var s = String(format: "%.2f", x)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s == "-0" ? "0" : s
    }

    /// A cut-off as a percentage without needless decimals ("80%", "12.5%").
    static func cutoff(_ x: Double) -> String { short(x * 100) + "%" }
}
