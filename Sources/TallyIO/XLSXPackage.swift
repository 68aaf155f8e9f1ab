import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An opened `.xlsx` file: the zip archive, the workbook's sheets in tab order, where the
/// shared strings and styles live, and the date system.
struct XLSXPackage {
    /// One sheet as the workbook lists it.
    struct Sheet {
        var name: String
        /// The sheet's XML part (`xl/worksheets/sheet1.xml`), nil when the workbook's
        /// relationships do not say.
        var part: String?
        /// False for chart sheets and dialog sheets, which hold no cells.
        var isWorksheet: Bool
        var hidden: Bool
    }

    /// The file as the user named it, for messages.
    let file: String
    let archive: ZipArchive
    let sheets: [Sheet]
    /// True when the workbook counts dates from 1904 (old Mac Excel).
    let date1904: Bool
    let sharedStringsPart: String?
    let stylesPart: String?
    /// Asked between pieces of a part being inflated; true stops the load.
    let isInterrupted: () -> Bool

    /// The largest part the reader inflates (a guard against zip bombs): 2 GiB.
    static let maxPartBytes: UInt64 = 2 << 30

    /// Opens `path` and reads the workbook's sheet list.
    static func open(path: String, isInterrupted: @escaping () -> Bool = { false }) throws(LoadError) -> XLSXPackage {
        func fail(_ message: String) -> LoadError { LoadError(file: path, message: message) }
        // Existence, permissions and directories get the same words as CSV files.
        let source = try ByteSource.open(path: path)
        var head = [UInt8](repeating: 0, count: 8)
        let got = try head.withUnsafeMutableBufferPointer { b throws(LoadError) -> Int in
            guard let base = b.baseAddress else { return 0 }
            return try source.read(into: base, count: 8, file: path)
        }
        if got == 0 { throw fail("the file is empty") }
        if got == 8 && head == [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] {
            throw fail("is password-protected or an old .xls workbook; in Excel, remove the password "
                + "(File > Info > Protect Workbook) or save it as .xlsx")
        }
        guard got >= 4, head[0] == 0x50, head[1] == 0x4B, head[2] < 0x09, head[3] < 0x09 else {
            throw fail("is not an .xlsx workbook (not a zip archive)")
        }
        let archive: ZipArchive
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw fail(SystemError.describe(errno)) }
        do {
            archive = try ZipArchive(fd: fd, size: UInt64(source.size ?? 0))
        } catch {
            throw fail("is not a readable .xlsx workbook (the zip archive is damaged)")
        }
        func part(_ name: String, in archive: ZipArchive, file: String) throws(LoadError) -> Data? {
            try XLSXPackage.part(name, in: archive, file: file, isInterrupted: isInterrupted)
        }

        // The workbook part: from the package relationships, else the usual place.
        var workbookPart = "xl/workbook.xml"
        if let data = try part("_rels/.rels", in: archive, file: path) {
            let rels = XLSXRelationshipsHandler()
            if rels.run(data) == nil, let r = rels.first(kind: "officeDocument") {
                workbookPart = XLSXRelationshipsHandler.resolve(r.target, from: "")
            }
        }
        guard let workbookData = try part(workbookPart, in: archive, file: path) else {
            let empty = archive.entries.isEmpty
            throw fail(empty ? "is not a readable .xlsx workbook (the zip archive is empty or encrypted)"
                : "is not an .xlsx workbook (it has no \(workbookPart); is it a .docx or .pptx?)")
        }
        let workbook = XLSXWorkbookHandler()
        if let problem = workbook.run(workbookData) { throw fail("\(workbookPart): \(problem)") }

        let rels = XLSXRelationshipsHandler()
        if let data = try part(XLSXRelationshipsHandler.path(for: workbookPart), in: archive, file: path) {
            if let problem = rels.run(data) {
                throw fail("\(XLSXRelationshipsHandler.path(for: workbookPart)): \(problem)")
            }
        }
        var byID: [String: XLSXRelationshipsHandler.Relationship] = [:]
        for r in rels.relationships { byID[r.id] = r }
        var sheets: [Sheet] = []
        for (k, s) in workbook.sheets.enumerated() {
            var partPath: String?
            var isWorksheet = true
            if let id = s.relationshipID, let r = byID[id] {
                partPath = XLSXRelationshipsHandler.resolve(r.target, from: workbookPart)
                isWorksheet = r.type.isEmpty || r.type.hasSuffix("/worksheet")
            } else if rels.relationships.isEmpty {
                // No relationships part at all: guess the conventional name.
                partPath = "xl/worksheets/sheet\(k + 1).xml"
            }
            sheets.append(Sheet(name: s.name, part: partPath, isWorksheet: isWorksheet, hidden: s.hidden))
        }
        if sheets.isEmpty { throw fail("the workbook has no sheets") }
        let base = workbookPart
        func located(_ kind: String, _ fallback: String) -> String? {
            if let r = rels.first(kind: kind) { return XLSXRelationshipsHandler.resolve(r.target, from: base) }
            return rels.relationships.isEmpty ? fallback : nil
        }
        return XLSXPackage(file: path, archive: archive, sheets: sheets, date1904: workbook.date1904,
                           sharedStringsPart: located("sharedStrings", "xl/sharedStrings.xml"),
                           stylesPart: located("styles", "xl/styles.xml"), isInterrupted: isInterrupted)
    }

    /// The bytes of `path` inside the archive, nil when there is no such part.
    func data(_ path: String) throws(LoadError) -> Data? {
        try XLSXPackage.part(path, in: archive, file: file, isInterrupted: isInterrupted)
    }

    /// Parses an optional part with `handler`; false when the part is missing.
    func parse(_ path: String?, with handler: XLSXXMLHandler) throws(LoadError) -> Bool {
        guard let path, let data = try data(path) else { return false }
        handler.isInterrupted = isInterrupted
        (handler as? XLSXSharedStringsHandler)?.partBytes = data.count
        if let problem = handler.run(data) {
            if handler.wasInterrupted { throw LoadError(file: file, message: "interrupted") }
            throw LoadError(file: file, message: "\(path): \(problem)")
        }
        return true
    }

    private static func part(_ path: String, in archive: ZipArchive, file: String,
                             isInterrupted: () -> Bool) throws(LoadError) -> Data? {
        guard let entry = archive.entry(path), !entry.isDirectory else { return nil }
        do {
            return try archive.extract(entry, limit: maxPartBytes, isInterrupted: isInterrupted)
        } catch {
            switch error {
            case .interrupted: throw LoadError(file: file, message: "interrupted")
            case .damaged(let why), .tooLarge(let why): throw LoadError(file: file, message: "\(path) \(why)")
            }
        }
    }
}
