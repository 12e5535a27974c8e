import CMuJoCo
import CMuJoCoGuard

/// An `mjModel` (MuJoCo 2.2.2, C API). Loaded once and shared read-only by a template, or
/// copied per environment so that each env can carry its own randomised physics.
/// All C calls on the model live in this file.
public final class MuJoCoModel: @unchecked Sendable {
    /// The C model. Mutated only through `withMutableModel` before the model is shared.
    let pointer: UnsafeMutablePointer<mjModel>

    private init(pointer: UnsafeMutablePointer<mjModel>) { self.pointer = pointer }

    deinit { mj_deleteModel(pointer) }

    /// Load an MJCF file (`mj_loadXML`). Throws MuJoCo's parser message on failure.
    public static func load(mjcfPath path: String) throws(MuJoCoError) -> MuJoCoModel {
        furuta_mj_install_error_handler()
        var buffer = [CChar](repeating: 0, count: 1000)
        let loaded = furuta_mj_load_xml(path, &buffer, Int32(buffer.count))
        guard let loaded else {
            let message = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw MuJoCoError("MuJoCo could not load \(path): \(message.isEmpty ? "unknown error" : message)")
        }
        return MuJoCoModel(pointer: loaded)
    }

    /// An independent copy (`mj_copyModel`).
    public func copy() throws(MuJoCoError) -> MuJoCoModel {
        guard let copied = furuta_mj_copy_model(pointer) else {
            throw MuJoCoError("mj_copyModel failed: \(String(cString: furuta_mj_last_error()))")
        }
        return MuJoCoModel(pointer: copied)
    }

    public var timestep: Double {
        get { pointer.pointee.opt.timestep }
        set { pointer.pointee.opt.timestep = newValue }
    }

    public var gravityZ: Double {
        get { pointer.pointee.opt.gravity.2 }
        set { pointer.pointee.opt.gravity.2 = newValue }
    }

    /// Index of a named object (`mj_name2id`), nil when absent.
    public func id(of type: mjtObj, named name: String) -> Int? {
        let id = mj_name2id(pointer, Int32(type.rawValue), name)
        return id < 0 ? nil : Int(id)
    }

    public func bodyID(_ name: String) -> Int? { id(of: mjOBJ_BODY, named: name) }
    public func jointID(_ name: String) -> Int? { id(of: mjOBJ_JOINT, named: name) }

    /// Index of a joint's first dof and of its first qpos entry.
    public func dofAddress(joint: Int) -> Int { Int(pointer.pointee.jnt_dofadr[joint]) }
    public func qposAddress(joint: Int) -> Int { Int(pointer.pointee.jnt_qposadr[joint]) }

    // MARK: inertial and joint properties (written when physics is set or randomised)

    public func setBodyMass(_ body: Int, _ mass: Double) { pointer.pointee.body_mass[body] = mass }
    /// Centre of mass in the body frame (`body_ipos`).
    public func setBodyCenterOfMass(_ body: Int, _ x: Double, _ y: Double, _ z: Double) {
        pointer.pointee.body_ipos[3 * body] = x
        pointer.pointee.body_ipos[3 * body + 1] = y
        pointer.pointee.body_ipos[3 * body + 2] = z
    }
    /// Principal inertia about the centre of mass (`body_inertia`), kg·m².
    public func setBodyInertia(_ body: Int, _ ixx: Double, _ iyy: Double, _ izz: Double) {
        pointer.pointee.body_inertia[3 * body] = ixx
        pointer.pointee.body_inertia[3 * body + 1] = iyy
        pointer.pointee.body_inertia[3 * body + 2] = izz
    }
    /// Position of a body's frame in its parent's (`body_pos`).
    public func setBodyPosition(_ body: Int, _ x: Double, _ y: Double, _ z: Double) {
        pointer.pointee.body_pos[3 * body] = x
        pointer.pointee.body_pos[3 * body + 1] = y
        pointer.pointee.body_pos[3 * body + 2] = z
    }
    public func setDofDamping(_ dof: Int, _ value: Double) { pointer.pointee.dof_damping[dof] = value }
    /// Rotor inertia reflected to the joint (`dof_armature`), kg·m².
    public func setDofArmature(_ dof: Int, _ value: Double) { pointer.pointee.dof_armature[dof] = value }

    /// Recompute derived constants after inertial changes (`mj_setConst`).
    public func recomputeConstants(using data: MuJoCoData) {
        mj_setConst(pointer, data.pointer)
    }
}

/// Check that a fatal MuJoCo error is caught and turned into a Swift error (used by tests).
public func mujocoErrorGuardCatches(_ message: String) -> Bool {
    furuta_mj_install_error_handler()
    return furuta_mj_raise_guarded_error(message) == 0
}
