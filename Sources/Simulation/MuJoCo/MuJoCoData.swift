import CMuJoCo
import CMuJoCoGuard

/// An `mjData`: the state of one simulated pendulum. One per env, never shared between threads
/// at the same time. All C calls on the data live in this file.
public final class MuJoCoData: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<mjData>
    /// The model this data belongs to (kept alive with it).
    public let model: MuJoCoModel

    public init(model: MuJoCoModel) throws(MuJoCoError) {
        guard let data = furuta_mj_make_data(model.pointer) else {
            throw MuJoCoError("mj_makeData failed: \(String(cString: furuta_mj_last_error()))")
        }
        self.pointer = data
        self.model = model
    }

    deinit { mj_deleteData(pointer) }

    /// `mj_resetData`: time 0, qpos = qpos0, everything else zero. It clears the whole arena
    /// (stack included), which dominated env time when done per episode; `resetState` is the
    /// cheap reset used between episodes.
    public func reset() { mj_resetData(model.pointer, pointer) }

    /// Reset only the state an unconstrained model carries between steps: time, qpos = qpos0,
    /// velocities, activations, controls, warm-start accelerations and applied forces.
    public func resetState() {
        let m = model.pointer.pointee, d = pointer.pointee
        pointer.pointee.time = 0
        for i in 0..<Int(m.nq) { d.qpos[i] = m.qpos0[i] }
        for i in 0..<Int(m.nv) { d.qvel[i] = 0; d.qacc_warmstart[i] = 0; d.qfrc_applied[i] = 0 }
        for i in 0..<Int(m.na) { d.act[i] = 0 }
        for i in 0..<Int(m.nu) { d.ctrl[i] = 0 }
        for i in 0..<(6 * Int(m.nbody)) { d.xfrc_applied[i] = 0 }
    }

    /// One physics step (`mj_step`). Throws MuJoCo's message on a fatal error.
    @inline(__always)
    public func step() throws(MuJoCoError) {
        if furuta_mj_step(model.pointer, pointer) != 0 {
            throw MuJoCoError("mj_step failed: \(String(cString: furuta_mj_last_error()))")
        }
    }

    /// `mj_step` called directly, without the error guard: the baseline of `furuta bench sim`.
    @inline(__always)
    public func unguardedStep() { mj_step(model.pointer, pointer) }

    /// Recompute positions and derived quantities without advancing time (`mj_forward`).
    public func forward() throws(MuJoCoError) {
        if furuta_mj_forward(model.pointer, pointer) != 0 {
            throw MuJoCoError("mj_forward failed: \(String(cString: furuta_mj_last_error()))")
        }
    }

    public var time: Double {
        get { pointer.pointee.time }
        set { pointer.pointee.time = newValue }
    }

    @inline(__always) public func qpos(_ i: Int) -> Double { pointer.pointee.qpos[i] }
    @inline(__always) public func setQpos(_ i: Int, _ v: Double) { pointer.pointee.qpos[i] = v }
    @inline(__always) public func qvel(_ i: Int) -> Double { pointer.pointee.qvel[i] }
    @inline(__always) public func setQvel(_ i: Int, _ v: Double) { pointer.pointee.qvel[i] = v }
    /// Generalised force applied by the user on a dof (`qfrc_applied`), N·m for hinges.
    @inline(__always) public func setAppliedForce(_ dof: Int, _ v: Double) { pointer.pointee.qfrc_applied[dof] = v }

    /// Everything `mj_step` reads of the state for this unconstrained model (plus the solver's
    /// warm start), for checkpoints that must resume bit for bit.
    public struct State: Sendable, Codable, Equatable {
        public var time: Double
        public var qpos: [Double]
        public var qvel: [Double]
        public var act: [Double]
        public var qaccWarmstart: [Double]
    }

    public var state: State {
        let m = model.pointer.pointee, d = pointer.pointee
        return State(time: d.time,
                     qpos: (0..<Int(m.nq)).map { d.qpos[$0] }, qvel: (0..<Int(m.nv)).map { d.qvel[$0] },
                     act: (0..<Int(m.na)).map { d.act[$0] },
                     qaccWarmstart: (0..<Int(m.nv)).map { d.qacc_warmstart[$0] })
    }

    /// Put back a saved state and recompute derived quantities (`mj_forward`).
    public func restore(_ state: State) throws(MuJoCoError) {
        let m = model.pointer.pointee, d = pointer.pointee
        guard state.qpos.count == Int(m.nq), state.qvel.count == Int(m.nv), state.act.count == Int(m.na) else {
            throw MuJoCoError("saved state does not fit this model (nq \(m.nq), nv \(m.nv), na \(m.na))")
        }
        pointer.pointee.time = state.time
        for i in state.qpos.indices { d.qpos[i] = state.qpos[i] }
        for i in state.qvel.indices { d.qvel[i] = state.qvel[i]; d.qacc_warmstart[i] = state.qaccWarmstart[i] }
        for i in state.act.indices { d.act[i] = state.act[i] }
        try forward()
    }

    /// Kinetic plus potential energy (`mj_energyPos` + `mj_energyVel`), J.
    /// MuJoCo computes energy only with the `energy` enable flag; it is switched on for the call.
    public func totalEnergy() -> Double {
        let flags = model.pointer.pointee.opt.enableflags
        model.pointer.pointee.opt.enableflags = flags | Int32(mjENBL_ENERGY.rawValue)
        mj_energyPos(model.pointer, pointer)
        mj_energyVel(model.pointer, pointer)
        model.pointer.pointee.opt.enableflags = flags
        return pointer.pointee.energy.0 + pointer.pointee.energy.1
    }
}
