import Foundation
import TallyAnalytics
import TallyCore

/// `segments(...)`: segment rules as data, and reading them back from a table or record.
enum SegmentSyntax {
    static let details = """
        Each argument is one segment: its name, then its conditions as a text, all of which must hold:
        "r >= 4 and f >= 4", "m high", "r = 1, f <= 2". A condition is a score (r, f or m), a comparison
        (< <= > >= = !=) and a whole number, or `high` / `low` (above / not above that score's mean over
        all customers). Rules are tried in order; the first that matches names the segment, so the last
        must be a catch-all: "" (or "else") matches everyone. A Chinese name for segment_zh goes in a list:
        champions: ["r >= 4 and f >= 4", "冠军客户"]. segments() alone lists the standard eight.
        The result is a table (rule, segment, segment_zh, conditions); rfm and rfm_score take it, or a
        record {name: "conditions", ...}, as segments: ..., e.g.
        rfm(orders, customer: customer_id, date: order_date, amount: amount, segments: my_rules).
        """
    static let catchAllWords: Set<String> = ["", "else", "*", "catch-all", "true", "any", "everyone"]

    static func build(_ ctx: CallContext) throws -> Value {
        if ctx.isEmpty { return .table(table(.standard)) }
        var rules: [SegmentRule] = []
        for a in ctx.rest {
            let label = a.label ?? ""
            rules.append(try rule(label, try ctx.evaluate(a.value), ctx: ctx, at: a.value))
        }
        return .table(table(try check(rules, ctx: ctx, at: ctx.rest.map(\.value))))
    }

    /// The rules of a `segments(...)` table or a record of name: conditions.
    static func rules(from v: Value, ctx: CallContext, at e: Expr) throws -> SegmentRules {
        var rules: [SegmentRule] = []
        switch v {
        case .table(let t):
            guard let names = t.column(named: "segment"), let conditions = t.column(named: "conditions") else {
                throw ctx.fail("segments: a table of rules needs the columns segment and conditions", at: e,
                               hint: "make one with segments(champions: \"r >= 4 and f >= 4\", other: \"\")")
            }
            let zh = t.column(named: "segment_zh")
            for i in 0..<t.rowCount {
                let name = Operators.display(names[i])
                var rule = try self.rule(name, conditions[i].isEmpty ? .text("") : conditions[i], ctx: ctx, at: e)
                if let zh, !zh[i].isEmpty, Operators.display(zh[i]) != name { rule.nameZh = Operators.display(zh[i]) }
                rules.append(rule)
            }
        case .record(let r):
            for f in r.fields { rules.append(try rule(f.name, f.value, ctx: ctx, at: e)) }
        case .error(let err):
            throw err
        default:
            throw ctx.fail("segments must be rules made by segments(...), got \(AnalyticsSupport.article(v.typeName))", at: e,
                           hint: "segments: segments(champions: \"r >= 4 and f >= 4\", other: \"\")")
        }
        return try check(rules, ctx: ctx, at: [e])
    }

    /// One rule from its name and a text of conditions (or [conditions, Chinese name]).
    private static func rule(_ name: String, _ v: Value, ctx: CallContext, at e: Expr) throws -> SegmentRule {
        var text = "", zh: String?
        switch v {
        case .text(let s): text = s
        case .list(let xs) where xs.count == 2 && xs.allSatisfy({ if case .text = $0 { return true } else { return false } }):
            text = Operators.display(xs[0])
            zh = Operators.display(xs[1])
        default:
            throw ctx.fail("rule `\(name)` must be a text of conditions like \"r >= 4 and f high\", got "
                           + AnalyticsSupport.article(v.typeName), at: e)
        }
        do {
            return SegmentRule(name: name, nameZh: zh, conditions: try conditions(text))
        } catch {
            throw ctx.fail("rule `\(name)`: " + AnalyticsSupport.describe(error), at: e,
                           hint: "conditions like \"r >= 4 and f high\"; \"\" matches everyone")
        }
    }

    /// `r >= 4 and f high` (or with commas) as conditions; a catch-all word as none.
    static func conditions(_ text: String) throws(RfmError) -> [SegmentCondition] {
        let s = text.trimmingCharacters(in: .whitespaces).lowercased()
        if catchAllWords.contains(s) { return [] }
        var out: [SegmentCondition] = []
        for piece in s.replacingOccurrences(of: ",", with: " and ").components(separatedBy: " and ") {
            let p = piece.trimmingCharacters(in: .whitespaces)
            if !p.isEmpty { out.append(try SegmentCondition(parsing: p)) }
        }
        return out
    }

    /// Checks the order (a catch-all last); points at the offending rule when it can.
    private static func check(_ rules: [SegmentRule], ctx: CallContext, at spans: [Expr]) throws -> SegmentRules {
        do {
            return try SegmentRules(rules)
        } catch {
            var at = spans.count == 1 ? spans.first : spans.last
            if case .unreachableRules(let early) = error, spans.count == rules.count,
               let k = rules.firstIndex(where: { $0.name == early }) { at = spans[k] }
            throw ctx.fail(AnalyticsSupport.describe(error), at: at, hint: "end with a catch-all rule, e.g. other: \"\"")
        }
    }

    /// rule, segment, segment_zh, conditions.
    static func table(_ rules: SegmentRules) -> Table {
        let rs = rules.rules
        var t = Table(names: ["rule", "segment", "segment_zh", "conditions"], columns: [
            .numbers(rs.indices.map { Double($0 + 1) }), Column(values: rs.map { .text($0.name) }),
            Column(values: rs.map { .text($0.name(lang: "zh")) }), Column(values: rs.map { .text($0.conditionText) }),
        ]) ?? Table()
        t.display.notes = [Note(.segmentRulesOrder)]
        t.display.generatedHeaders = true
        return t
    }
}
