import Foundation
import MotorModel
import RobotDescription
import RegularFiles
import RobotRecording

/// Loads recordings and refuses those of another robot: the recording's identity must be the
/// description's, or one the description was tuned from (`TunedDescription.baseIdentities`),
/// and the encoders and control rate must agree.
public enum RecordingCheck {
    /// The largest recording read: ~60 bytes a row at 100 Hz makes 256 MiB over 12 hours.
    static let maximumBytes = 256 << 20

    public static func load(_ paths: [String], for description: RobotDescription) throws(SystemIdentificationError) -> [RobotRecording] {
        let robot = description.parameters
        let text = (try? String(contentsOfFile: description.sourcePath, encoding: .utf8)) ?? ""
        let accepted = Set([robot.identity] + TunedDescription.baseIdentities(in: text))
        var recordings: [RobotRecording] = []
        for path in paths {
            let recording: RobotRecording
            // Capped and refused unless a regular file: `--recording /dev/zero` or a FIFO never hangs.
            let bytes: [UInt8]
            do { bytes = try RegularFile.read(path, limit: Self.maximumBytes, what: "a recording from furuta-controller capture") } catch {
                throw .recording(.cannotRead(file: path, reason: error.reason))
            }
            do { recording = try RobotRecording(decoding: String(decoding: bytes, as: UTF8.self), file: path) } catch { throw .recording(error) }
            let h = recording.header
            guard accepted.contains(h.robotIdentity) else {
                throw .otherRobot(file: path, recordingName: h.robotName, recordingIdentity: h.identityText,
                                  robotFile: description.sourcePath, robotName: robot.name,
                                  robotIdentity: "0x" + String(robot.identity, radix: 16))
            }
            if h.armCountsPerRevolution != robot.arm.encoderCountsPerRevolution
                || h.pendulumCountsPerRevolution != robot.pendulum.encoderCountsPerRevolution {
                throw .encoderMismatch(file: path, detail: "encoders \(h.armCountsPerRevolution)/\(h.pendulumCountsPerRevolution) counts/rev, "
                    + "the description says \(robot.arm.encoderCountsPerRevolution)/\(robot.pendulum.encoderCountsPerRevolution)")
            }
            guard recording.durationSeconds >= 1 else { throw .tooShort(file: path, seconds: recording.durationSeconds) }
            recordings.append(recording)
        }
        return recordings
    }
}
