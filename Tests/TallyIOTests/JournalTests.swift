import Foundation
import Testing
@testable import TallyIO

struct JournalTests {
    static func directory() -> String {
        let d = NSTemporaryDirectory() + "tally-journal-\(UUID().uuidString)"
        return d
    }

    @Test("statements round-trip through the journal, multi-line ones included")
    func roundTrip() throws {
        let dir = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let statements = ["visitors = 12000", "t = table(a: [1,\n 2])", "x = \"back\\\\slash\"", "转化率 = 3%"]
        let j = try Journal.create(in: dir, now: 1)
        for s in statements { try j.append(s) }
        // Held by this process: not an unfinished session.
        #expect(Journal.unfinished(in: dir).isEmpty)
        j.keep()
        let found = Journal.unfinished(in: dir)
        #expect(found.count == 1)
        #expect(found.first?.statements == statements)
    }

    @Test("two sessions keep separate journals and never see each other's as unfinished")
    func twoAtOnce() throws {
        let dir = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let a = try Journal.create(in: dir, now: 1), b = try Journal.create(in: dir, now: 2)
        #expect(a.path != b.path)
        try a.append("a = 1")
        try b.append("b = 2")
        try a.append("a = 3")
        #expect(Journal.unfinished(in: dir).isEmpty)
        b.keep()
        #expect(Journal.unfinished(in: dir).map(\.statements) == [["b = 2"]])
        a.discard()
        #expect(!FileManager.default.fileExists(atPath: a.path))
    }

    @Test("a last line cut short by a crash is left out")
    func tornTail() throws {
        let dir = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let j = try Journal.create(in: dir, now: 1)
        try j.append("a = 1")
        j.keep()
        let h = try #require(FileHandle(forWritingAtPath: j.path))
        h.seekToEndOfFile()
        h.write("b = 2 + ".data(using: .utf8) ?? Data())
        try h.close()
        #expect(Journal.unfinished(in: dir).first?.statements == ["a = 1"])
    }

    @Test("an empty journal is removed, not offered")
    func emptyRemoved() throws {
        let dir = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let j = try Journal.create(in: dir, now: 1)
        j.keep()
        #expect(Journal.unfinished(in: dir).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: j.path))
    }
}
