/// Completion of argument labels from the declarations: inside `top(t, 2, ` the labels of
/// `top` are candidates, so completion, checking and `help` all read the same parameters.
extension Registry {
    /// The built-in whose argument list is open at the end of `line` (the innermost unclosed
    /// call, texts skipped), or nil.
    public func openCall(in line: String) -> Builtin? {
        var stack: [String?] = []
        var word = ""
        var quote: Character?
        var escaped = false
        for ch in line {
            if let q = quote {
                if escaped { escaped = false } else if ch == "\\" { escaped = true } else if ch == q { quote = nil }
                continue
            }
            switch ch {
            case "\"", "'": quote = ch; word = ""
            case "(": stack.append(word.isEmpty ? nil : word); word = ""
            case ")": _ = stack.popLast(); word = ""
            default:
                if ch.isLetter || ch.isNumber || ch == "_" { word.append(ch) } else { word = "" }
            }
        }
        guard let name = stack.last ?? nil else { return nil }
        return lookup(name)
    }

    /// `by: `, `seed: `... for the call open at the end of `line`, leaving out labels already given.
    public func labelCompletions(in line: String) -> [String] {
        guard let fn = openCall(in: line) else { return [] }
        return fn.labels.filter { !line.contains("\($0):") }.map { "\($0): " }
    }
}
