import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A SAX handler for one XML part of a workbook. Subclasses override `start`, `end` and
/// `text`; element names arrive without their namespace prefix (`x:c` is `c`).
///
/// Parts are parsed from a stream: on Linux, `XMLParser(data:)` gives up on documents
/// over about 10 MB (libxml2's single-chunk limit), which a 100k-row sheet exceeds.
class XLSXXMLHandler: NSObject, XMLParserDelegate {
    /// Why the handler stopped the parse, if it did.
    private(set) var failure: String?
    private var parser: XMLParser?
    /// Asked every few thousand elements; true stops the parse.
    var isInterrupted: () -> Bool = { false }
    /// Whether `isInterrupted` stopped the parse.
    private(set) var wasInterrupted = false
    /// Elements open and elements seen: a part cut short parses without an error in
    /// `XMLParser`'s stream mode, so `run` checks that the root element closed.
    private var depth = 0
    private var elements = 0

    func start(_ name: String, _ attributes: [String: String]) {}
    func end(_ name: String) {}
    func text(_ s: String) {}

    /// Stops the parse; `run` then returns `message`.
    final func fail(_ message: String) {
        if failure == nil { failure = message }
        parser?.abortParsing()
    }

    /// Parses `data`; nil when it went through, else what was wrong.
    final func run(_ data: Data) -> String? {
        if let problem = XLSXXMLHandler.screen(data) { return problem }
        let p = XMLParser(stream: InputStream(data: data))
        p.shouldProcessNamespaces = true
        p.shouldResolveExternalEntities = false
        p.delegate = self
        parser = p
        depth = 0
        elements = 0
        let ok = p.parse()
        let line = p.lineNumber
        let code = p.parserError.map { ($0 as NSError).code }
        p.delegate = nil
        parser = nil
        if let failure { return failure }
        if ok && elements > 0 && depth == 0 { return nil }
        if ok { return "damaged XML: it ends early, near line \(line)" }
        return "damaged XML near line \(line)" + (code.map { " (XML error \($0))" } ?? "")
    }

    /// Turns away what `XMLParser` must not see. Its Linux callbacks force-unwrap element
    /// and attribute names decoded as UTF-8, so a damaged byte in a name would crash the
    /// program: a part that claims UTF-8 must be UTF-8. And a DTD (which the package format
    /// forbids) could expand entities without bound. UTF-16 parts, which start with a
    /// byte-order mark, are decoded (and checked) by libxml2 itself.
    static func screen(_ data: Data) -> String? {
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> String? in
            let b = raw.bindMemory(to: UInt8.self)
            guard let base = b.baseAddress, b.count > 0 else { return nil }
            let n = b.count
            if n >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF)) { return nil }
            // The prolog: everything before the root element.
            var i = 0
            while i + 1 < n {
                if b[i] == 0x3C && b[i + 1] != 0x3F && b[i + 1] != 0x21 { break }
                if b[i] == 0x3C && b[i + 1] == 0x21, i + 9 <= n,
                   String(decoding: UnsafeBufferPointer(rebasing: b[i..<(i + 9)]), as: UTF8.self) == "<!DOCTYPE" {
                    return "damaged XML (a DTD, which workbooks may not contain)"
                }
                i += 1
            }
            // The package format allows UTF-8 and UTF-16 only.
            if let bad = Transcoder.firstInvalidUTF8(base, n) {
                return "damaged XML (bytes that are not UTF-8 at offset \(bad))"
            }
            // A document ends with the `>` of its root's end tag (or of a comment after it);
            // a part cut off elsewhere would feed the handler half an element.
            var last = n - 1
            while last > 0 && (b[last] == 0x20 || b[last] == 0x0A || b[last] == 0x0D || b[last] == 0x09) { last -= 1 }
            if b[last] != 0x3E {
                var line = 1
                for k in 0..<n where b[k] == 0x0A { line += 1 }
                return "damaged XML: it ends early, near line \(line)"
            }
            return nil
        }
    }

    /// The attribute `name`, also when it carries a namespace prefix (`r:id`).
    static func attribute(_ attributes: [String: String], _ name: String) -> String? {
        if let v = attributes[name] { return v }
        let suffix = ":" + name
        return attributes.first { $0.key.hasSuffix(suffix) }?.value
    }

    final func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                      qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        depth &+= 1
        elements &+= 1
        if elements & 0xFFF == 0 && isInterrupted() {
            wasInterrupted = true
            return fail("interrupted")
        }
        start(XLSXXMLHandler.local(elementName), attributeDict)
    }

    final func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                      qualifiedName qName: String?) {
        depth &-= 1
        end(XLSXXMLHandler.local(elementName))
    }

    final func parser(_ parser: XMLParser, foundCharacters string: String) { text(string) }

    final func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        text(String(decoding: CDATABlock, as: UTF8.self))
    }

    /// `c` for `x:c` (when a parser reports qualified names).
    @inline(__always)
    private static func local(_ name: String) -> String {
        guard let colon = name.utf8.firstIndex(of: 0x3A) else { return name }
        return String(name[name.index(after: colon)...])
    }
}

/// The relationships of one part (`xl/_rels/workbook.xml.rels`): id -> target and type.
final class XLSXRelationshipsHandler: XLSXXMLHandler {
    struct Relationship {
        var id: String
        var type: String
        var target: String
    }

    private(set) var relationships: [Relationship] = []

    override func start(_ name: String, _ attributes: [String: String]) {
        guard name == "Relationship", attributes["TargetMode"] != "External",
              let id = attributes["Id"], let target = attributes["Target"] else { return }
        relationships.append(Relationship(id: id, type: attributes["Type"] ?? "", target: target))
    }

    /// The first relationship whose type ends in `/kind` (`officeDocument`, `styles`...).
    func first(kind: String) -> Relationship? {
        relationships.first { $0.type.hasSuffix("/" + kind) }
    }

    /// Where relationships of `part` live: `xl/workbook.xml` -> `xl/_rels/workbook.xml.rels`.
    static func path(for part: String) -> String {
        guard let slash = part.lastIndex(of: "/") else { return "_rels/\(part).rels" }
        return "\(part[..<slash])/_rels/\(part[part.index(after: slash)...]).rels"
    }

    /// A target resolved against the part that names it: `worksheets/sheet1.xml` from
    /// `xl/workbook.xml` is `xl/worksheets/sheet1.xml`; `/xl/...` is from the root.
    static func resolve(_ target: String, from part: String) -> String {
        var segments: [Substring] = []
        if !target.hasPrefix("/") {
            segments = part.split(separator: "/", omittingEmptySubsequences: true)
            if !segments.isEmpty { segments.removeLast() }
        }
        for s in target.split(separator: "/", omittingEmptySubsequences: true) {
            if s == ".." {
                if !segments.isEmpty { segments.removeLast() }
            } else if s != "." {
                segments.append(s)
            }
        }
        return segments.joined(separator: "/").removingPercentEncoding ?? segments.joined(separator: "/")
    }
}

/// `xl/workbook.xml`: the sheets in tab order and the date system.
final class XLSXWorkbookHandler: XLSXXMLHandler {
    struct Sheet {
        var name: String
        var relationshipID: String?
        var hidden: Bool
    }

    private(set) var sheets: [Sheet] = []
    private(set) var date1904 = false

    override func start(_ name: String, _ attributes: [String: String]) {
        switch name {
        case "workbookPr":
            if let v = attributes["date1904"] { date1904 = v == "1" || v.lowercased() == "true" }
        case "sheet":
            let state = attributes["state"] ?? "visible"
            sheets.append(Sheet(name: XLSXCells.unescape(attributes["name"] ?? "Sheet\(sheets.count + 1)"),
                                relationshipID: XLSXXMLHandler.attribute(attributes, "id"),
                                hidden: state != "visible"))
        default:
            break
        }
    }
}

/// `xl/styles.xml`: what each cell style (`s="3"`) says about numbers.
final class XLSXStylesHandler: XLSXXMLHandler {
    private var codes: [Int: String] = [:]
    private var formatIDs: [Int] = []
    private var inCellXfs = false

    override func start(_ name: String, _ attributes: [String: String]) {
        switch name {
        case "numFmt":
            if let id = attributes["numFmtId"].flatMap({ Int($0) }), let code = attributes["formatCode"] {
                codes[id] = code
            }
        case "cellXfs":
            inCellXfs = true
        case "xf" where inCellXfs:
            formatIDs.append(attributes["numFmtId"].flatMap { Int($0) } ?? 0)
        default:
            break
        }
    }

    override func end(_ name: String) {
        if name == "cellXfs" { inCellXfs = false }
    }

    /// One entry per cell style, in order.
    var displays: [XLSXCells.Display] {
        var cache: [Int: XLSXCells.Display] = [:]
        return formatIDs.map { id in
            if let d = cache[id] { return d }
            let d = XLSXCells.display(id: id, code: codes[id])
            cache[id] = d
            return d
        }
    }
}

/// `xl/sharedStrings.xml`: the text of `t="s"` cells. Rich text runs are joined; the
/// phonetic guides of East Asian text (`rPh`) are left out.
final class XLSXSharedStringsHandler: XLSXXMLHandler {
    private(set) var strings: [String] = []
    private var current = ""
    private var currentLength = 0
    private var inItem = false
    private var inText = false
    private var phonetic = 0
    /// The part's size: no more strings can be declared than fit in it (`<si/>` is 5 bytes).
    var partBytes = Int.max

    override func start(_ name: String, _ attributes: [String: String]) {
        switch name {
        case "sst":
            // A count is a hint for memory, never trusted beyond what the part can hold.
            if let n = attributes["uniqueCount"].flatMap({ Int($0) }), n > 0 {
                strings.reserveCapacity(min(n, partBytes / 16, XLSXCells.maxSharedStrings))
            }
        case "si":
            inItem = true; current = ""; currentLength = 0
            if strings.count >= XLSXCells.maxSharedStrings {
                fail("more than \(XLSXCells.maxSharedStrings) shared strings (the limit)")
            }
        case "rPh": phonetic += 1
        case "t": inText = inItem && phonetic == 0
        default: break
        }
    }

    override func end(_ name: String) {
        switch name {
        case "si":
            strings.append(XLSXCells.unescape(current))
            inItem = false
        case "rPh": phonetic -= 1
        case "t": inText = false
        default: break
        }
    }

    override func text(_ s: String) {
        guard inText else { return }
        currentLength += s.utf16.count
        if currentLength > XLSXCells.maxCellLength {
            inText = false
            return fail("shared string \(strings.count + 1) holds more than \(XLSXCells.maxCellLength) characters (Excel's limit)")
        }
        current += s
    }
}
