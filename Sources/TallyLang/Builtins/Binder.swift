import TallyCore

/// A call's arguments matched to the declared parameters: one argument per fixed
/// parameter given, and the variadic parameter's arguments in call order.
public struct BoundArguments: Sendable {
    /// The arguments of the fixed parameters, by parameter name.
    public var given: [String: Argument] = [:]
    /// The variadic parameter's arguments, in call order (labelled ones keep the caller's label).
    public var rest: [Argument] = []
}

/// The one binder: matches positional and labelled arguments to a built-in's declarations,
/// and refuses unknown labels (with did-you-mean among the function's labels), labels given
/// twice, extra arguments, unlabelled ones where a name is needed, and missing required
/// parameters. Every refusal points at the offending argument (or the call for a missing one).
enum Binder {
    static func bind(_ fn: Builtin, _ args: [Argument], span: SourceSpan) throws(TallyError) -> BoundArguments {
        var b = BoundArguments()
        let fixed = fn.parameters.filter { !$0.isVariadic }
        let variadic = fn.parameters.first { $0.isVariadic }
        var labels: Parameter.Labels = .none
        if case .variadic(let l)? = variadic?.arity { labels = l }
        var restLabels = Set<String>()
        var next = 0
        for a in args {
            if let label = a.label {
                let at = a.labelSpan ?? a.value.span
                if let p = fixed.first(where: { $0.name == label }) {
                    guard b.given[p.name] == nil else {
                        throw TallyError(.arguments("\(fn.name): `\(label)` is given twice"), span: at)
                    }
                    b.given[p.name] = a
                } else if variadic != nil, labels != .none {
                    guard restLabels.insert(label).inserted else {
                        throw TallyError(.arguments("\(fn.name): `\(label)` is given twice"), span: at)
                    }
                    b.rest.append(a)
                } else {
                    let hint = Suggestions.closest(to: label, among: fn.labels).map { "did you mean `\($0)`?" }
                        ?? "usage: \(fn.signature)"
                    throw TallyError(.arguments("\(fn.name) has no parameter `\(label)`"), span: at, hint: hint)
                }
            } else {
                while next < fixed.count, b.given[fixed[next].name] != nil || fixed[next].isLabelOnly { next += 1 }
                if next < fixed.count {
                    b.given[fixed[next].name] = a
                    next += 1
                } else if variadic != nil, labels != .required {
                    b.rest.append(a)
                } else if let v = variadic {
                    throw TallyError(.arguments("\(fn.name): this argument needs a name, as in \(v.name): \(v.kind.placeholder)"),
                                     span: a.value.span, hint: "usage: \(fn.signature)")
                } else {
                    let positional = fixed.filter { !$0.isLabelOnly }.count
                    let options = fixed.count > positional ? "; give the others by name" : ""
                    throw TallyError(.arguments("\(fn.name) takes at most \(positional) argument\(positional == 1 ? "" : "s")\(options)"),
                                     span: a.value.span, hint: "usage: \(fn.signature)")
                }
            }
        }
        for p in fixed where p.arity == .required && b.given[p.name] == nil {
            throw TallyError(.arguments("\(fn.name) needs `\(p.signature)`"), span: span, hint: "usage: \(fn.signature)")
        }
        return b
    }
}
