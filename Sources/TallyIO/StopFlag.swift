import Synchronization

/// A flag one thread sets and others poll: the load sets it on Ctrl-C so the chunks being
/// parsed on other threads end early instead of running to their end.
final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    var isSet: Bool { flag.load(ordering: .relaxed) }

    func set() { flag.store(true, ordering: .relaxed) }
}
