import ArgumentParser
import CommandLogging
import PolicyFormat
import Learning
import RobotDescription
import Trainer

/// `furuta bench policy`: time single-sample `FrozenPolicy` inference (and count its heap
/// allocations), and the trainer's batched sgemm throughput.
struct BenchPolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Time single-sample policy inference and batched sgemm throughput."
    )

    @Option(help: "A .policy file to time; without it, a random network of --hidden widths.")
    var policy: String?

    @Option(help: "Hidden widths of the random network, comma-separated.")
    var hidden: String = "64,64"

    @Option(help: "History length of the random network's observation layout.")
    var history: Int = 0

    @Option(help: "Inferences per timing round.")
    var iterations: Int = 200_000

    @Option(help: "sgemm shape m,n,k (batch × width × width); 0 skips the sgemm figure.")
    var sgemm: String = "4096,64,64"

    @Option(help: "OpenBLAS threads for the sgemm figure.")
    var blasThreads: Int = 1

    func validate() throws {
        try NumberRange.closed(0, 256).check("--history", history)
        try NumberRange.closed(1, 1_000_000_000).check("--iterations", iterations)
        try NumberRange.closed(1, 256).check("--blas-threads", blasThreads)
        let widths = hidden.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !widths.isEmpty, widths.count <= 8, widths.allSatisfy({ $0.map { (1...4096).contains($0) } ?? false }) else {
            throw ValidationError("--hidden takes 1 to 8 comma-separated widths in [1, 4096], e.g. 64,64; found '\(hidden)'")
        }
        let shape = sgemm.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard shape == [0] || (shape.count == 3 && shape.allSatisfy({ $0.map { (1...65_536).contains($0) } ?? false })) else {
            throw ValidationError("--sgemm takes m,n,k each in [1, 65536] (e.g. 4096,64,64), or 0 to skip; found '\(sgemm)'")
        }
    }

    @OptionGroup var logging: LogLevelOptions

    func run() throws {
        logging.apply()
        let file: PolicyFile
        if let path = policy {
            do { file = try PolicyFile(contentsOfFile: path) } catch { throw CommandFailure("--policy \(error)") }
        } else {
            let widths = hidden.split(separator: ",").compactMap { Int($0) }
            guard !widths.isEmpty, widths.allSatisfy({ $0 > 0 }) else {
                throw ValidationError("--hidden takes positive widths like 64,64")
            }
            let layout = ObservationLayout(historyLength: history, armCountsPerRevolution: 2048, pendulumCountsPerRevolution: 2048)
            file = PolicyBenchmark.randomPolicy(layout: layout, hiddenWidths: widths)
        }
        let frozen = try FrozenPolicy(file)
        let result = PolicyBenchmark.measure(frozen, iterations: iterations)
        print("policy \(file.observationLayout.size) → \(file.hiddenWidths.map(String.init).joined(separator: "×")) → \(file.observationLayout.actionCount): \(result)")

        // Heap allocations during inference (counted when the interposer is loaded).
        let observation = UnsafeMutableBufferPointer<Float>.allocate(capacity: frozen.observationSize)
        let action = UnsafeMutableBufferPointer<Float>.allocate(capacity: frozen.actionCount)
        defer { observation.deallocate(); action.deallocate() }
        observation.initialize(repeating: 0.1)
        action.initialize(repeating: 0)
        let allocations = AllocationCounter.count {
            for _ in 0..<10_000 { frozen.act(observation: observation, action: action) }
        }
        print("heap allocations in 10000 inferences: \(allocations)")

        let shape = sgemm.split(separator: ",").compactMap { Int($0) }
        if shape.count == 3, shape.allSatisfy({ $0 > 0 }) {
            let gflops = BLASBenchmark.sgemmGFLOPS(m: shape[0], n: shape[1], k: shape[2], threads: blasThreads)
            print("sgemm \(shape[0])×\(shape[1])×\(shape[2]), \(blasThreads) thread(s): \((gflops * 10).rounded() / 10) GFLOP/s")
        }
    }
}
