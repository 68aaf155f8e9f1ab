import TallyAnalytics
import TallyCore

extension Registry {
    /// The KPI formulas (conversion, aov, margin, ...) and the funnel.
    /// Each takes numbers or, element by element, lists and columns; a zero denominator
    /// gives #DIV/0!, never a crash or an infinity.
    static let kpiFunctions: [Builtin] = [
        kpiRatio("conversion", "buyers", "visitors", .percent, "Conversion rate = buyers / visitors, as a percentage.",
              "conversion(360, 12000)", Kpi.conversion),
        kpiRatio("aov", "sales", "orders", .numerator, "Average order value (客单价) = sales / number of orders.",
              "aov(486200, 1000)", Kpi.aov),
        kpiRatio("margin", "profit", "sales", .percent, "Profit margin = profit / sales, as a percentage.",
              "margin(1800, 12000)", Kpi.margin),
        kpiRatio("roi", "gain", "cost", .percent,
              "Return on investment = gain / cost, as a percentage; give the net gain (revenue - cost) for net ROI.",
              "roi(5000, 20000)", Kpi.roi),
        kpiRatio("roas", "revenue", "spend", .plain,
              "Return on ad spend = ad revenue / ad spend, as a multiple (4 means 4x; `as %` shows 400%).",
              "roas(48000, 12000)", Kpi.roas),
        kpiRatio("cac", "cost", "new_customers", .numerator, "Customer acquisition cost = acquisition cost / new customers.",
              "cac(30000, 120)", Kpi.cac),
        kpiRatio("collection_rate", "collected", "sales", .percent, "Collection rate (回款率) = cash collected / sales.",
              "collection_rate(930000, 1000000)", Kpi.collectionRate),
        kpiRatio("churn_rate", "lost", "start", .percent,
              "Churn rate = customers lost in the period / customers at its start.", "churn_rate(45, 900)", Kpi.churnRate),
        kpiRatio("completion", "actual", "target", .percent, "Completion rate = actual / target, as a percentage.",
              "completion(1150000, 1200000)", Kpi.completion),
        kpiRatio("growth", "now", "before", .percent,
              "Growth = (now - before) / |before|: a loss of 100 turning into a profit of 50 is +150%.",
              "growth(1150, 1000)", Kpi.growth),
        Builtin("ltv", category: .kpi,
                parameters: [.required("aov", .number), .required("frequency", .number), .required("lifespan", .number), .optional("margin", .number(1, .percent), .share)],
                summary: "Customer lifetime value = average order value x purchases per period x periods x margin.",
                details: """
                margin: 100% (the default) gives revenue LTV; give the gross margin for profit LTV.
                frequency and lifespan use the same period (orders per year and years). Numbers, or lists and
                columns element by element. See ltv_churn for the churn-based formula.
                """,
                example: "ltv(aov: 480, frequency: 4, lifespan: 3, margin: 30%)", elementwise: true) { a in
            if a.hasEmpty { return .empty }
            let r = Kpi.ltv(aov: try a.number("aov"), frequency: try a.number("frequency"),
                            lifespan: try a.number("lifespan"), margin: try a.number("margin"))
            return try kpiValue(r, "ltv", denominator: "", format: a.format("aov"))
        },
        Builtin("ltv_churn", category: .kpi, parameters: [.required("arpu", .number), .required("margin", .share), .required("churn", .share)],
                summary: "Customer lifetime value = revenue per customer per period x margin / churn rate per period.",
                details: "arpu and churn use the same period (per month, or per year). churn = 0 gives #DIV/0!.",
                example: "ltv_churn(arpu: 200, margin: 40%, churn: 5%)", elementwise: true) { a in
            if a.hasEmpty { return .empty }
            let r = Kpi.ltvChurn(arpu: try a.number("arpu"), margin: try a.number("margin"), churn: try a.number("churn"))
            return try kpiValue(r, "ltv_churn", denominator: "churn", format: a.format("arpu"))
        },
        Builtin("repeat_rate", category: .kpi,
                parameters: [.required("orders", .value, help: "a table of orders, a column of customers, or order counts"),
                             .option("customer", .column(of: "orders"), help: "the customer column of a table of orders")],
                summary: "Repeat purchase rate = customers with 2 or more orders / customers with at least one.",
                details: """
                repeat_rate(orders, customer: customer_id) counts the orders (rows) of each customer;
                repeat_rate(orders.customer_id) does the same from a text column; a list or column of numbers,
                as repeat_rate(r.frequency), is one order count per customer (for numeric customer ids use the
                table form). Empty cells are skipped.
                """,
                example: "repeat_rate(table(customer: [\"A\", \"B\", \"A\", \"C\", \"B\"]), customer: customer)") { ctx in
            try kpiRepeatRate(ctx)
        },
        Builtin("funnel", category: .kpi, parameters: [.required("stages", .value), .optional("counts", nil, .numbers)],
                summary: "A sales funnel: each stage's count, conversion from the stage before, and from the first stage.",
                details: """
                stages: a list or column of names, counts: a list or column of numbers; or one record
                {lead: 1000, deal: 24}. The table has stage, count, step_conversion (count / the stage before),
                overall_conversion (count / the first stage) and drop_off (lost since the stage before).
                A stage of 0 makes the next step #DIV/0!; a stage larger than the one before is allowed and noted.
                """,
                example: "funnel([\"potential customer\", \"qualified lead\", \"proposal\", \"negotiation\", \"closed\"], "
                    + "[1000, 400, 150, 60, 24])") { a in
            try kpiFunnel(a)
        },
    ]

    /// How a KPI's result is displayed.
    enum KpiFormat {
        case percent, plain
        /// The format of the first argument (money stays money).
        case numerator
    }

    /// A two-argument elementwise KPI.
    private static func kpiRatio(_ name: String, _ p1: String, _ p2: String, _ format: KpiFormat, _ summary: String,
                              _ example: String, _ f: @escaping @Sendable (Double, Double) -> KpiResult) -> Builtin {
        Builtin(name, category: .kpi, parameters: [.required(p1, .number), .required(p2, .number)], summary: summary,
                details: "Takes numbers, or lists and columns element by element: \(name)(t.\(p1), t.\(p2)).\n"
                    + "An empty cell gives empty; \(p2) = 0 gives #DIV/0!.",
                example: example, elementwise: true) { a in
            if a.hasEmpty { return .empty }
            let r = f(try a.number(p1), try a.number(p2))
            let shown: NumberFormat
            switch format {
            case .percent: shown = .percent
            case .plain: shown = .plain
            case .numerator: shown = a.format(p1)
            }
            return try kpiValue(r, name, denominator: p2, format: shown)
        }.looping(.binary({ x, y in if case .value(let r) = f(x, y) { return r } else { return .nan } }, format: { f1, _ in
            switch format {
            case .percent: return .percent
            case .plain: return .plain
            case .numerator: return f1
            }
        }))
    }

    /// A KPI result as a value; a division by zero or unusable input as an error value.
    static func kpiValue(_ r: KpiResult, _ name: String, denominator: String, format: NumberFormat) throws -> Value {
        switch r {
        case .value(let x): return .number(x, format)
        case .divisionByZero:
            throw ErrorValue(.divisionByZero, denominator.isEmpty ? "\(name): division by zero" : "\(name): `\(denominator)` is 0")
        case .invalid(let why): throw ErrorValue(.number, "\(name): \(why)")
        }
    }

    /// `repeat_rate(orders, customer: c)`, `repeat_rate(t.customer)`, `repeat_rate(r.frequency)`.
    private static func kpiRepeatRate(_ ctx: CallContext) throws -> Value {
        let usage = ctx.usage
        let first = try ctx.required("orders")
        let v = try ctx.value("orders") ?? .empty
        let column: Column
        switch v {
        case .table(let t):
            guard let c = ctx.argument("customer") else {
                throw ctx.fail("needs the customer column of the orders: customer: column", hint: "usage: \(usage)")
            }
            column = t.column(named: try ctx.columnName(c.value, in: t)) ?? .numbers([])
        case .column(let c):
            column = c
        case .list(let xs):
            if let e = xs.first(where: \.isError) { return e }
            column = Column(values: xs)
        case .error(let e):
            return .error(e)
        default:
            throw ctx.fail("needs a table of orders, a column of customers or a list of order counts, got "
                           + AnalyticsSupport.article(v.typeName), at: first.value, hint: "usage: \(usage)")
        }
        var isTable = false
        if case .table = v { isTable = true }
        if !isTable, let c = ctx.argument("customer") {
            throw ctx.fail("customer: goes with a table of orders", at: c.value)
        }
        let r: KpiResult
        if case .number(let counts) = column.storage, !isTable {
            r = Kpi.repeatRate((0..<counts.count).filter { column.isValid($0) }.map { counts.value(at: $0) })
        } else {
            let key = AnalyticsSupport.textCodes(column)
            r = Kpi.repeatRate(customerCodes: key.codes, dictionarySize: key.dictionary.count, validity: key.validity)
        }
        if case .divisionByZero = r { throw ErrorValue(.divisionByZero, "repeat_rate: there are no customers with orders") }
        return try kpiValue(r, "repeat_rate", denominator: "", format: .percent)
    }

    /// `funnel(stages, counts)` or `funnel({stage: count, ...})`.
    private static func kpiFunnel(_ a: Arguments) throws -> Value {
        var stages: [String] = [], counts: [Double] = []
        let first = try a.value("stages")
        var pairs: [(Value, Value)] = []
        if case .record(let r) = first {
            guard a["counts"] == nil else { throw ErrorValue(.value, "funnel: give a record of stage: count, or stages and counts, not both") }
            pairs = r.fields.map { (.text($0.name), $0.value) }
        } else {
            guard let names = first.elements else {
                throw ErrorValue(.value, "funnel: `stages` must be a list of names, got \(a.article(first.typeName))")
            }
            guard let c = a["counts"] else { throw ErrorValue(.value, "funnel: needs the counts of the stages") }
            guard let xs = c.elements else { throw ErrorValue(.value, "funnel: `counts` must be a list of numbers, got \(a.article(c.typeName))") }
            guard xs.count == names.count else { throw ErrorValue(.value, "funnel: \(names.count) \(Plural.noun(names.count, "stage")) but \(xs.count) \(Plural.noun(xs.count, "count"))") }
            pairs = Array(zip(names, xs))
        }
        for (name, count) in pairs {
            let label = Operators.display(name)
            if case .error(let e) = count { throw e }
            guard case .number(let x, _) = count else {
                throw ErrorValue(.value, "funnel: stage \"\(label)\" needs a number, got \(a.article(count.typeName))")
            }
            stages.append(label)
            counts.append(x)
        }
        let result: FunnelResult
        do {
            result = try Funnel.compute(stages: stages, counts: counts)
        } catch {
            throw ErrorValue(.value, "funnel: " + AnalyticsSupport.describe(error))
        }
        func cell(_ k: KpiResult?) -> Value {
            switch k {
            case .value(let x)?: return .number(x, .percent)
            case .divisionByZero?: return .error(ErrorValue(.divisionByZero, "funnel: the stage before is 0"))
            case .invalid(let why)?: return .error(ErrorValue(.number, "funnel: \(why)"))
            case nil: return .empty
            }
        }
        let s = result.stages
        guard var t = Table(names: ["stage", "count", "step_conversion", "overall_conversion", "drop_off"], columns: [
            Column(values: s.map { .text($0.name) }), .numbers(s.map(\.count)),
            Column(values: s.map { cell($0.fromPrevious) }), Column(values: s.map { cell($0.fromFirst) }),
            Column(values: s.map { $0.dropOff.map(Value.num) ?? .empty }),
        ]) else { throw ErrorValue(.value, "funnel: the columns do not form a table") }
        if let firstStage = s.first, let last = s.last, s.count > 1 {
            let overall: NotePart = result.overall.value.map { .number($0, .percent) } ?? .text(ErrorValue.Kind.divisionByZero.rawValue)
            t.display.notes.append(Note(.funnelOverall, [overall, .number(last.count, .plain), .number(firstStage.count, .plain),
                                                        .text(firstStage.name), .text(last.name)]))
        }
        t.display.notes += result.warnings.map { Note(.plainNote, [.phrase($0.key, $0.args)]) }
        t.display.generatedHeaders = true
        return .table(t)
    }
}
