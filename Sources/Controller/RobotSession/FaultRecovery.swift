/// What a training session does after an episode that ended in a fault.
///
/// A fault ends its episode in a safe stop, and the next episode's reset (`ActiveReset`, which
/// may bring the arm back from beyond its hard limit while the zero is from the same boot) puts
/// the robot where an episode starts: a late state, a tripped device watchdog, overruns, the arm
/// at a limit, a policy's NaN — their cause is gone with the episode, and the next episode's
/// handshake, latency check and fresh states show whether the link is sound again. Those count
/// towards `--max-consecutive-faults`.
///
/// Some faults mean the device's readings or the device itself cannot be trusted, or a person
/// acted: a reset built on them could drive the arm the wrong way. The session pauses after
/// those (`stop_reason` `device_untrusted`, exit 3, resumable) with what to do. Homing's own
/// refusals, an arm found beyond the recovery limit and a device that restarted pause as
/// `reset_failed` (`ResetCheck.pauseMessage`, `ControllerError.deviceRestarted`).
public enum FaultRecovery {
    /// The message for a fault after which the session must pause, nil when the next episode's
    /// reset may bring the robot back.
    public static func untrustedMessage(fault: String) -> String? {
        switch fault {
        case SafetyEventKind.deviceEmergencyStop.name:
            "the device's emergency stop was triggered during the episode: find out why and clear it before resuming"
        case SafetyEventKind.deviceClockBackwards.name, SafetyEventKind.deviceClockJump.name:
            "the device's clock went backwards or jumped ahead of the host's: its states cannot be trusted "
                + "(a firmware or link fault); check the cable and the firmware, power the device off, centre the arm by hand, "
                + "power it on"
        case SafetyEventKind.deviceReset.name:
            "the device restarted during the episode: its encoders now count from wherever the arm and pendulum stood; "
                + "power it off, centre the arm by hand, power it on"
        case SafetyEventKind.framesLost.name:
            "frames from the device vanished: another program is reading its port; close it"
        case SafetyEventKind.telemetryLost.name:
            "the episode's log could not be written (disk full?): free space in the session folder"
        default: nil
        }
    }
}
