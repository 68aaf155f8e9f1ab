import Foundation
import ZIPFoundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A zip archive opened for reading parts out of it, with every size checked.
///
/// ZIPFoundation's `Archive.extract` reads past an entry's compressed bytes and spins
/// forever when a damaged deflate stream never ends (and its cancel hook is only asked
/// when there is output). So this reads the central directory itself, hands the inflater
/// exactly the entry's compressed bytes, stops at the declared size, a limit or an
/// interrupt, and checks the CRC-32 and the size at the end.
final class ZipArchive {
    struct Entry {
        /// The path inside the archive (`xl/worksheets/sheet1.xml`).
        var name: String
        var flags: UInt16
        var method: UInt16
        var crc: UInt32
        var compressedSize: UInt64
        var uncompressedSize: UInt64
        var localHeaderOffset: UInt64
        var isDirectory: Bool { name.hasSuffix("/") }
    }

    /// Why an archive or an entry cannot be read, in words that follow the part's name.
    enum Failure: Error, Equatable {
        case damaged(String)
        case tooLarge(String)
        case interrupted
    }

    /// Set last in `init`; a default so that a failed `init` still closes the file.
    private(set) var entries: [Entry] = []
    private let fd: Int32
    private let size: UInt64

    deinit { close(fd) }

    /// Reads the central directory of the (already opened, regular) file `fd`, which the
    /// archive then owns.
    init(fd: Int32, size: UInt64) throws(Failure) {
        self.fd = fd
        self.size = size
        // The end-of-central-directory record: in the last 64 KiB + 22 bytes.
        let tailLength = Int(min(size, 65_557))
        let tail = try ZipArchive.read(fd, at: size - UInt64(tailLength), count: tailLength)
        guard tailLength >= 22, let eocd = stride(from: tailLength - 22, through: 0, by: -1)
                .first(where: { ZipArchive.u32(tail, $0) == 0x0605_4B50 }) else {
            throw .damaged("no zip directory")
        }
        var count = UInt64(ZipArchive.u16(tail, eocd + 10))
        var directorySize = UInt64(ZipArchive.u32(tail, eocd + 12))
        var directoryOffset = UInt64(ZipArchive.u32(tail, eocd + 16))
        if count == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            // ZIP64: a locator just before the record points at the 64-bit record.
            guard eocd >= 20, ZipArchive.u32(tail, eocd - 20) == 0x0706_4B50 else { throw .damaged("no ZIP64 directory") }
            let at = ZipArchive.u64(tail, eocd - 12)
            guard at <= size &- 56 else { throw .damaged("the ZIP64 directory lies outside the file") }
            let record = try ZipArchive.read(fd, at: at, count: 56)
            guard ZipArchive.u32(record, 0) == 0x0606_4B50 else { throw .damaged("no ZIP64 directory") }
            count = ZipArchive.u64(record, 32)
            directorySize = ZipArchive.u64(record, 40)
            directoryOffset = ZipArchive.u64(record, 48)
        }
        guard directorySize <= size, directoryOffset <= size - directorySize, count <= directorySize / 46,
              directorySize <= 256 << 20 else {
            throw .damaged("the zip directory does not fit in the file")
        }
        let directory = try ZipArchive.read(fd, at: directoryOffset, count: Int(directorySize))
        var entries: [Entry] = []
        entries.reserveCapacity(Int(count))
        var p = 0
        for _ in 0..<count {
            guard p + 46 <= directory.count, ZipArchive.u32(directory, p) == 0x0201_4B50 else {
                throw .damaged("the zip directory is damaged")
            }
            let nameLength = Int(ZipArchive.u16(directory, p + 28))
            let extraLength = Int(ZipArchive.u16(directory, p + 30))
            let commentLength = Int(ZipArchive.u16(directory, p + 32))
            let next = p + 46 + nameLength + extraLength + commentLength
            guard next <= directory.count else { throw .damaged("the zip directory is damaged") }
            var entry = Entry(
                name: String(decoding: directory[(p + 46)..<(p + 46 + nameLength)], as: UTF8.self),
                flags: ZipArchive.u16(directory, p + 8), method: ZipArchive.u16(directory, p + 10),
                crc: ZipArchive.u32(directory, p + 16),
                compressedSize: UInt64(ZipArchive.u32(directory, p + 20)),
                uncompressedSize: UInt64(ZipArchive.u32(directory, p + 24)),
                localHeaderOffset: UInt64(ZipArchive.u32(directory, p + 42)))
            // ZIP64 sizes and offset, in this order, for the fields that say 0xFFFFFFFF.
            var e = p + 46 + nameLength
            let extraEnd = e + extraLength
            while e + 4 <= extraEnd {
                let id = ZipArchive.u16(directory, e), length = Int(ZipArchive.u16(directory, e + 2))
                var f = e + 4
                let fieldEnd = min(f + length, extraEnd)
                if id == 1 {
                    func wide(_ value: inout UInt64) {
                        guard value == 0xFFFF_FFFF, f + 8 <= fieldEnd else { return }
                        value = ZipArchive.u64(directory, f)
                        f += 8
                    }
                    wide(&entry.uncompressedSize)
                    wide(&entry.compressedSize)
                    wide(&entry.localHeaderOffset)
                }
                e += 4 + length
            }
            entries.append(entry)
            p = next
        }
        self.entries = entries
    }

    /// The entry named `path`; else one that differs only in letter case or a leading
    /// slash (some writers do that).
    func entry(_ path: String) -> Entry? {
        if let e = entries.first(where: { $0.name == path }) { return e }
        let wanted = path.lowercased()
        return entries.first { e in
            var p = e.name.lowercased()
            if p.hasPrefix("/") { p.removeFirst() }
            return p == wanted
        }
    }

    /// The bytes of `entry`, refused when it would be over `limit` bytes; the size and the
    /// CRC-32 must match the directory's. `isInterrupted` is asked between 64 KiB pieces.
    func extract(_ entry: Entry, limit: UInt64, isInterrupted: () -> Bool) throws(Failure) -> Data {
        if entry.flags & 1 != 0 { throw .damaged("is encrypted") }
        guard entry.uncompressedSize <= limit else {
            throw .tooLarge("is \(ZipArchive.megabytes(entry.uncompressedSize)) uncompressed, over the limit of \(ZipArchive.megabytes(limit)) for one part")
        }
        // A part that inflates hugely from little (a zip bomb) is refused before it is inflated.
        let ratio = entry.uncompressedSize / max(entry.compressedSize, 1)
        if entry.uncompressedSize > ZipArchive.bombFloor && ratio > ZipArchive.maxRatio {
            throw .tooLarge("would inflate \(ratio) times (\(ZipArchive.megabytes(entry.compressedSize)) to \(ZipArchive.megabytes(entry.uncompressedSize))), over the limit of \(ZipArchive.maxRatio) times for parts over \(ZipArchive.megabytes(ZipArchive.bombFloor)): is it a zip bomb?")
        }
        // The local header: its name and extra field may differ in length from the directory's.
        guard entry.localHeaderOffset <= size &- 30 else { throw .damaged("lies outside the file") }
        let header = try ZipArchive.read(fd, at: entry.localHeaderOffset, count: 30)
        guard ZipArchive.u32(header, 0) == 0x0403_4B50 else { throw .damaged("has a damaged header") }
        let dataOffset = entry.localHeaderOffset + 30 + UInt64(ZipArchive.u16(header, 26)) + UInt64(ZipArchive.u16(header, 28))
        guard dataOffset <= size, entry.compressedSize <= size - dataOffset else {
            throw .damaged("runs past the end of the file")
        }
        var out = Data()
        out.reserveCapacity(Int(min(entry.uncompressedSize, 256 << 20)))
        var failure: Failure?
        let bufferSize = 1 << 16
        var position = dataOffset
        let end = dataOffset + entry.compressedSize
        let fd = self.fd
        let declared = entry.uncompressedSize
        var storedCRC: UInt32 = 0
        func consume(_ piece: Data) throws {
            if isInterrupted() { failure = .interrupted; throw Failure.interrupted }
            if UInt64(out.count + piece.count) > declared {
                failure = .damaged("is damaged: it inflates to more than its declared \(declared) bytes")
                throw Failure.interrupted
            }
            out.append(piece)
        }
        let crc: UInt32
        do {
            switch entry.method {
            case 0:
                guard entry.compressedSize == entry.uncompressedSize else { throw Failure.damaged("has inconsistent sizes") }
                while position < end {
                    let n = Int(min(UInt64(bufferSize), end - position))
                    let piece = try ZipArchive.read(fd, at: position, count: n)
                    position += UInt64(n)
                    let data = Data(piece)
                    try consume(data)
                    storedCRC = data.crc32(checksum: storedCRC)
                }
                crc = storedCRC
            case 8:
                // ZIPFoundation's inflater takes every chunk as `bufferSize` long, so the
                // last one is padded with zeros; asking past the end means the stream never ended.
                crc = try Data.decompress(size: Int64(entry.compressedSize), bufferSize: bufferSize, skipCRC32: false,
                                          provider: { _, _ in
                    if isInterrupted() { failure = .interrupted; throw Failure.interrupted }
                    guard position < end else {
                        failure = .damaged("is damaged: its compressed data ends early")
                        throw Failure.interrupted
                    }
                    let n = Int(min(UInt64(bufferSize), end - position))
                    var piece = try ZipArchive.read(fd, at: position, count: n)
                    position += UInt64(n)
                    if n < bufferSize { piece.append(contentsOf: repeatElement(0, count: bufferSize - n)) }
                    return Data(piece)
                }, consumer: consume)
            default:
                throw Failure.damaged("uses compression method \(entry.method), which is not supported")
            }
        } catch let f as Failure {
            throw failure ?? f
        } catch {
            throw failure ?? .damaged("is damaged: its compressed data is not valid")
        }
        if let failure { throw failure }
        guard UInt64(out.count) == entry.uncompressedSize else {
            throw .damaged("is damaged: \(out.count) bytes instead of the declared \(entry.uncompressedSize)")
        }
        guard crc == entry.crc else { throw .damaged("is damaged: its checksum does not match") }
        return out
    }

    /// Parts over this size must not inflate more than `maxRatio` times.
    static let bombFloor: UInt64 = 32 << 20
    /// Real sheets compress 5 to 50 times; a run of blanks, a thousand.
    static let maxRatio: UInt64 = 200

    static func megabytes(_ n: UInt64) -> String {
        n >= 1 << 30 && n % (1 << 30) == 0 ? "\(n >> 30) GiB" : n >= 1 << 20 ? "\(n >> 20) MiB" : "\(n >> 10) KiB"
    }

    private static func read(_ fd: Int32, at offset: UInt64, count: Int) throws(Failure) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let k = out.withUnsafeMutableBytes { b -> Int in
                guard let base = b.baseAddress else { return 0 }
                return pread(fd, base + done, count - done, off_t(offset) + off_t(done))
            }
            if k < 0 && errno == EINTR { continue }
            if k <= 0 { throw .damaged("is cut short (the file ends early)") }
            done += k
        }
        return out
    }

    private static func u16(_ b: [UInt8], _ i: Int) -> UInt16 { UInt16(b[i]) | UInt16(b[i + 1]) << 8 }
    private static func u32(_ b: [UInt8], _ i: Int) -> UInt32 { UInt32(u16(b, i)) | UInt32(u16(b, i + 2)) << 16 }
    private static func u64(_ b: [UInt8], _ i: Int) -> UInt64 { UInt64(u32(b, i)) | UInt64(u32(b, i + 4)) << 32 }
}
