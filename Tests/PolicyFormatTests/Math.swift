#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func _tanh(_ x: Double) -> Double { tanh(x) }
func _expm1(_ x: Double) -> Double { expm1(x) }
