import Foundation
import MallocInterposerSwift

/// Counts heap allocations in a region of code through ordo-one's malloc-interposer.
/// The interposer must come first in symbol resolution: `furuta` links it, and if it is not
/// active (another library won), `bench` re-executes itself with it in LD_PRELOAD.
enum AllocationCounter {
    /// Whether mallocs are being seen at all (a probe allocation must be counted).
    static var isActive: Bool {
        MallocInterposerSwift.initialize()
        MallocInterposerSwift.hook()
        let probe = malloc(64)
        MallocInterposerSwift.unhook()
        free(probe)
        return MallocInterposerSwift.getStatistics().mallocCount > 0
    }

    /// Allocations made while `body` runs (all threads).
    static func count(_ body: () -> Void) -> Int {
        MallocInterposerSwift.initialize()
        MallocInterposerSwift.hook()
        body()
        MallocInterposerSwift.unhook()
        return MallocInterposerSwift.getStatistics().mallocCount
    }
}
