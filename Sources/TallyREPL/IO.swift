/// What a line reader returns.
public enum LineRead: Sendable, Equatable {
    case line(String)
    /// Ctrl-C: the partial line was discarded.
    case interrupted
    /// Ctrl-D on an empty line, or the end of the input.
    case eof
}

/// Where the driver reads lines from: libedit on a terminal, a script, a test's list.
public protocol LineSource: AnyObject {
    /// Reads one line, showing `prompt` when the source is interactive.
    func read(prompt: String) -> LineRead
    /// A whole statement was read (over one line or several): libedit keeps it as one history entry.
    func remember(statement: String)
}

extension LineSource {
    public func remember(statement: String) {}
}

/// Where the driver writes. `error` text goes to standard error in scripts.
public protocol OutputSink: AnyObject {
    func write(_ text: String)
    func error(_ text: String)
}

/// Collects everything written, errors interleaved in order (tests and transcripts).
public final class CapturedOutput: OutputSink {
    public private(set) var text = ""
    public init() {}
    public func write(_ s: String) { text += s }
    public func error(_ s: String) { text += s }
}

/// Reads from a fixed list of lines (tests).
public final class ListLineSource: LineSource {
    private var lines: [String]
    public private(set) var prompts: [String] = []
    public init(_ lines: [String]) { self.lines = lines }
    public func read(prompt: String) -> LineRead {
        prompts.append(prompt)
        return lines.isEmpty ? .eof : .line(lines.removeFirst())
    }
}

/// Keeps output and errors apart until the caller decides what to show (`run` shows a
/// failed script's errors only, since nothing it did was kept).
final class HeldOutput: OutputSink {
    private(set) var entries: [(isError: Bool, text: String)] = []
    func write(_ s: String) { entries.append((false, s)) }
    func error(_ s: String) { entries.append((true, s)) }

    /// Writes what was held to `sink`: everything, or the errors only.
    func release(to sink: OutputSink, errorsOnly: Bool) {
        for e in entries {
            if e.isError { sink.error(e.text) } else if !errorsOnly { sink.write(e.text) }
        }
    }
}
