import Foundation
import MotorModel
import Simulation

/// One `Replay` (its own MuJoCo model copy) per worker thread; a batch of candidates is split
/// across them, candidate i on worker i mod T, so results do not depend on the thread count.
public final class ReplayPool: @unchecked Sendable {
    public let data: [ReplayData]
    private let replays: [Replay]

    public init(mjcfPath: String, robot: RobotParameters, data: [ReplayData], threads: Int) throws(SystemIdentificationError) {
        self.data = data
        do {
            let template = try MuJoCoModel.load(mjcfPath: mjcfPath)
            replays = try (0..<max(1, threads)).map { _ throws(MuJoCoError) in try Replay(template: template, robot: robot) }
        } catch {
            throw .simulation(error.description)
        }
    }

    public var threads: Int { replays.count }
    public var totalSamples: Int { data.reduce(0) { $0 + $1.sampleCount } }

    /// The fit's loss of each candidate: the recordings' losses weighted by their sample counts.
    public func losses(_ candidates: [RobotParameters]) -> [Double] {
        var results = [Double](repeating: .nan, count: candidates.count)
        let total = Double(max(totalSamples, 1))
        results.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let out = buffer
            DispatchQueue.concurrentPerform(iterations: replays.count) { worker in
                for i in stride(from: worker, to: candidates.count, by: replays.count) {
                    var sum = 0.0
                    for d in data { sum += replays[worker].loss(d, robot: candidates[i]) * Double(d.sampleCount) }
                    out[i] = sum / total
                }
            }
        }
        return results
    }

    /// Residuals of each candidate over all recordings, concatenated (for the Jacobian).
    public func residuals(_ candidates: [RobotParameters]) -> [[Double]] {
        let results = ResultSlots(count: candidates.count)
        DispatchQueue.concurrentPerform(iterations: replays.count) { worker in
            for i in stride(from: worker, to: candidates.count, by: replays.count) {
                results.set(i, data.flatMap { replays[worker].residuals($0, robot: candidates[i]) })
            }
        }
        return results.values
    }

    /// Simulated angles of one recording (for plots).
    public func simulate(_ index: Int, robot: RobotParameters) -> (arm: [Double], pendulum: [Double]) {
        replays[0].simulate(data[index], robot: robot)
    }

    /// Per-recording loss ℓ.
    public func loss(_ index: Int, robot: RobotParameters) -> Double { replays[0].loss(data[index], robot: robot) }
}

/// Results filled in by several threads, one slot each.
private final class ResultSlots: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [[Double]]
    init(count: Int) { values = Array(repeating: [], count: count) }
    func set(_ i: Int, _ value: [Double]) {
        lock.lock(); values[i] = value; lock.unlock()
    }
}
