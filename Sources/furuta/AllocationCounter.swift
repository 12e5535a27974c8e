import Foundation
import MallocInterposerSwift

/// Counts heap allocations in a region of code through ordo-one's malloc-interposer. `furuta`
/// links the interposer's shared library, which puts its malloc first in symbol resolution on
/// Linux (checked here: a deliberate allocation is counted), so no LD_PRELOAD is needed.
enum AllocationCounter {
    /// Allocations made while `body` runs (all threads).
    static func count(_ body: () -> Void) -> Int {
        MallocInterposerSwift.initialize()
        MallocInterposerSwift.hook()
        body()
        MallocInterposerSwift.unhook()
        return MallocInterposerSwift.getStatistics().mallocCount
    }
}
