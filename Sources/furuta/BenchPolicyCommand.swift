import ArgumentParser
import PolicyFormat
import Learning

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

    func run() throws {
        let file: PolicyFile
        if let path = policy {
            file = try PolicyFile(contentsOfFile: path)
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
