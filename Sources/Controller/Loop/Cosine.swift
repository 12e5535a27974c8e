#if canImport(Glibc)
import Glibc
#endif

/// libm's cos, under a name that does not clash with members.
@inline(__always) func _cos(_ x: Double) -> Double { cos(x) }
