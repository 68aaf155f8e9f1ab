// The .xlsx reader on any bytes (written to a private temporary file: it reads paths).
import Foundation
import FuzzSupport
import TallyIO

@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: FuzzArgc, _ argv: FuzzArgv) -> CInt {
    Seeds.writeIfAsked(.xlsx)
    return 0
}

let path = NSTemporaryDirectory() + "/tally-fuzz-xlsx-\(getpid()).xlsx"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes: start, count: count)) else {
        fatalError("cannot write \(path)")
    }
    _ = try? XLSXReader.sheetNames(path: path)
    do {
        _ = try XLSXReader.read(path: path, sheet: nil, options: LoadOptions())
    } catch {
        var skipping = LoadOptions()
        skipping.onError = .skip
        _ = try? XLSXReader.read(path: path, sheet: .index(2), options: skipping)
    }
    return 0
}
