import Foundation

/// Writes to the process's standard output and standard error.
public final class StandardOutput: OutputSink {
    public init() {}

    public func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    public func error(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
