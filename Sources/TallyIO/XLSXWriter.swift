#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import TallyCore
import ZIPFoundation

/// Writes a table to an Excel `.xlsx` workbook of one sheet.
///
/// The header row is bold and frozen; numbers are numbers (percent columns with `0.00%`,
/// money with `#,##0.00`, digits with `0`); dates are date serials shown `yyyy-mm-dd`
/// (dates before 1900, which have no serial, are ISO text); booleans are booleans; text
/// goes through the shared-strings table; empty cells are left out; numbers that are not
/// finite are `#NUM!` errors. Column widths follow the header and the first rows.
/// `XLSXReader` reads the file back to an equal table (text stays text only when it does
/// not look like a number, date or boolean, as with CSV).
public enum XLSXWriter {
    /// Writes `t` to `path` atomically: into a temporary file in the same directory,
    /// which then replaces `path` with `rename()`. Throws `WriteError`. Returns what the
    /// user should be told (a leftover temporary file it removed; see `AtomicFile`).
    @discardableResult
    public static func write(_ t: Table, to path: String, sheetName: String) throws -> AtomicFile.Notices {
        let data: Data
        do {
            data = try render(t, sheetName: sheetName)
        } catch var e as WriteError {
            e.path = path
            throw e
        }
        return try replace(path, with: data)
    }

    /// The workbook's bytes. Throws `WriteError` (with an empty path) if the zip
    /// library fails.
    public static func render(_ t: Table, sheetName: String) throws -> Data {
        let sheet = XLSXSheetWriter(t)
        let name = validSheetName(sheetName)
        var nameXML: [UInt8] = []
        XLSXSheetWriter.escape(name, into: &nameXML)
        let workbook = XLSXSheetWriter.declaration
            + "<workbook xmlns=\"\(XLSXSheetWriter.mainNamespace)\" xmlns:r=\"\(relationshipsNamespace)\">"
            + "<bookViews><workbookView/></bookViews><sheets><sheet name=\"\(String(decoding: nameXML, as: UTF8.self))\" "
            + "sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
        let parts: [(String, [UInt8])] = [
            ("[Content_Types].xml", Array(contentTypes.utf8)),
            ("_rels/.rels", Array(packageRelationships.utf8)),
            ("xl/workbook.xml", Array(workbook.utf8)),
            ("xl/_rels/workbook.xml.rels", Array(workbookRelationships.utf8)),
            ("xl/styles.xml", Array(styles.utf8)),
            ("xl/sharedStrings.xml", sheet.sharedStringsXML),
            ("xl/worksheets/sheet1.xml", sheet.sheet),
        ]
        do {
            let archive = try Archive(data: Data(), accessMode: .create)
            for (path, bytes) in parts {
                try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(bytes.count),
                                     compressionMethod: .deflate, bufferSize: 1 << 16) { position, size in
                    let start = Int(position)
                    return Data(bytes[start..<min(start + size, bytes.count)])
                }
            }
            guard let data = archive.data else { throw WriteError(path: "", message: "could not build the zip archive") }
            return data
        } catch let e as WriteError {
            throw e
        } catch {
            throw WriteError(path: "", message: "could not build the zip archive (\(error))")
        }
    }

    /// A name Excel accepts for a sheet: no `[ ] : * ? / \`, no `'` at the ends, at
    /// most 31 characters, not empty, not the reserved `History`.
    static func validSheetName(_ s: String) -> String {
        var name = String(s.filter { !"[]:*?/\\".contains($0) && !($0.asciiValue.map { $0 < 0x20 } ?? false) })
        while name.hasPrefix("'") { name.removeFirst() }
        while name.hasSuffix("'") { name.removeLast() }
        var short = ""
        for ch in name {
            if short.utf16.count + ch.utf16.count > 31 { break }
            short.append(ch)
        }
        if short.trimmingCharacters(in: .whitespaces).isEmpty { return "Sheet1" }
        return short.lowercased() == "history" ? "History_" : short
    }

    private static func replace(_ path: String, with data: Data) throws -> AtomicFile.Notices {
        try AtomicFile.replace(path) { fd in data.withUnsafeBytes { AtomicFile.writeAll(fd, $0) } }
    }

    // MARK: Fixed parts

    private static let relationshipsNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    private static let contentTypes = XLSXSheetWriter.declaration + """
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
        <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
        <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
        <Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>\
        </Types>
        """

    private static let packageRelationships = XLSXSheetWriter.declaration + """
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
        </Relationships>
        """

    private static let workbookRelationships = XLSXSheetWriter.declaration + """
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
        <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>\
        </Relationships>
        """

    /// Cell styles in the order of `XLSXSheetWriter.Style`: general, date, percent,
    /// money, digits, bold header.
    private static let styles = XLSXSheetWriter.declaration + """
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
        <numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>\
        <fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>\
        <font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>\
        <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
        <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
        <cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
        <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="10" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="1" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>\
        <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
        </styleSheet>
        """
}
