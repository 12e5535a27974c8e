#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Nanoseconds per motor-model evaluation, against an empty loop of the same shape measured in
/// the same run. The inputs vary every iteration and the outputs are summed so the optimiser can
/// neither hoist nor drop the work.
public enum MotorBenchmark {
    public struct Result: Sendable, Codable {
        public var evaluations: Int
        public var baselineNs: Double
        public var chainNs: Double
        public var compensationNs: Double
        public var allocations: Int
        public var checksum: Double
    }

    public static func run(motor: MotorParameters, evaluations n: Int,
                           countAllocations: (() -> Void) -> Int) -> Result {
        var checksum = 0.0
        let baseline = time {
            var s = 0.0
            for i in 0..<n { s += Double(i & 1023) * 1e-3 }
            checksum += s
        }
        var allocations = 0
        var chainTime = 0.0
        allocations += countAllocations {
            chainTime = time {
                var chain = MotorChain(parameters: motor)
                var s = 0.0
                for i in 0..<n {
                    let x = Double(i & 1023) * 1e-3
                    s += chain.step(duty: x * 2 - 1, armVelocityRadPerS: x * 40 - 20, dtS: 0.002)
                }
                checksum += s
            }
        }
        var compensationTime = 0.0
        allocations += countAllocations {
            compensationTime = time {
                var s = 0.0
                for i in 0..<n { s += compensatedDuty(action: Double(i & 1023) * 2e-3 - 1, motor) }
                checksum += s
            }
        }
        let perEval = 1e9 / Double(n)
        return Result(evaluations: n, baselineNs: baseline * perEval, chainNs: chainTime * perEval,
                      compensationNs: compensationTime * perEval, allocations: allocations, checksum: checksum)
    }

    private static func time(_ body: () -> Void) -> Double {
        var start = timespec(), end = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        body()
        clock_gettime(CLOCK_MONOTONIC, &end)
        return Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) * 1e-9
    }
}
