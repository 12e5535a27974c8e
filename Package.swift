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
    ],
    targets: [
        // MARK: dependency-free core shared by every side
        .target(name: "MotorModel"),
        .target(name: "PolicyFormat"),
        // Recordings of the robot (capture, training-session episodes); read by system identification.
        .target(name: "RobotRecording"),

        // MARK: C libraries from Debian's -dev packages, behind thin shims
        .systemLibrary(name: "CMuJoCo", path: "Sources/CMuJoCo"),
        .systemLibrary(name: "CUdev", path: "Sources/CUdev", pkgConfig: "libudev"),
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas"),
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
        .target(name: "RobotDescription", dependencies: ["MotorModel", "Yams"]),
        .target(name: "FirmwareLink", dependencies: ["FirmwareProtocol"]),
        .target(
            name: "Simulation",
            dependencies: ["CMuJoCo", "CMuJoCoGuard", "MotorModel", "PolicyFormat", "RobotDescription"]
        ),
        .target(
            name: "Trainer",
            dependencies: ["Simulation", "MotorModel", "PolicyFormat", "RobotDescription", "RobotRecording", "CBLAS"]
        ),
        // Never depends on Simulation, CMuJoCo or Trainer: the deploy binary runs without MuJoCo.
        .target(
            name: "Controller",
            dependencies: ["MotorModel", "PolicyFormat", "RobotDescription", "RobotRecording", "FirmwareLink", "CUdev", "CPlatform"]
        ),
        .target(
            name: "Twin",
            dependencies: ["Simulation", "MotorModel", "RobotDescription", "FirmwareLink"]
        ),

        // MARK: executables
        .executableTarget(
            name: "furuta",
            dependencies: [
                "RobotDescription", "MotorModel", "PolicyFormat", "RobotRecording", "Simulation", "Trainer", "Twin", "Yams",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "MallocInterposerSwift", package: "malloc-interposer"),
            ]
        ),
        .executableTarget(
            name: "furuta-controller",
            dependencies: [
                "Controller", "RobotDescription", "PolicyFormat", "RobotRecording", "FirmwareLink", "MotorModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: tests mirror Sources/
        .testTarget(name: "MotorModelTests", dependencies: ["MotorModel"]),
        .testTarget(name: "PolicyFormatTests", dependencies: ["PolicyFormat"]),
        .testTarget(name: "RobotRecordingTests", dependencies: ["RobotRecording"]),
        .testTarget(name: "RobotDescriptionTests", dependencies: ["RobotDescription", "MotorModel"]),
        .testTarget(name: "FirmwareLinkTests", dependencies: ["FirmwareLink", "FirmwareProtocol"]),
        .testTarget(name: "SimulationTests", dependencies: ["Simulation", "RobotDescription", "MotorModel", "PolicyFormat"]),
        .testTarget(name: "TrainerTests", dependencies: ["Trainer", "Simulation", "PolicyFormat", "RobotRecording", "RobotDescription", "MotorModel", "Controller", "Twin"]),
        .testTarget(
            name: "ControllerTests",
            dependencies: ["Controller", "FirmwareLink", "PolicyFormat", "MotorModel", "RobotDescription", "RobotRecording", "Twin", "Simulation"],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "TwinTests", dependencies: ["Twin", "FirmwareLink", "Simulation"]),
        .testTarget(name: "CommandLineTests", dependencies: ["RobotDescription"]),
    ]
)
