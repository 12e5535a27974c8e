import Testing
@testable import View

@Suite struct FrameHubTests {
    private func frame(_ t: Double) -> ViewFrame { ViewFrame(timeS: t, armAngleRad: 0, pendulumAngleRad: t, duty: 0, mode: "test") }

    @Test func aFastSourceIsThinnedToTheBrowserRate() {
        let hub = FrameHub(sourceDescription: "test", maximumRateHz: 50)
        for k in 0..<1000 { hub.publish(frame(Double(k) * 0.001)) } // 1 s at 1 kHz
        #expect(hub.framesPublished == 50)
    }

    @Test func aRestartedSourceIsShownAtOnce() {
        let hub = FrameHub(sourceDescription: "test", maximumRateHz: 10)
        hub.publish(frame(5))
        hub.publish(frame(0))
        #expect(hub.latest?.timeS == 0)
    }

    @Test func pageMessagesSetTheControls() {
        let hub = FrameHub(sourceDescription: "test")
        hub.receive(#"{"duty": 3.5}"#)
        hub.receive(#"{"speed": 4}"#)
        hub.receive(#"{"restart": true}"#)
        hub.receive("not json")
        hub.receive(#"{"speed": -1}"#)
        #expect(hub.controls == FrameHub.Controls(keyboardDuty: 1, speed: 4, restarts: 1))
    }

    @Test func framesAreJSONWithUnitsImpliedByTheirNames() throws {
        let json = ViewFrame(timeS: 1.5, armAngleRad: -0.25, pendulumAngleRad: .pi, duty: 0.5, mode: "policy").json()
        #expect(json == #"{"t":1.5,"arm":-0.25,"pendulum":3.1416,"arm_velocity":0,"pendulum_velocity":0,"duty":0.5,"mode":"policy"}"#)
        #expect(ViewFrame(timeS: .nan, armAngleRad: 0, pendulumAngleRad: 0, duty: 0, mode: "x").json().contains(#""t":null"#))
    }
}
