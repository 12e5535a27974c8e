/// The recording file, version 1: UTF-8 text, `\n` line ends, in four parts.
///
///     furuta-recording 1                       magic and format version
///     robot_name: furuta-desktop               header: `key: value`, one per line; the
///     robot_identity: 0x0123456789abcdef       required keys first (see `requiredKeys`),
///     arm_counts_per_rev: 4096                 then free metadata (excitation, ...)
///     ...
///     columns: episode,tick,host_time_ns,device_time_us,arm_counts,pendulum_counts,action,duty_commanded,duty_applied
///     0,1234,12340000000,567890,-3,8191,0.25,0.27,0.26          one row per sample (CSV)
///     ...
///     end: rows=6000 crc32=0x1a2b3c4d          trailer
///
/// The trailer carries the number of rows and the CRC-32 (zlib's) of every byte before the
/// trailer line. A file without it was cut short (`truncated`); a wrong count or checksum, an
/// unparsable line or a clock going backwards is `corrupt`. Numbers are written so they read
/// back bit-identical (Swift's shortest round-trip form).
public enum RecordingFormat {
    public static let magic = "furuta-recording"
    public static let version = 1
    public static let columns = ["episode", "tick", "host_time_ns", "device_time_us", "arm_counts", "pendulum_counts",
                                 "action", "duty_commanded", "duty_applied"]
    /// Header keys every recording has, in this order.
    public static let requiredKeys = ["robot_name", "robot_identity", "arm_counts_per_rev", "pendulum_counts_per_rev",
                                      "control_rate_hz", "arm_zero_counts", "pendulum_zero_counts", "source"]

    static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 16 - digits.count)) + digits
    }
}

extension RobotRecording {
    /// The file's text (see `RecordingFormat`).
    public func encoded() -> String {
        var body = "\(RecordingFormat.magic) \(RecordingFormat.version)\n"
        let h = header
        let fields: [(String, String)] = [
            ("robot_name", h.robotName), ("robot_identity", h.identityText),
            ("arm_counts_per_rev", "\(h.armCountsPerRevolution)"), ("pendulum_counts_per_rev", "\(h.pendulumCountsPerRevolution)"),
            ("control_rate_hz", "\(h.controlRateHz)"), ("arm_zero_counts", "\(h.armZeroCounts)"),
            ("pendulum_zero_counts", "\(h.pendulumZeroCounts)"), ("source", h.source),
        ] + h.metadata.map { ($0.key, $0.value) }
        for (key, value) in fields { body += "\(key): \(Self.oneLine(value))\n" }
        body += "columns: \(RecordingFormat.columns.joined(separator: ","))\n"
        for s in samples {
            body += "\(s.episode),\(s.tick),\(s.hostTimeNanoseconds),\(s.deviceTimeMicroseconds),\(s.armCounts),"
                + "\(s.pendulumCounts),\(s.action),\(s.dutyCommanded),\(s.dutyApplied)\n"
        }
        let crc = RecordingCRC32.checksum(body.utf8)
        return body + "end: rows=\(samples.count) crc32=0x\(String(crc, radix: 16))\n"
    }

    private static func oneLine(_ value: String) -> String {
        String(value.map { $0 == "\n" || $0 == "\r" ? " " : $0 })
    }

    /// Parses a recording's text; `file` names it in errors.
    public init(decoding text: String, file: String) throws(RecordingError) {
        func corrupt(_ line: Int, _ detail: String) -> RecordingError { .corrupt(file: file, line: line, detail) }
        // Split keeping byte offsets: the checksum covers everything before the trailer line.
        let bytes = Array(text.utf8)
        var lines: [(start: Int, end: Int)] = []
        var start = 0
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            lines.append((start, index))
            start = index + 1
        }
        let unterminated = start < bytes.count
        if unterminated { lines.append((start, bytes.count)) }
        func line(_ i: Int) -> String { String(decoding: bytes[lines[i].start..<lines[i].end], as: UTF8.self) }

        guard !lines.isEmpty, line(0).hasPrefix(RecordingFormat.magic + " ") else {
            throw .notARecording(file: file)
        }
        guard let version = Int(line(0).dropFirst(RecordingFormat.magic.count + 1)), version == RecordingFormat.version else {
            throw .unsupportedVersion(file: file, found: String(line(0).dropFirst(RecordingFormat.magic.count + 1)))
        }
        // The trailer must be the last, complete line.
        guard !unterminated, let lastIndex = lines.indices.last, line(lastIndex).hasPrefix("end: ") else {
            throw .truncated(file: file, lines: lines.count)
        }
        let trailer = line(lastIndex)
        var expectedRows: Int?, expectedCRC: UInt32?
        for part in trailer.dropFirst(5).split(separator: " ") {
            if part.hasPrefix("rows=") { expectedRows = Int(part.dropFirst(5)) }
            if part.hasPrefix("crc32=0x") { expectedCRC = UInt32(part.dropFirst(8), radix: 16) }
        }
        guard let expectedRows, let expectedCRC else { throw corrupt(lastIndex + 1, "the end line must read `end: rows=N crc32=0x…`") }
        let actualCRC = RecordingCRC32.checksum(bytes[0..<lines[lastIndex].start])
        guard actualCRC == expectedCRC else {
            throw .checksumMismatch(file: file, expected: expectedCRC, found: actualCRC)
        }

        // Header.
        var values: [String: String] = [:]
        var metadata: [RecordingMetadata] = []
        var index = 1
        while index < lastIndex, !line(index).hasPrefix("columns: ") {
            let text = line(index)
            guard let colon = text.firstIndex(of: ":") else { throw corrupt(index + 1, "expected `key: value`, found '\(text)'") }
            let key = String(text[..<colon])
            let value = String(text[text.index(after: colon)...]).trimmingLeadingSpaces()
            if RecordingFormat.requiredKeys.contains(key) { values[key] = value } else { metadata.append(.init(key, value)) }
            index += 1
        }
        for key in RecordingFormat.requiredKeys where values[key] == nil {
            throw corrupt(index + 1, "the header lacks `\(key)`")
        }
        func integer<T: FixedWidthInteger>(_ key: String, _: T.Type) throws(RecordingError) -> T {
            guard let v = T(values[key]!) else { throw corrupt(0, "`\(key)` must be a whole number, found '\(values[key]!)'") }
            return v
        }
        let identityText = values["robot_identity"]!
        guard identityText.hasPrefix("0x"), let identity = UInt64(identityText.dropFirst(2), radix: 16) else {
            throw corrupt(0, "`robot_identity` must be 0x and hex digits, found '\(identityText)'")
        }
        guard let rate = Double(values["control_rate_hz"]!), rate > 0 else {
            throw corrupt(0, "`control_rate_hz` must be a positive number, found '\(values["control_rate_hz"]!)'")
        }
        let armCounts = try integer("arm_counts_per_rev", Int.self), pendulumCounts = try integer("pendulum_counts_per_rev", Int.self)
        guard armCounts > 0, pendulumCounts > 0 else { throw corrupt(0, "encoder counts per revolution must be positive") }
        let header = RecordingHeader(
            robotName: values["robot_name"]!, robotIdentity: identity, armCountsPerRevolution: armCounts,
            pendulumCountsPerRevolution: pendulumCounts, controlRateHz: rate,
            armZeroCounts: try integer("arm_zero_counts", Int32.self),
            pendulumZeroCounts: try integer("pendulum_zero_counts", Int32.self),
            source: values["source"]!, metadata: metadata)

        // Rows.
        guard index < lastIndex else { throw corrupt(index + 1, "the `columns:` line is missing") }
        let columns = line(index).dropFirst("columns: ".count).split(separator: ",").map(String.init)
        guard columns == RecordingFormat.columns else {
            throw corrupt(index + 1, "expected columns \(RecordingFormat.columns.joined(separator: ",")), found \(columns.joined(separator: ","))")
        }
        var samples: [RecordingSample] = []
        samples.reserveCapacity(lastIndex - index)
        for rowIndex in (index + 1)..<lastIndex {
            let fields = line(rowIndex).split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == columns.count,
                  let episode = Int(fields[0]), let tick = Int64(fields[1]), let host = Int64(fields[2]),
                  let device = UInt64(fields[3]), let arm = Int32(fields[4]), let pendulum = Int32(fields[5]),
                  let action = Double(fields[6]), let commanded = Double(fields[7]), let applied = Double(fields[8]) else {
                throw corrupt(rowIndex + 1, "a row needs \(columns.count) numbers (\(columns.joined(separator: ","))), found '\(line(rowIndex))'")
            }
            if let previous = samples.last, device <= previous.deviceTimeMicroseconds, episode == previous.episode {
                throw corrupt(rowIndex + 1, "the device clock does not advance (\(previous.deviceTimeMicroseconds) µs, then \(device) µs)")
            }
            samples.append(RecordingSample(episode: episode, tick: tick, hostTimeNanoseconds: host, deviceTimeMicroseconds: device,
                                           armCounts: arm, pendulumCounts: pendulum, action: action,
                                           dutyCommanded: commanded, dutyApplied: applied))
        }
        guard samples.count == expectedRows else {
            throw corrupt(lastIndex + 1, "the end line promises \(expectedRows) rows, the file has \(samples.count)")
        }
        self.init(header: header, samples: samples)
    }
}

extension String {
    fileprivate func trimmingLeadingSpaces() -> String { String(drop { $0 == " " }) }
}
