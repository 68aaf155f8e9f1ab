import Testing
import TallyCore
@testable import TallyLang

/// Evaluates `source` with a small orders table in scope.
private func evaluate(_ source: String) throws -> Value {
    let orders = Table(names: ["channel", "amount"], columns: [Column(values: [.text("JD"), .text("Tmall"), .text("JD")]),
                                                               .numbers([3, 1, 2])])
    let expr = try Parser.parseExpression(source, source: 0)
    return try Evaluator(lookup: { $0 == "orders" ? orders.map { .table($0) } : nil }).evaluate(expr)
}

/// The refusal `source` gets, or nil when it is accepted.
private func refusal(_ source: String) -> TallyError? {
    do {
        _ = try evaluate(source)
        return nil
    } catch let e as TallyError {
        return e
    } catch {
        Issue.record("unexpected \(error)")
        return nil
    }
}

/// The offsets of the first `needle` in `source`, in unicode scalars as spans count them.
private func offsets(of needle: String, in source: String) -> (Int, Int)? {
    guard let r = source.range(of: needle) else { return nil }
    let start = source.unicodeScalars.distance(from: source.startIndex, to: r.lowerBound)
    return (start, start + needle.unicodeScalars.count)
}

@Suite("one binder for every built-in")
struct BinderTests {
    /// Every name in the registry (aliases included), so a new built-in is covered without a new test.
    static let names = Registry.standard.names

    @Test("an unknown label is refused, with the caret on the label", arguments: names)
    func unknownLabel(_ name: String) throws {
        let fn = try #require(Registry.standard.lookup(name))
        let source = "\(name)(bogus: 1)"
        let e = refusal(source)
        if case .variadic(let labels)? = fn.parameters.first(where: \.isVariadic)?.arity, labels != .none {
            // table(name: [values]), add(t, name: expr), group(t, name: sum(x))...: the label is the caller's name.
            #expect(e?.message.contains("has no parameter") != true, "\(e?.message ?? "")")
            return
        }
        let refused = try #require(e, "`\(source)` was accepted")
        #expect(refused.message == "\(fn.name) has no parameter `bogus`")
        let (start, end) = try #require(offsets(of: "bogus", in: source))
        #expect(refused.span?.start == start && refused.span?.end == end, "caret at \(String(describing: refused.span))")
    }

    @Test("a label given twice is refused on its second use", arguments: names)
    func repeatedLabel(_ name: String) throws {
        let fn = try #require(Registry.standard.lookup(name))
        guard let label = fn.labels.first else { return }
        let source = "\(name)(\(label): 1, \(label): 2)"
        let e = try #require(refusal(source), "`\(source)` was accepted")
        #expect(e.message == "\(fn.name): `\(label)` is given twice")
        #expect(e.span?.start == source.unicodeScalars.count - 4 - label.count)
    }

    @Test("every signature is made from the declarations and names every shown label", arguments: names)
    func signature(_ name: String) throws {
        let fn = try #require(Registry.standard.lookup(name))
        #expect(fn.signature.hasPrefix(fn.name + "("))
        for p in fn.parameters where p.isShown { #expect(fn.signature.contains(p.name), "\(p.name) missing in \(fn.signature)") }
    }

    @Test("calls that used to pass without a word", arguments: [
        ("top(orders, 2, by: amount, each: channel)", "top has no parameter `each`", "each"),
        ("head(orders, 2, bogus: 1)", "head has no parameter `bogus`", "bogus"),
        ("tail(orders, bogus: 1)", "tail has no parameter `bogus`", "bogus"),
        ("sample(orders, 2, sed: 3)", "sample has no parameter `sed`", "sed"),
        ("sample(orders, 2, 3)", "sample takes at most 2 arguments; give the others by name", "3"),
        ("rows(orders, 1)", "rows takes at most 1 argument", "1"),
        ("where(orders, amount > 1, amount < 3)", "where takes at most 2 arguments", "amount < 3"),
        ("join(orders, orders, on: channel, knd: \"left\")", "join has no parameter `knd`", "knd"),
        ("pivot(orders, rows: channel, cols: channel, values: sum(amount))", "pivot has no parameter `values`", "values"),
        ("split(100, [1, 2], unti: 1)", "split has no parameter `unti`", "unti"),
        ("split(100, [1, 2], 5)", "split takes at most 2 arguments; give the others by name", "5"),
        ("group(orders, channel, s: sum(amount, bogus: 1))", "sum has no parameter `bogus`", "bogus"),
        ("round(1.5, digits: 1, digits: 2)", "round: `digits` is given twice", "digits: 2"),
    ] as [(String, String, String)])
    func refusedCall(_ source: String, _ message: String, _ at: String) throws {
        let e = try #require(refusal(source), "`\(source)` was accepted")
        #expect(e.message == message)
        let (start, _) = try #require(offsets(of: at, in: source))
        #expect(e.span?.start == start, "caret at \(String(describing: e.span)), expected \(start)")
    }

    @Test("did you mean comes from the function's own labels", arguments: [
        ("split(100, [1, 2], unti: 1)", "did you mean `unit`?"),
        ("top(orders, 2, bye: amount)", "did you mean `by`?"),
        ("abc(orders, value: amount, methd: \"computed\")", "did you mean `method`?"),
        ("top(orders, 2, zzz: channel)", "usage: top(t, n, by: column, per: column)"),
    ])
    func hint(_ source: String, _ hint: String) throws {
        let e = try #require(refusal(source), "`\(source)` was accepted")
        #expect(e.hint == hint)
    }

    @Test("a missing required argument names it with its label")
    func missing() throws {
        let e = try #require(refusal("join(orders, orders)"))
        #expect(e.message == "join needs `on: [column, ...]`")
        #expect(e.hint == "usage: join(a, b, on: [column, ...], kind: \"inner\")")
    }

    @Test("a choice is checked against its words, with did-you-mean")
    func choice() throws {
        let e = try #require(refusal("join(orders, orders, on: channel, kind: \"lefft\")"))
        #expect(e.message == "join: kind must be \"inner\" or \"left\", not \"lefft\"")
        #expect(e.hint == "did you mean \"left\"?")
    }

    @Test("every declaration is well formed", arguments: Registry.standard.all.map(\.name))
    func declarations(_ name: String) throws {
        let fn = try #require(Registry.standard.lookup(name))
        let names = fn.parameters.map(\.name)
        #expect(Set(names).count == names.count, "a parameter is declared twice")
        #expect(fn.parameters.filter(\.isVariadic).count <= 1)
        if let i = fn.parameters.firstIndex(where: \.isVariadic) { #expect(i == fn.parameters.count - 1, "the variadic parameter comes last") }
        for p in fn.parameters {
            if let t = p.kind.tableParameter { #expect(names.contains(t), "\(p.name) refers to an undeclared parameter \(t)") }
            if case .choice(let words) = p.kind, case .text(let d)? = p.defaultValue { #expect(words.contains(d)) }
        }
        // A positional parameter never follows an optional positional one with a default.
        let positional = fn.parameters.filter { !$0.isLabelOnly && !$0.isVariadic }
        if let firstOptional = positional.firstIndex(where: \.isOptional) {
            let allOptional = positional[firstOptional...].allSatisfy { $0.isOptional }
            #expect(allOptional, "a required parameter after an optional one")
        }
    }
}

@Suite("label completion from the declarations")
struct LabelCompletionTests {
    @Test(arguments: [
        ("top(orders, 2, ", ["t: ", "n: ", "by: ", "per: "]),
        ("top(orders, 2, by: amount, ", ["t: ", "n: ", "per: "]),
        ("sample(head(orders, 3), ", ["t: ", "n: ", "seed: "]),
        ("sample(head(orders, 3), 2) + rows(", ["t: "]),
        ("split(100, [1, 2], as: \"x(\", ", ["total: ", "weights: ", "unit: ", "audit: ", "names: ", "weight: ", "by: ", "within: ", "workdays: "]),
        ("1 + (2 * ", []),
        ("nosuch(", []),
    ])
    func labels(_ line: String, _ expected: [String]) {
        #expect(Registry.standard.labelCompletions(in: line) == expected)
    }
}
