import TallyCore

/// Turns one statement's text into tokens. Works on Unicode scalars so spans are
/// scalar offsets, which the source map turns into lines and columns.
public struct Lexer {
    let scalars: [Unicode.Scalar]
    let source: Int
    var pos = 0

    public init(_ text: String, source: Int) {
        self.scalars = Array(text.unicodeScalars)
        self.source = source
    }

    /// All tokens, ending with `.end`.
    public mutating func tokenize() throws(TallyError) -> [Token] {
        var out: [Token] = []
        while true {
            let t = try next()
            out.append(t)
            if t.kind == .end { return out }
        }
    }

    static func isNameStart(_ c: Unicode.Scalar) -> Bool {
        c == "_" || c.properties.isAlphabetic
    }

    static func isNameContinue(_ c: Unicode.Scalar) -> Bool {
        c == "_" || c.properties.isAlphabetic || c.properties.numericType != nil
    }

    private func peek(_ k: Int = 0) -> Unicode.Scalar? {
        pos + k < scalars.count ? scalars[pos + k] : nil
    }

    private func span(_ start: Int) -> SourceSpan { SourceSpan(source: source, start: start, end: pos) }

    private mutating func skipTrivia() {
        while let c = peek() {
            if c == " " || c == "\t" || c == "\n" || c == "\r" { pos += 1 } else if c == "#" {
                while let d = peek(), d != "\n" { pos += 1; _ = d }
            } else { return }
        }
    }

    mutating func next() throws(TallyError) -> Token {
        skipTrivia()
        let start = pos
        guard let c = peek() else { return Token(kind: .end, span: span(start)) }
        // `..` separates the ends of a range (`datatable f by x in 1..5 step 1`).
        if c == ".", peek(1) == "." { pos += 2; return Token(kind: .symbol(".."), span: span(start)) }
        if c.properties.numericType != nil && ("0"..."9").contains(c) || (c == "." && peek(1).map { ("0"..."9").contains($0) } == true) {
            return try number()
        }
        if c == "\"" || c == "'" { return try string(quote: c) }
        if c == "`" {
            pos += 1
            var name = ""
            while let d = peek(), d != "`", d != "\n" { name.unicodeScalars.append(d); pos += 1 }
            guard peek() == "`" else {
                throw TallyError(.syntax("unterminated backtick name"), span: span(start), hint: "close it with `")
            }
            pos += 1
            guard !name.isEmpty else { throw TallyError(.syntax("empty name in backticks"), span: span(start)) }
            return Token(kind: .name(name, quoted: true), span: span(start))
        }
        if Lexer.isNameStart(c) {
            var name = ""
            while let d = peek(), Lexer.isNameContinue(d) { name.unicodeScalars.append(d); pos += 1 }
            if let k = Keyword(rawValue: name) { return Token(kind: .keyword(k), span: span(start)) }
            return Token(kind: .name(name, quoted: false), span: span(start))
        }
        let two = peek(1).map { String(c) + String($0) }
        if let two, ["==", "!=", "<=", ">=", "|>", "<>"].contains(two) {
            pos += 2
            if two == "<>" { return Token(kind: .symbol("!="), span: span(start)) }
            return Token(kind: .symbol(two), span: span(start))
        }
        if "+-*/^&=<>()[]{},:.%".unicodeScalars.contains(c) {
            pos += 1
            return Token(kind: .symbol(String(c)), span: span(start))
        }
        pos += 1
        throw TallyError(.syntax("unexpected character `\(c)`"), span: span(start),
                         hint: c == "|" ? "the pipe is written `|>`"
                            : c == ";" ? "`;` separates statements outside brackets; inside them, `,` separates items" : nil)
    }

    private mutating func digits(into s: inout String) {
        while let d = peek(), ("0"..."9").contains(d) || (d == "_" && peek(1).map { ("0"..."9").contains($0) } == true) {
            if d != "_" { s.unicodeScalars.append(d) }
            pos += 1
        }
    }

    private mutating func number() throws(TallyError) -> Token {
        let start = pos
        var s = ""
        digits(into: &s)
        if peek() == ".", peek(1).map({ ("0"..."9").contains($0) }) == true {
            pos += 1; s += "."; digits(into: &s)
        }
        if let e = peek(), e == "e" || e == "E" {
            let sign = peek(1)
            let hasSign = sign == "+" || sign == "-"
            if let d = peek(hasSign ? 2 : 1), ("0"..."9").contains(d) {
                pos += hasSign ? 2 : 1
                s += "e" + (hasSign ? String(sign ?? "+") : "")
                digits(into: &s)
            }
        }
        guard var value = Double(s) else {
            throw TallyError(.syntax("malformed number `\(s)`"), span: span(start))
        }
        var format = NumberFormat.plain
        switch peek() {
        case "%": pos += 1; value /= 100; format = .percent
        case "千" where peek(1) == "万": pos += 2; value = Lexer.scaled(s, 7)
        case "百" where peek(1) == "万": pos += 2; value = Lexer.scaled(s, 6)
        case "万": pos += 1; value = Lexer.scaled(s, 4)
        case "亿": pos += 1; value = Lexer.scaled(s, 8)
        default: break
        }
        if let d = peek(), Lexer.isNameStart(d) {
            var word = ""
            var p = pos
            while p < scalars.count, Lexer.isNameContinue(scalars[p]) { word.unicodeScalars.append(scalars[p]); p += 1 }
            throw TallyError(.syntax("a number cannot be followed by `\(word)`"),
                             span: SourceSpan(source: source, start: start, end: p),
                             hint: "names start with a letter; write `*` to multiply")
        }
        guard value.isFinite else { throw TallyError(.syntax("number out of range"), span: span(start)) }
        return Token(kind: .number(value, format), span: span(start))
    }

    /// The number `s` times 10^k, exact where the decimal is (`1.2万` = 12000, not 12000.000000000002).
    static func scaled(_ s: String, _ k: Int) -> Double {
        if !s.contains("e"), let v = Double(s + "e\(k)") { return v }
        var x = Double(s) ?? .nan
        for _ in 0..<k { x *= 10 }
        return x
    }

    private mutating func string(quote: Unicode.Scalar) throws(TallyError) -> Token {
        let start = pos
        pos += 1
        var s = ""
        while let c = peek() {
            pos += 1
            if c == quote { return Token(kind: .text(s), span: span(start)) }
            if c == "\\", let e = peek() {
                pos += 1
                switch e {
                case "n": s += "\n"
                case "t": s += "\t"
                case "\\": s += "\\"
                case "\"", "'": s.unicodeScalars.append(e)
                default: s.unicodeScalars.append("\\"); s.unicodeScalars.append(e)
                }
            } else {
                s.unicodeScalars.append(c)
            }
        }
        throw TallyError(.syntax("unterminated text"), span: SourceSpan(source: source, start: start, end: start + 1),
                         hint: "close it with \(quote)")
    }

    /// True while the text leaves a bracket or a string open, so the REPL should read
    /// another line before running it.
    public static func needsMoreInput(_ text: String) -> Bool {
        var depth = 0
        var quote: Unicode.Scalar?
        var escaped = false
        var comment = false
        for c in text.unicodeScalars {
            if comment { if c == "\n" { comment = false }; continue }
            if let q = quote {
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == q { quote = nil }
                continue
            }
            switch c {
            case "\"", "'": quote = c
            case "#": comment = true
            case "(", "[", "{": depth += 1
            case ")", "]", "}": depth -= 1
            default: break
            }
        }
        return quote != nil || depth > 0
    }
}
