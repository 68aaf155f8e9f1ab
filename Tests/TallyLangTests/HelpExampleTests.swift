import Foundation
import Testing
import TallyCore
@testable import TallyLang

/// Every `help` example runs on an empty workspace, and the registry is well formed.
@Suite struct HelpExampleTests {
    @Test(arguments: Registry.standard.all.map(\.name))
    func exampleRuns(_ name: String) throws {
        guard let fn = Registry.standard.lookup(name) else { Issue.record("\(name) is not registered"); return }
        #expect(!fn.example.isEmpty, "\(name) has no example")
        let expr = try Parser.parseExpression(fn.example, source: 0)
        let value = try Evaluator(lookup: { _ in nil }).evaluate(expr)
        if case .error(let e) = value {
            Issue.record("\(name): example `\(fn.example)` gives \(e.kind.rawValue) \(e.message)")
        }
    }

    @Test func everyBuiltinHasASummary() {
        for fn in Registry.standard.all {
            #expect(!fn.summary.trimmingCharacters(in: .whitespaces).isEmpty, "\(fn.name) has no summary")
        }
    }

    @Test func namesAndAliasesAreUnique() {
        var seen: [String: String] = [:]
        for fn in Registry.standard.all {
            for n in [fn.name] + fn.aliases {
                #expect(seen[n] == nil, "`\(n)` names both \(seen[n] ?? "") and \(fn.name)")
                seen[n] = fn.name
            }
        }
        #expect(Set(Registry.standard.names) == Set(seen.keys))
    }

    @Test func parameterNamesAreUniqueAndVariadicIsLast() {
        for fn in Registry.standard.all {
            let names = fn.parameters.map(\.name)
            #expect(Set(names).count == names.count, "\(fn.name) repeats a parameter name")
            if let i = fn.parameters.firstIndex(where: \.isVariadic) {
                #expect(i == fn.parameters.count - 1, "\(fn.name): the variadic parameter is not last")
            }
        }
    }
}
