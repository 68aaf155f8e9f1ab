#if canImport(Glibc)
import Glibc
#endif
import Testing
import TallyCore
@testable import TallyIO

/// Files that are not what a loader or writer expects (issue 9): devices, FIFOs and the
/// leftovers of killed exports.
@Suite struct HostileFileTests {
    static let devices = ["/dev/zero", "/dev/null", "/dev/urandom"]

    @Test(arguments: devices)
    func devicesAreRefused(_ path: String) {
        #expect(throws: LoadError(file: path, message: "is not a regular file")) {
            try CSVReader.read(path: path, options: LoadOptions())
        }
        #expect(throws: LoadError(file: path, message: "is not a regular file")) {
            try XLSXReader.read(path: path, sheet: nil, options: LoadOptions())
        }
    }

    @Test func fifoIsRefusedWithoutWaitingForAWriter() throws {
        let dir = try TempDir()
        let path = dir.path + "/pipe.csv"
        #expect(mkfifo(path, 0o600) == 0)
        #expect(throws: LoadError(file: path, message: "is not a regular file")) {
            try CSVReader.read(path: path, options: LoadOptions())
        }
    }

    /// A PID above Linux's `pid_max` (at most 2^22): no process has it.
    static let deadPID = Int32.max - 1

    @Test(arguments: [ExportFormat.csv, .md])
    func leftoverOfAKilledExportIsRemoved(_ format: ExportFormat) throws {
        let dir = try TempDir()
        let name = "out." + (format == .csv ? "csv" : "md")
        let stale = ".\(name)\(AtomicFile.marker)\(Self.deadPID)"
        try dir.write(stale, "half a file")
        try dir.write(".other.csv\(AtomicFile.marker)\(Self.deadPID)", "another target's")
        let t = Table(names: ["x"], columns: [Column(values: [.num(1)])])!
        let notices = try TableWriter.write(t, to: dir.path + "/" + name, format: format)
        #expect(notices == [Note(.exportRemovedLeftover)])
        #expect(dir.files() == [".other.csv\(AtomicFile.marker)\(Self.deadPID)", name])
        // Nothing left over the second time: nothing to say.
        #expect(try TableWriter.write(t, to: dir.path + "/" + name, format: format) == [])
    }

    @Test func temporaryFileOfALiveProcessIsKept() throws {
        let dir = try TempDir()
        let live = ".out.csv\(AtomicFile.marker)1"   // init always runs
        try dir.write(live, "someone else's export in progress")
        let t = Table(names: ["x"], columns: [Column(values: [.num(1)])])!
        #expect(try TableWriter.write(t, to: dir.path + "/out.csv", format: .csv) == [])
        #expect(dir.files() == [live, "out.csv"])
    }

    @Test func xlsxExportRemovesLeftovers() throws {
        let dir = try TempDir()
        try dir.write(".d.xlsx\(AtomicFile.marker)\(Self.deadPID)", "PK")
        let t = Table(names: ["x"], columns: [Column(values: [.num(1)])])!
        let notices = try XLSXWriter.write(t, to: dir.path + "/d.xlsx", sheetName: "d")
        #expect(notices == [Note(.exportRemovedLeftover)])
        #expect(dir.files() == ["d.xlsx"])
    }
}
