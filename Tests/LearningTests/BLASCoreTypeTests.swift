import Testing
@testable import Learning

@Suite struct BLASCoreTypeTests {
    @Test func avx512MachinesGetTheSkylakeXKernels() {
        #expect(BLASCoreType.preferred(cpuFlags: ["sse3", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512dq", "avx512vl"]) == "SkylakeX")
    }

    @Test func avx2WithoutFullAVX512GetsHaswell() {
        #expect(BLASCoreType.preferred(cpuFlags: ["avx", "avx2", "fma", "avx512f"]) == "Haswell")
    }

    @Test func olderOrUnknownCPUsKeepOpenBLASsOwnChoice() {
        #expect(BLASCoreType.preferred(cpuFlags: ["sse3", "avx"]) == nil)
        #expect(BLASCoreType.preferred(cpuFlags: []) == nil)
    }

    @Test func thisMachinesFlagsAreRead() {
        // /proc/cpuinfo always lists some flags on Linux; x86-64 has at least sse2.
        let flags = BLASCoreType.cpuFlags()
        #expect(flags.contains("sse2") || flags.contains("fp") || flags.contains("asimd"))
    }
}
