import Learning
import MotorModel

/// Per-episode randomisation of the physics, so a policy trained on it tolerates the real
/// robot's differences from the nominal description. Scale ranges multiply the nominal value;
/// offset ranges add to it. A range of 1...1 (scales) or 0...0 (offsets) switches a term off.
public struct DomainRandomization: Sendable, Equatable, Codable {
    /// Scale of both links' masses.
    public var massScale: ClosedRange<Double> = 0.85...1.15
    /// Scale of both links' lengths (centres of mass and inertias follow).
    public var lengthScale: ClosedRange<Double> = 0.95...1.05
    /// Scale of the arm's Coulomb and static friction.
    public var frictionScale: ClosedRange<Double> = 0.5...1.5
    /// Scale of viscous damping at both joints.
    public var dampingScale: ClosedRange<Double> = 0.5...2.0
    /// Scale of the torque and back-EMF constants.
    public var motorConstantScale: ClosedRange<Double> = 0.9...1.1
    /// Scale of the armature resistance.
    public var resistanceScale: ClosedRange<Double> = 0.9...1.1
    /// Offset added to the deadzone (clamped to [0, 0.5]).
    public var deadzoneOffset: ClosedRange<Double> = -0.02...0.02
    /// Offset added to the bias.
    public var biasOffset: ClosedRange<Double> = -0.01...0.01
    /// Scale of the lag time constant.
    public var lagScale: ClosedRange<Double> = 0.5...2.0
    /// Action delay in physics steps, drawn uniformly per episode: the robot's sensor-to-motor
    /// latency. 0…5 steps of 2 ms = 0–10 ms = 0 … 2.5 × robot.yaml's `control.latency_s` (4 ms):
    /// the controller accepts links from 0 to twice the declared latency, and the link adds a
    /// little on top of any figure (USB frames, the device's loop), hence the half-latency margin.
    /// The exported policy records this range (`PolicyFile.trainedLatency`).
    public var delaySteps: ClosedRange<Int> = 0...5

    public init() {}

    /// No randomisation: the nominal robot, with the delay fixed at `delaySteps`.
    public static func none(delaySteps: Int) -> DomainRandomization {
        var r = DomainRandomization()
        r.massScale = 1...1; r.lengthScale = 1...1; r.frictionScale = 1...1; r.dampingScale = 1...1
        r.motorConstantScale = 1...1; r.resistanceScale = 1...1; r.deadzoneOffset = 0...0
        r.biasOffset = 0...0; r.lagScale = 1...1; r.delaySteps = delaySteps...delaySteps
        return r
    }

    /// Draw one episode's robot and delay.
    public func sample(_ nominal: RobotParameters, _ rng: inout Xoshiro256StarStar) -> (RobotParameters, Int) {
        var r = nominal
        let mass = rng.uniform(massScale), length = rng.uniform(lengthScale)
        // Written out per link: an array of key paths here allocated on every episode reset.
        Self.scale(&r.arm, mass: mass, length: length)
        Self.scale(&r.pendulum, mass: mass, length: length)
        let friction = rng.uniform(frictionScale)
        r.motor.friction.coulombNm *= friction
        r.motor.friction.staticNm *= friction
        let damping = rng.uniform(dampingScale)
        r.motor.friction.viscousNmsPerRad *= damping
        r.pendulum.dampingNmsPerRad *= damping
        let constant = rng.uniform(motorConstantScale)
        r.motor.torqueConstantNmPerA *= constant
        r.motor.backEmfVsPerRad *= constant
        r.motor.resistanceOhm *= rng.uniform(resistanceScale)
        r.motor.deadzone = min(max(r.motor.deadzone + rng.uniform(deadzoneOffset), 0), 0.5)
        r.motor.bias += rng.uniform(biasOffset)
        r.motor.lagTimeConstantS *= rng.uniform(lagScale)
        let span = UInt64(delaySteps.upperBound - delaySteps.lowerBound + 1)
        let delay = delaySteps.lowerBound + Int(rng.next() % span)
        return (r, delay)
    }

    /// Mass × m, lengths × l, inertia about the centre of mass × m·l² (a scaled rigid body).
    private static func scale(_ link: inout LinkParameters, mass m: Double, length l: Double) {
        link.massKg *= m
        link.lengthM *= l
        link.comDistanceM *= l
        link.inertiaAboutComKgM2 *= m * l * l
    }
}
