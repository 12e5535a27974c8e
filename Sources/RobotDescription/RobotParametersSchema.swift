import MotorModel

/// The layout of robot.yaml: which keys exist, their types and ranges, and how they map onto
/// `RobotParameters`. Key names carry their units.
enum RobotParametersSchema {
    struct Result {
        var robot: RobotParameters
        var mjcf: String
    }

    static func read(_ root: MappingReader) -> Result {
        let name = root.string("name")
        let mjcf = root.string("mjcf")
        let gravity = root.number("gravity_m_per_s2", .positive)
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
            rateHz: m.number("rate_hz", .positive),
            latencyS: m.number("latency_s", .nonNegative),
            physicsTimestepS: m.number("physics_timestep_s", .positive))
        m.rejectUnknownKeys()
        return control
    }

    private static func readLink(_ m: MappingReader, isArm: Bool) -> LinkParameters {
        var link = LinkParameters(
            massKg: m.number("mass_kg", .positive),
            lengthM: m.number("length_m", .positive),
            comDistanceM: m.number("com_distance_m", .nonNegative),
            inertiaAboutComKgM2: m.number("inertia_about_com_kg_m2", .nonNegative),
            encoderCountsPerRevolution: m.integer("encoder_counts_per_rev", .positive),
            dampingNmsPerRad: m.number("damping_nms_per_rad", .nonNegative))
        if isArm {
            link.rotorInertiaKgM2 = m.number("rotor_inertia_kg_m2", .nonNegative)
            link.softLimitRad = m.number("soft_limit_rad", .closed(0.1, Double.pi))
        }
        m.rejectUnknownKeys()
        return link
    }

    private static func readMotor(_ m: MappingReader) -> MotorParameters {
        let frictionReader = m.mapping("friction")
        let friction = FrictionParameters(
            coulombNm: frictionReader.number("coulomb_nm", .nonNegative),
            staticNm: frictionReader.number("static_nm", .nonNegative),
            stribeckVelocityRadPerS: frictionReader.number("stribeck_velocity_rad_per_s", .positive),
            smoothingVelocityRadPerS: frictionReader.number("smoothing_velocity_rad_per_s", .positive),
            viscousNmsPerRad: frictionReader.number("viscous_nms_per_rad", .nonNegative))
        frictionReader.rejectUnknownKeys()
        let motor = MotorParameters(
            supplyVoltageV: m.number("supply_voltage_v", .positive),
            resistanceOhm: m.number("resistance_ohm", .positive),
            torqueConstantNmPerA: m.number("torque_constant_nm_per_a", .positive),
            backEmfVsPerRad: m.number("back_emf_v_s_per_rad", .positive),
            gearRatio: m.number("gear_ratio", .positive),
            currentLimitA: m.number("current_limit_a", .positive),
            lagTimeConstantS: m.number("lag_time_constant_s", .nonNegative),
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
