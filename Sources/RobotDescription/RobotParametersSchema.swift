import MotorModel

/// The layout of robot.yaml: which keys exist, their types and ranges, and how they map onto
/// `RobotParameters`. Key names carry their units. Every number has a range that makes physical
/// sense for a desktop pendulum with generous margins (a 0.1 g to 100 kg link, 1 Hz to 10 kHz
/// control), so a typo such as 1e300 or 1e-300 is an error naming the key instead of a crash or
/// a silently absurd simulation.
enum RobotParametersSchema {
    struct Result {
        var robot: RobotParameters
        var mjcf: String
    }

    static func read(_ root: MappingReader) -> Result {
        let name = root.string("name")
        let mjcf = root.string("mjcf")
        let gravity = root.number("gravity_m_per_s2", .above(0, upTo: 100))
        let control = readControl(root.mapping("control"))
        let arm = readLink(root.mapping("arm"), isArm: true)
        let pendulum = readLink(root.mapping("pendulum"), isArm: false)
        let motor = readMotor(root.mapping("motor"))
        root.rejectUnknownKeys()
        let robot = RobotParameters(name: name, arm: arm, pendulum: pendulum, motor: motor,
                                    control: control, gravityMPerS2: gravity)
        return Result(robot: robot, mjcf: mjcf)
    }

    private static func readControl(_ m: MappingReader) -> ControlParameters {
        let control = ControlParameters(
            rateHz: m.number("rate_hz", .closed(1, 10_000)),
            latencyS: m.number("latency_s", .closed(0, 1)),
            physicsTimestepS: m.number("physics_timestep_s", .closed(1e-5, 0.1)))
        m.rejectUnknownKeys()
        return control
    }

    private static func readLink(_ m: MappingReader, isArm: Bool) -> LinkParameters {
        var link = LinkParameters(
            massKg: m.number("mass_kg", .closed(1e-4, 100)),
            lengthM: m.number("length_m", .closed(1e-3, 10)),
            comDistanceM: m.number("com_distance_m", .closed(0, 10)),
            inertiaAboutComKgM2: m.number("inertia_about_com_kg_m2", .closed(0, 10)),
            encoderCountsPerRevolution: m.integer("encoder_counts_per_rev", .closed(4, 16_777_216)),
            dampingNmsPerRad: m.number("damping_nms_per_rad", .closed(0, 100)))
        if isArm {
            link.rotorInertiaKgM2 = m.number("rotor_inertia_kg_m2", .closed(0, 1))
            link.softLimitRad = m.number("soft_limit_rad", .closed(0.1, Double.pi))
        }
        m.rejectUnknownKeys()
        return link
    }

    private static func readMotor(_ m: MappingReader) -> MotorParameters {
        let frictionReader = m.mapping("friction")
        let friction = FrictionParameters(
            coulombNm: frictionReader.number("coulomb_nm", .closed(0, 100)),
            staticNm: frictionReader.number("static_nm", .closed(0, 100)),
            stribeckVelocityRadPerS: frictionReader.number("stribeck_velocity_rad_per_s", .closed(1e-4, 1000)),
            smoothingVelocityRadPerS: frictionReader.number("smoothing_velocity_rad_per_s", .closed(1e-4, 1000)),
            viscousNmsPerRad: frictionReader.number("viscous_nms_per_rad", .closed(0, 100)))
        frictionReader.rejectUnknownKeys()
        let motor = MotorParameters(
            supplyVoltageV: m.number("supply_voltage_v", .closed(0.1, 1000)),
            resistanceOhm: m.number("resistance_ohm", .closed(1e-3, 1e4)),
            torqueConstantNmPerA: m.number("torque_constant_nm_per_a", .closed(1e-5, 10)),
            backEmfVsPerRad: m.number("back_emf_v_s_per_rad", .closed(1e-5, 10)),
            gearRatio: m.number("gear_ratio", .closed(0.01, 1e4)),
            currentLimitA: m.number("current_limit_a", .closed(1e-3, 1000)),
            lagTimeConstantS: m.number("lag_time_constant_s", .closed(0, 1)),
            bias: m.number("bias", .closed(-0.5, 0.5)),
            deadzone: m.number("deadzone", .halfOpen(0, 1)),
            gearGainPositive: m.number("gear_gain_positive", .closed(0.1, 1)),
            gearGainNegative: m.number("gear_gain_negative", .closed(0.1, 1)),
            friction: friction)
        m.rejectUnknownKeys()
        return motor
    }

    /// Relations between values that no single key's range can express.
    static func checkConsistency(_ robot: RobotParameters, sink: ProblemSink) {
        let steps = robot.control.periodS / robot.control.physicsTimestepS
        if abs(steps - steps.rounded()) > 1e-6 || steps < 1 {
            sink.report("control.physics_timestep_s",
                        "the control period 1/rate_hz = \(robot.control.periodS) s must be a whole number of physics steps")
        } else if steps > 1000 {
            sink.report("control.physics_timestep_s",
                        "the control period 1/rate_hz = \(robot.control.periodS) s is \(Int(steps.rounded())) physics steps; at most 1000 are allowed")
        }
        for (key, link) in [("arm", robot.arm), ("pendulum", robot.pendulum)] where link.comDistanceM > link.lengthM {
            sink.report("\(key).com_distance_m", "centre of mass \(link.comDistanceM) m lies beyond the link's length \(link.lengthM) m")
        }
        let f = robot.motor.friction
        if f.staticNm < f.coulombNm {
            sink.report("motor.friction.static_nm", "static friction \(f.staticNm) N·m is below Coulomb friction \(f.coulombNm) N·m")
        }
    }
}
