#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One 64 KiB read buffer per thread. A read lands here first and only the bytes actually
/// received are copied into the returned array, so an idle connection holds no buffer and a
/// read that would block allocates nothing.
enum ScratchBuffer {
    static let size = 65536

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let result = pthread_key_create(&key) { pointer in free(pointer) }
        precondition(result == 0, "pthread_key_create failed: \(result)")
        return key
    }()

    /// This thread's buffer. Use it only synchronously: never across a suspension point.
    static func forCurrentThread() -> UnsafeMutableRawPointer {
        if let existing = pthread_getspecific(key) {
            return existing
        }
        guard let fresh = malloc(size) else { fatalError("out of memory allocating read buffer") }
        pthread_setspecific(key, fresh)
        return fresh
    }
}
