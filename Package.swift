// swift-tools-version: 6.1
// Furuta: from a simulated policy to a real rotary inverted pendulum, in Swift.
// Module map and the rules of who may import whom: docs/architecture.md.
import PackageDescription

let package = Package(
    name: "Furuta",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "furuta", targets: ["furuta"]),
        .executable(name: "furuta-controller", targets: ["furuta-controller"]),
        .library(name: "MotorModel", targets: ["MotorModel"]),
        .library(name: "PolicyFormat", targets: ["PolicyFormat"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/ordo-one/malloc-interposer", from: "1.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // MARK: dependency-free core shared by every side
        .target(name: "MotorModel"),
        // The one monotonic clock (CLOCK_MONOTONIC): the loop's schedule, budgets, benchmarks.
        .target(name: "MonotonicTime"),
        // The one random-number source (SplitMix64, xoshiro256**), shared by learning and deploy sides.
        .target(name: "RandomNumbers"),
        // Reads capped by size and refused for non-regular files; atomic writes to regular files only.
        .target(name: "RegularFiles"),
        .target(name: "PolicyFormat", dependencies: ["RegularFiles", "RandomNumbers"]),
        // TensorBoard event files (TFRecord + hand-encoded Event protobuf); no dependencies.
        .target(name: "TensorBoard"),
        // SVG figures (and PNG through rsvg-convert) of runs, deployment logs and trajectories.
        .target(name: "Plotting"),
        // Recordings of the robot (capture, training-session episodes); read by system identification.
        .target(name: "RobotRecording"),
        // The swing-up task's success criterion and the judgement of recorded runs by it: shared by
        // the learning side (evaluation, `eval --log`) and the controller (a session's successes).
        .target(name: "SwingUpCriterion"),

        // MARK: C libraries from Debian's -dev packages, behind thin shims
        .systemLibrary(name: "CMuJoCo", path: "Sources/CMuJoCo"),
        .systemLibrary(name: "CUdev", path: "Sources/CUdev", pkgConfig: "libudev"),
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib"),
        // setjmp/longjmp around MuJoCo calls so a fatal MuJoCo error cannot abort the process.
        .target(name: "CMuJoCoGuard", dependencies: ["CMuJoCo"]),
        // CPU_SET, prctl and an async-signal-safe stop-signal handler for the control loop.
        .target(name: "CPlatform"),

        // MARK: the wire protocol and portable firmware core (C11, also built for the ESP32)
        .target(
            name: "FirmwareProtocol",
            path: "firmware-protocol",
            exclude: ["PROTOCOL.md", "vectors", "esp32", "tests", "Makefile"],
            sources: ["src"],
            publicHeadersPath: "include",
            cSettings: [.unsafeFlags(["-std=c11"])]
        ),

        // MARK: host-side modules
        .target(name: "RobotDescription", dependencies: ["MotorModel", "RegularFiles", "Yams"]),
        .target(name: "FirmwareLink", dependencies: ["FirmwareProtocol", "CPlatform"]),
        // The controller–learner link of a training session: framed messages over a Unix-domain or
        // TCP socket, both peers authenticated by HMAC-SHA256 over a shared secret (docs/sessions.md).
        .target(name: "SessionLink", dependencies: ["MonotonicTime", .product(name: "Crypto", package: "swift-crypto")]),
        // MuJoCo-free learning core: random numbers, env contract, task, numerics, PPO, SAC.
        .target(name: "Learning", dependencies: ["PolicyFormat", "CBLAS", "MonotonicTime", "RandomNumbers", "RegularFiles", "SwingUpCriterion"]),
        // ONNX export and PyTorch-checkpoint import of policies (no PyTorch, no protobuf library).
        .target(name: "PolicyInterop", dependencies: ["PolicyFormat", "CZlib"]),
        .target(
            name: "Simulation",
            dependencies: ["CMuJoCo", "CMuJoCoGuard", "Learning", "MotorModel", "PolicyFormat", "RobotDescription"]
        ),
        .target(
            name: "Trainer",
            dependencies: ["Learning", "Simulation", "MotorModel", "PolicyFormat", "RobotDescription", "RobotRecording", "TensorBoard", "MonotonicTime", "RegularFiles"]
        ),
        // Never depends on Simulation, CMuJoCo or Trainer: the deploy binary runs without MuJoCo.
        .target(
            name: "Controller",
            dependencies: ["MotorModel", "PolicyFormat", "RobotDescription", "RobotRecording", "FirmwareLink", "CUdev", "CPlatform", "RegularFiles", "MonotonicTime", "RandomNumbers", "SessionLink", "SwingUpCriterion"]
        ),
        .target(
            name: "Twin",
            dependencies: ["Simulation", "Learning", "MotorModel", "RobotDescription", "FirmwareLink", "FirmwareProtocol"]
        ),

        // The `furuta view` web page and its sources (simulation, replay, controller telemetry).
        .target(
            name: "View",
            dependencies: [
                "Simulation", "PolicyFormat", "RobotDescription", "Plotting", "Controller", "Twin", "RegularFiles",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // swift-log for the binaries' diagnostics on stderr, and the `--log-level` option group.
        .target(
            name: "CommandLogging",
            dependencies: [
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // MARK: executables
        .executableTarget(
            name: "furuta",
            dependencies: [
                "RobotDescription", "MotorModel", "PolicyFormat", "PolicyInterop", "Learning", "Simulation", "Trainer", "Twin", "Yams", "Plotting", "View", "RobotRecording",
                "RegularFiles", "Controller", "FirmwareLink", "SessionLink",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "MallocInterposerSwift", package: "malloc-interposer"),
                "CommandLogging", .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "furuta-controller",
            dependencies: [
                "Controller", "RobotDescription", "PolicyFormat", "FirmwareLink", "MotorModel", "RegularFiles", "RobotRecording", "SessionLink",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                "CommandLogging", .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // MARK: tests mirror Sources/
        .testTarget(name: "MotorModelTests", dependencies: ["MotorModel"]),
        .testTarget(name: "PolicyFormatTests", dependencies: ["PolicyFormat"]),
        .testTarget(name: "TensorBoardTests", dependencies: ["TensorBoard"]),
        .testTarget(name: "PlottingTests", dependencies: ["Plotting"]),
        .testTarget(
            name: "ViewTests",
            dependencies: [
                "View", "RobotDescription", "Controller", "Twin", "FirmwareLink",
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "RegularFilesTests", dependencies: ["RegularFiles"]),
        .testTarget(name: "RobotRecordingTests", dependencies: ["RobotRecording"]),
        .testTarget(name: "SwingUpCriterionTests", dependencies: ["SwingUpCriterion"]),
        .testTarget(name: "RobotDescriptionTests", dependencies: ["RobotDescription", "MotorModel"]),
        .testTarget(name: "FirmwareLinkTests", dependencies: ["FirmwareLink", "FirmwareProtocol"]),
        .testTarget(name: "SessionLinkTests", dependencies: ["SessionLink"]),
        .testTarget(name: "SimulationTests", dependencies: ["Simulation", "Learning", "RobotDescription", "MotorModel", "PolicyFormat"]),
        .testTarget(name: "LearningTests", dependencies: ["Learning", "PolicyFormat"]),
        .testTarget(name: "TrainerTests", dependencies: ["Trainer", "Learning", "Simulation", "PolicyFormat", "RobotRecording", "RobotDescription", "MotorModel", "Controller", "Twin", "Plotting"],
                    exclude: ["Fixtures"]),
        .testTarget(
            name: "ControllerTests",
            dependencies: ["Controller", "FirmwareLink", "PolicyFormat", "MotorModel", "RobotDescription", "RobotRecording", "Twin", "Simulation", "Learning", "SessionLink", "SwingUpCriterion"],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "PolicyInteropTests", dependencies: ["PolicyInterop", "PolicyFormat"], exclude: ["Fixtures", "Scripts"]),
        .testTarget(name: "TwinTests", dependencies: ["Twin", "FirmwareLink", "Simulation", "Learning"]),
        .testTarget(name: "CommandLineTests", dependencies: ["RobotDescription", "PolicyFormat", "TensorBoard"]),
    ]
)
