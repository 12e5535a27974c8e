#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything physical about one Furuta pendulum that the simulator, system identification, the
/// controller and the twin must agree on. Loaded from `assets/<robot>/robot.yaml` by the
/// `RobotDescription` module; the simulator writes the link values into the MuJoCo model, so
/// this struct (not the MJCF) is the single source of the numbers.
public struct RobotParameters: Sendable, Equatable, Hashable, Codable {
    /// Short name of the robot (free text, part of the identity).
    public var name: String
    /// The arm, turned by the motor about the vertical axis.
    public var arm: LinkParameters
    /// The pendulum, swinging freely at the arm's tip.
    public var pendulum: LinkParameters
    /// The drive chain.
    public var motor: MotorParameters
    /// Rates and latency of the control loop.
    public var control: ControlParameters
    /// Gravitational acceleration, m/s².
    public var gravityMPerS2: Double

    public init(name: String, arm: LinkParameters, pendulum: LinkParameters,
                motor: MotorParameters, control: ControlParameters, gravityMPerS2: Double = 9.81) {
        self.name = name
        self.arm = arm
        self.pendulum = pendulum
        self.motor = motor
        self.control = control
        self.gravityMPerS2 = gravityMPerS2
    }

    /// Pendulum inertia about its pivot, kg·m²: J_p = I_c + m·l_c² (parallel axis).
    public var pendulumPivotInertiaKgM2: Double {
        pendulum.inertiaAboutComKgM2 + pendulum.massKg * pendulum.comDistanceM * pendulum.comDistanceM
    }

    /// Arm inertia about the motor axis including the pendulum's mass at the tip and the rotor
    /// reflected through the gear, kg·m²:
    /// J_a = I_c,arm + m_a·l_c,arm² + m_p·L_arm² + G²·J_rotor.
    public var armAxisInertiaKgM2: Double {
        arm.inertiaAboutComKgM2 + arm.massKg * arm.comDistanceM * arm.comDistanceM
            + pendulum.massKg * arm.lengthM * arm.lengthM
            + motor.gearRatio * motor.gearRatio * arm.rotorInertiaKgM2
    }

    /// Small-angle natural frequency of the pendulum with the arm held, rad/s:
    /// ω_n = √(m_p·g·l_c / J_p).
    public var pendulumNaturalFrequencyRadPerS: Double {
        (pendulum.massKg * gravityMPerS2 * pendulum.comDistanceM / pendulumPivotInertiaKgM2).squareRoot()
    }

    /// Small-angle natural frequency of the hanging pendulum with the arm free to turn (no
    /// friction, motor unpowered), rad/s. Linearising the Furuta equations about the hanging
    /// state gives mass matrix [[J_a, c], [c, J_p]] with coupling c = m_p·L_arm·l_c and stiffness
    /// m_p·g·l_c on the pendulum only, hence ω² = m_p·g·l_c·J_a / (J_a·J_p − c²).
    public var coupledNaturalFrequencyRadPerS: Double {
        let ja = armAxisInertiaKgM2, jp = pendulumPivotInertiaKgM2
        let c = pendulum.massKg * arm.lengthM * pendulum.comDistanceM
        return (pendulum.massKg * gravityMPerS2 * pendulum.comDistanceM * ja / (ja * jp - c * c)).squareRoot()
    }

    /// A stable 64-bit identity of the physical part of the description (links, motor, control
    /// rate, encoders; not the name): FNV-1a over the values' bit patterns in a fixed order. A
    /// policy records it so the controller can refuse a policy trained for another robot.
    public var identity: UInt64 {
        var hash = FNV1a64()
        for value in physicalValues { hash.combine(value.bitPattern) }
        hash.combine(UInt64(arm.encoderCountsPerRevolution))
        hash.combine(UInt64(pendulum.encoderCountsPerRevolution))
        return hash.value
    }

    private var physicalValues: [Double] {
        let m = motor, f = motor.friction
        return [arm.massKg, arm.lengthM, arm.comDistanceM, arm.inertiaAboutComKgM2, arm.rotorInertiaKgM2,
                arm.softLimitRad, arm.dampingNmsPerRad,
                pendulum.massKg, pendulum.lengthM, pendulum.comDistanceM, pendulum.inertiaAboutComKgM2,
                pendulum.dampingNmsPerRad,
                m.supplyVoltageV, m.resistanceOhm, m.torqueConstantNmPerA, m.backEmfVsPerRad, m.gearRatio,
                m.currentLimitA, m.lagTimeConstantS, m.bias, m.deadzone, m.gearGainPositive, m.gearGainNegative,
                f.coulombNm, f.staticNm, f.stribeckVelocityRadPerS, f.smoothingVelocityRadPerS, f.viscousNmsPerRad,
                control.rateHz, gravityMPerS2]
    }
}

/// One rigid link of the pendulum.
public struct LinkParameters: Sendable, Equatable, Hashable, Codable {
    /// Mass, kg.
    public var massKg: Double
    /// Length from the joint axis to the far end, m (for the arm: axis to pendulum pivot).
    public var lengthM: Double
    /// Distance from the joint axis to the centre of mass, m.
    public var comDistanceM: Double
    /// Moment of inertia about the centre of mass, about the axis parallel to the joint, kg·m².
    public var inertiaAboutComKgM2: Double
    /// Rotor inertia at the motor shaft, kg·m² (reflected by G²; zero for the pendulum).
    public var rotorInertiaKgM2: Double
    /// Encoder counts per revolution of this joint (after quadrature decoding).
    public var encoderCountsPerRevolution: Int
    /// Soft limit |θ| ≤ this, rad (the arm's travel; `.infinity` for the free pendulum).
    public var softLimitRad: Double
    /// Viscous damping at the joint, N·m·s/rad (the arm's friction is in `MotorParameters`).
    public var dampingNmsPerRad: Double

    public init(massKg: Double, lengthM: Double, comDistanceM: Double, inertiaAboutComKgM2: Double,
                rotorInertiaKgM2: Double = 0, encoderCountsPerRevolution: Int,
                softLimitRad: Double = .infinity, dampingNmsPerRad: Double = 0) {
        self.massKg = massKg
        self.lengthM = lengthM
        self.comDistanceM = comDistanceM
        self.inertiaAboutComKgM2 = inertiaAboutComKgM2
        self.rotorInertiaKgM2 = rotorInertiaKgM2
        self.encoderCountsPerRevolution = encoderCountsPerRevolution
        self.softLimitRad = softLimitRad
        self.dampingNmsPerRad = dampingNmsPerRad
    }

    /// One encoder count in radians: 2π / counts.
    public var encoderResolutionRad: Double { 2 * Double.pi / Double(encoderCountsPerRevolution) }
}

/// The control loop's timing.
public struct ControlParameters: Sendable, Equatable, Hashable, Codable {
    /// Policy / control rate, Hz.
    public var rateHz: Double
    /// Expected latency from sensor read to command applied at the motor, seconds.
    public var latencyS: Double
    /// Physics step, seconds (MuJoCo `timestep`).
    public var physicsTimestepS: Double

    public init(rateHz: Double, latencyS: Double, physicsTimestepS: Double) {
        self.rateHz = rateHz
        self.latencyS = latencyS
        self.physicsTimestepS = physicsTimestepS
    }

    /// Control period, seconds.
    public var periodS: Double { 1 / rateHz }
    /// Physics steps per control step (the period must be a whole number of physics steps).
    public var substepsPerControlStep: Int { Int((periodS / physicsTimestepS).rounded()) }
}

/// 64-bit FNV-1a, for identities that must be the same on every platform and run.
public struct FNV1a64: Sendable {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325
    public init() {}
    public mutating func combine(_ word: UInt64) {
        var w = word
        for _ in 0..<8 {
            value ^= w & 0xff
            value &*= 0x0000_0100_0000_01b3
            w >>= 8
        }
    }
    public mutating func combine(_ string: String) {
        for byte in string.utf8 {
            value ^= UInt64(byte)
            value &*= 0x0000_0100_0000_01b3
        }
    }
}

extension LinkParameters {
    /// What the joint's quadrature encoder reads at `angleRad`: the angle rounded to the nearest
    /// count, counts = round(θ·N/2π), zero at the boot pose. Both the simulator and the twin use
    /// this, so the policy sees the same staircase as on the robot.
    @inlinable
    public func encoderCounts(forAngleRad angle: Double) -> Int32 {
        let counts = (angle * Double(encoderCountsPerRevolution) / (2 * Double.pi)).rounded()
        return Int32(clamping: Int64(max(min(counts, 2e9), -2e9)))
    }
}
