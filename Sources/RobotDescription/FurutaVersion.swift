/// The project's version, printed by `furuta --version` and `furuta-controller --version`: one
/// number for both binaries, the robot description schema and the policy files they write.
public enum FurutaVersion {
    public static let text = "0.9.0"
}
