/// The C types of libFuzzer's `LLVMFuzzerInitialize(int *argc, char ***argv)`.
public typealias FuzzArgc = UnsafeMutablePointer<CInt>
public typealias FuzzArgv = UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>

extension UnsafeRawPointer {
    /// The fuzzer's input as an array.
    public func fuzzBytes(_ count: Int) -> [UInt8] {
        Array(UnsafeRawBufferPointer(start: self, count: count))
    }
}
