import Foundation

/// OpenBLAS picks its kernels from the CPU model at load time; on virtual machines that report a
/// generic model ("Intel Xeon Processor") it falls back to its Prescott (SSE3) kernels, which ran
/// 4–6× slower than the AVX-512 ones for the trainer's shapes here (1024×64×64: 18 vs 91 GFLOP/s).
/// `OPENBLAS_CORETYPE` overrides the choice but is read when the library loads, before `main`,
/// so `furuta` sets it from the CPU's feature flags and re-executes itself once.
public enum BLASCoreType {
    /// The OpenBLAS core type this CPU's flags support best, or nil to leave OpenBLAS's choice.
    public static func preferred(cpuFlags: Set<String>) -> String? {
        if cpuFlags.isSuperset(of: ["avx512f", "avx512bw", "avx512dq", "avx512vl"]) { return "SkylakeX" }
        if cpuFlags.isSuperset(of: ["avx2", "fma"]) { return "Haswell" }
        return nil
    }

    /// The feature flags of the first CPU in /proc/cpuinfo (empty elsewhere).
    public static func cpuFlags() -> Set<String> {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let colon = line.firstIndex(of: ":") else { return [] }
        return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
    }

    /// Re-execute this process with `OPENBLAS_CORETYPE` set, unless it is set already (by the
    /// user, or by the first execution) or there is nothing better to choose. Returns only when
    /// no re-execution happened.
    public static func reexecuteWithPreferredCoreIfNeeded() {
        let environment = ProcessInfo.processInfo.environment
        guard environment["OPENBLAS_CORETYPE"] == nil, let core = preferred(cpuFlags: cpuFlags()) else { return }
        setenv("OPENBLAS_CORETYPE", core, 1)
        // The resolved path, not /proc/self/exe itself: the kernel names the process after the
        // file executed, and "exe" in ps and top told nobody it was furuta. argv is passed on.
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        execv(executable, CommandLine.unsafeArgv)
        // execv returned: it failed; carry on with OpenBLAS's own choice.
    }
}
