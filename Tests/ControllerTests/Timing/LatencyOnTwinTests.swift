import Controller
import Foundation
import PolicyFormat
import Testing
import Twin

extension RealTimeSessions {
    /// Deployment across the latency range robot.yaml declares (4 ms; the controller must work from
    /// 0 to 8 ms), and refusal of a link beyond what the policy was trained for.
    @Suite(.serialized) struct LatencyOnTwinTests {
        private func twin(replyDelay: Duration, commandDelay: Duration = .zero) throws -> VirtualDevice {
            let plant = try PhysicsPlant(description: ControllerFixtures.robot())
            var options = VirtualDevice.Options()
            options.link.deviceToHost.base = replyDelay
            options.link.hostToDevice.base = commandDelay
            let device = try VirtualDevice(plant: plant, options: options)
            device.start()
            return device
        }

        /// The fixture policy with a trained latency range written in (format version 2).
        private func policy(trained: TrainedLatency) throws -> String {
            var file = try PolicyFile(contentsOfFile: ControllerFixtures.swingUpPolicyPath)
            file.trainedLatency = trained
            return try ControllerFixtures.write(file)
        }

        @Test(arguments: [0, 4, 8])
        func deploymentSwingsUpAndHoldsWithAddedLatency(milliseconds: Int) throws {
            let robot = try ControllerFixtures.robot()
            let device = try twin(replyDelay: .milliseconds(milliseconds))
            defer { device.close() }
            let configuration = ControllerFixtures.configuration(policy: try policy(trained: TrainedLatency(minimumSeconds: 0, maximumSeconds: 0.010)),
                                                                 port: device.slavePath, robot: robot.parameters, seconds: 8)
            let session = try ControllerSession(configuration: configuration, robot: robot.parameters)
            let summary = try session.run()
            #expect(summary.outcome == "completed", "summary: \(summary.fault ?? "-") \(summary.safetyEvents.map(\.kind))")
            #expect(summary.fault == nil)
            #expect(summary.longestUprightS >= 4, "upright \(summary.longestUprightS) s")
            #expect(summary.motorStopConfirmed)
            let link = try #require(summary.link)
            // The measured round trip carries the added latency (the pty itself adds well under 2 ms).
            #expect(link.roundTripMedianMs >= Double(milliseconds) && link.roundTripMedianMs < Double(milliseconds) + 2, "link \(link)")
            #expect(summary.samplesMissed < summary.ticks / 50, "missed \(summary.samplesMissed) of \(summary.ticks)")
        }

        /// 8 ms on the replies and 4 ms on the commands: a 12 ms round trip, longer than the 10 ms
        /// period. Request/reply could not serve a single period; pipelined (the state answering
        /// the request of one period before), the policy — given a trained range of 0–15 ms —
        /// swings up and holds.
        @Test func deploymentOnALinkSlowerThanThePeriodIsPipelined() throws {
            let robot = try ControllerFixtures.robot()
            let device = try twin(replyDelay: .milliseconds(8), commandDelay: .milliseconds(4))
            defer { device.close() }
            let configuration = ControllerFixtures.configuration(policy: try policy(trained: TrainedLatency(minimumSeconds: 0, maximumSeconds: 0.015)),
                                                                 port: device.slavePath, robot: robot.parameters, seconds: 8)
            let session = try ControllerSession(configuration: configuration, robot: robot.parameters)
            let summary = try session.run()
            let link = try #require(summary.link)
            #expect(link.roundTripMedianMs >= 12 && link.roundTripMedianMs < 14, "link \(link)")
            #expect(link.pipelineDepth == 1, "link \(link)")
            #expect(summary.outcome == "completed", "summary: \(summary.fault ?? "-") \(summary.safetyEvents.map(\.kind))")
            #expect(summary.fault == nil)
            #expect(summary.motorStopConfirmed)
            #expect(summary.samplesMissed < summary.ticks / 50, "missed \(summary.samplesMissed) of \(summary.ticks)")
            #expect(summary.longestUprightS >= 4, "upright \(summary.longestUprightS) s")
        }

        /// 15 ms against a policy trained for 0–10 ms: refused before arming, naming both numbers;
        /// the device never applied a command.
        @Test func linkBeyondTheTrainedRangeIsRefusedAndTheMotorNeverMoves() throws {
            let robot = try ControllerFixtures.robot()
            let device = try twin(replyDelay: .milliseconds(15))
            defer { device.close() }
            let configuration = ControllerFixtures.configuration(policy: try policy(trained: TrainedLatency(minimumSeconds: 0, maximumSeconds: 0.010)),
                                                                 port: device.slavePath, robot: robot.parameters, seconds: 2)
            let session = try ControllerSession(configuration: configuration, robot: robot.parameters)
            #expect {
                _ = try session.run()
            } throws: { error in
                guard case .latencyOutsideTrainedRange(_, let measured, let trained)? = error as? ControllerError else { return false }
                let text = (error as! ControllerError).description
                return measured.medianSeconds >= 0.015 && trained.maximumSeconds == 0.010
                    && text.contains("0.00–10.00 ms") && text.contains("latency of 15.") && text.contains("nothing was armed")
            }
            #expect(device.snapshot.commandsApplied == 0)
            #expect(device.dutyChanges.allSatisfy { $0.dutyQ15 == 0 })
            #expect(device.snapshot.mode != .armed)
        }

        /// A link faster than a policy's minimum is outside too.
        @Test func linkBelowTheTrainedRangeIsRefused() throws {
            let robot = try ControllerFixtures.robot()
            let device = try twin(replyDelay: .zero)
            defer { device.close() }
            let configuration = ControllerFixtures.configuration(policy: try policy(trained: TrainedLatency(minimumSeconds: 0.004, maximumSeconds: 0.008)),
                                                                 port: device.slavePath, robot: robot.parameters, seconds: 2)
            let session = try ControllerSession(configuration: configuration, robot: robot.parameters)
            #expect(throws: ControllerError.self) { _ = try session.run() }
            #expect(device.snapshot.commandsApplied == 0)
        }

        /// A version 1 file records no range: accepted, with a warning that says so.
        @Test func policyWithoutATrainedRangeIsAcceptedWithAWarning() throws {
            let robot = try ControllerFixtures.robot()
            let device = try twin(replyDelay: .milliseconds(2))
            defer { device.close() }
            let configuration = ControllerFixtures.configuration(policy: ControllerFixtures.swingUpPolicyPath, port: device.slavePath,
                                                                 robot: robot.parameters, seconds: 1)
            let session = try ControllerSession(configuration: configuration, robot: robot.parameters)
            let messages = MessageLog()
            session.report = { messages.append($0) }
            let summary = try session.run()
            #expect(summary.fault == nil)
            #expect(summary.link?.trainedMaxMs == nil)
            #expect(messages.lines.contains { $0.contains("records no trained latency range") }, "\(messages.lines)")
        }
    }
}
