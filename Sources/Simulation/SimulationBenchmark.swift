import Foundation
import MotorModel

/// Measures, in one run, raw `mj_step` throughput and the batched environment's throughput, so
/// the environment's overhead is judged against the engine on the same machine at the same time.
public enum SimulationBenchmark {
    public struct Result: Sendable, Codable {
        /// Envs in the batch (and separate models/data in the raw baseline).
        public var envs: Int
        /// Physics steps per control step.
        public var substeps: Int
        /// Raw `mj_step` calls per second, one thread, round-robin over `envs` models.
        public var rawStepsPerSecond: Double
        /// Env physics steps per second (control steps × substeps) with 1 thread.
        public var envStepsPerSecond1Thread: Double
        /// The same with 2 threads.
        public var envStepsPerSecond2Threads: Double
        /// env (1 thread) ÷ raw: 1 means the env adds no overhead.
        public var efficiency: Double
        /// Speed-up from 1 to 2 threads.
        public var threadSpeedup: Double
        /// Heap allocations per env control step after warm-up (nil when not counted).
        public var allocationsPerStep: Double?
        /// The same env on the closed-form physics (`environment.physics: analytic`), 1 and 2
        /// threads, physics steps per second, and its allocations per control step.
        public var analyticEnvStepsPerSecond1Thread: Double
        public var analyticEnvStepsPerSecond2Threads: Double
        public var analyticAllocationsPerStep: Double?
    }

    /// Raw and env measurements alternate in short rounds and each keeps its best round, so a
    /// burst of load from other processes on this shared machine hits neither side alone.
    ///
    /// - Parameters:
    ///   - seconds: total time budget per measured configuration.
    ///   - countAllocations: runs a body and returns how many allocations it made.
    public static func run(robot: RobotParameters, template: MuJoCoModel, envs: Int = 64, seconds: Double = 1.0,
                           rounds: Int = 5, countAllocations: ((() -> Void) -> Int)? = nil) throws(MuJoCoError) -> Result {
        let substeps = robot.control.substepsPerControlStep

        // Raw baseline: the same number of independent pendulums, stepped directly.
        let raw = try (0..<envs).map { _ throws(MuJoCoError) in try PendulumPhysics(template: template, robot: robot) }
        for p in raw { try p.reset(pendulumAngle: 0.5) }
        let rawBody = { for p in raw { for _ in 0..<substeps { p.data.unguardedStep() } } }

        func makeEnvBody(threads: Int, physics: PhysicsBackendName = .mujoco) throws(MuJoCoError) -> () -> Void {
            var config = EnvironmentConfig()
            config.count = envs
            config.threads = threads
            config.physics = physics
            let env = try FurutaEnvironment(robot: robot, template: template, config: config)
            env.reset(seed: 1)
            var actions = [Float](repeating: 0, count: envs)
            var t = 0
            let body = {
                for i in 0..<envs { actions[i] = Float(sin(Double(t) * 0.05 + Double(i))) }
                actions.withUnsafeBufferPointer { env.step(actions: $0) }
                t += 1
            }
            for _ in 0..<200 { body() } // warm-up: caches filled, buffers touched
            return body
        }
        let env1 = try makeEnvBody(threads: 1)
        let env2 = try makeEnvBody(threads: 2)
        let analytic1 = try makeEnvBody(threads: 1, physics: .analytic)
        let analytic2 = try makeEnvBody(threads: 2, physics: .analytic)
        var allocations: Double?, analyticAllocations: Double?
        if let countAllocations {
            let steps = 1500 // crosses episode resets (1000 steps each) on purpose
            allocations = Double(countAllocations { for _ in 0..<steps { env1() } }) / Double(steps * envs)
            analyticAllocations = Double(countAllocations { for _ in 0..<steps { analytic1() } }) / Double(steps * envs)
        }
        let units = envs * substeps, slice = seconds / Double(rounds)
        var best = (raw: 0.0, one: 0.0, two: 0.0, analyticOne: 0.0, analyticTwo: 0.0)
        for _ in 0..<rounds {
            best.raw = max(best.raw, measure(seconds: slice, unitsPerRound: units, rawBody))
            best.one = max(best.one, measure(seconds: slice, unitsPerRound: units, env1))
            best.two = max(best.two, measure(seconds: slice, unitsPerRound: units, env2))
            best.analyticOne = max(best.analyticOne, measure(seconds: slice, unitsPerRound: units, analytic1))
            best.analyticTwo = max(best.analyticTwo, measure(seconds: slice, unitsPerRound: units, analytic2))
        }
        return Result(envs: envs, substeps: substeps, rawStepsPerSecond: best.raw,
                      envStepsPerSecond1Thread: best.one, envStepsPerSecond2Threads: best.two,
                      efficiency: best.one / best.raw, threadSpeedup: best.two / best.one,
                      allocationsPerStep: allocations,
                      analyticEnvStepsPerSecond1Thread: best.analyticOne, analyticEnvStepsPerSecond2Threads: best.analyticTwo,
                      analyticAllocationsPerStep: analyticAllocations)
    }

    /// Units per second of `body`, run in rounds until `seconds` have passed.
    static func measure(seconds: Double, unitsPerRound: Int, _ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        var rounds = 0
        var elapsed = 0.0
        repeat {
            body()
            rounds += 1
            elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        } while elapsed < seconds
        return Double(rounds * unitsPerRound) / elapsed
    }
}
