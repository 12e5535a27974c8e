#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Counts heap allocations through ordo-one's malloc-interposer when it is loaded
/// (LD_PRELOAD=libMallocInterposerSwift.so), found with dlsym so that `furuta-controller` does
/// not link it: a deployed controller keeps glibc's malloc, and only `bench` re-executes itself
/// with the interposer preloaded.
///
/// Besides the global counters it installs the interposer's allocation hook, which runs on the
/// allocating thread: allocations made on the thread that called `watchCurrentThread()` (the
/// loop thread) are counted apart from everyone else's.
public enum AllocationProbe {
    private typealias Toggle = @convention(c) () -> Void
    private typealias Statistics = @convention(c) (UnsafeMutablePointer<Int64>, UnsafeMutablePointer<Int64>,
                                                   UnsafeMutablePointer<Int64>, UnsafeMutablePointer<Int64>,
                                                   UnsafeMutablePointer<Int64>, UnsafeMutablePointer<Int64>) -> Void
    private typealias Hook = @convention(c) (Int) -> Void
    private typealias SetHook = @convention(c) (Hook?) -> Void

    /// The interposer's library file name, looked for next to the executable.
    public static let libraryName = "libMallocInterposerSwift.so"

    /// Whether the interposer is loaded in this process.
    public static var isAvailable: Bool { dlsym(RTLD_DEFAULT_HANDLE, "malloc_interposer_enable") != nil }

    /// Starts counting from zero, on all threads, with the per-thread hook installed.
    public static func start() {
        guard isAvailable else { return }
        watchedAllocations.store(0, ordering: .relaxed)
        unsafeBitCast(dlsym(RTLD_DEFAULT_HANDLE, "malloc_interposer_reset"), to: Toggle.self)()
        unsafeBitCast(dlsym(RTLD_DEFAULT_HANDLE, "malloc_interposer_set_allocation_hook"), to: SetHook.self)(allocationHook)
        unsafeBitCast(dlsym(RTLD_DEFAULT_HANDLE, "malloc_interposer_enable"), to: Toggle.self)()
    }

    /// Stops counting; returns (allocations on the watched thread, allocations on all threads).
    public static func stop() -> (watchedThread: Int, allThreads: Int)? {
        guard isAvailable else { return nil }
        unsafeBitCast(dlsym(RTLD_DEFAULT_HANDLE, "malloc_interposer_disable"), to: Toggle.self)()
        unsafeBitCast(dlsym(RTLD_DEFAULT_HANDLE, "malloc_interposer_set_allocation_hook"), to: SetHook.self)(nil)
        var count: Int64 = 0, bytes: Int64 = 0, small: Int64 = 0, large: Int64 = 0, frees: Int64 = 0, freed: Int64 = 0
        unsafeBitCast(dlsym(RTLD_DEFAULT_HANDLE, "malloc_interposer_get_stats"), to: Statistics.self)(&count, &bytes, &small, &large, &frees, &freed)
        return (watchedAllocations.load(ordering: .relaxed), Int(count))
    }

    /// Makes the calling thread the one whose allocations are counted apart.
    public static func watchCurrentThread() {
        watchedThread.store(UInt(pthread_self()), ordering: .releasing)
    }

    /// The path of the interposer next to `executable`, if it exists.
    public static func libraryPath(nextTo executable: String) -> String? {
        let directory = executable.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let path = (directory.isEmpty ? "." : directory) + "/" + libraryName
        return access(path, R_OK) == 0 ? path : nil
    }
}

/// glibc's RTLD_DEFAULT is ((void *) 0): search the global scope, LD_PRELOADed libraries included.
nonisolated(unsafe) private let RTLD_DEFAULT_HANDLE: UnsafeMutableRawPointer? = nil
private let watchedThread = Atomic<UInt>(0)
private let watchedAllocations = Atomic<Int>(0)

/// Runs inside malloc on the allocating thread: must not allocate. One load, one compare.
private let allocationHook: @convention(c) (Int) -> Void = { _ in
    if UInt(pthread_self()) == watchedThread.load(ordering: .relaxed) {
        watchedAllocations.add(1, ordering: .relaxed)
    }
}
