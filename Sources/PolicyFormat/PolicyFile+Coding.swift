/// Reading and writing the `.policy` byte layout (docs/policy-format.md):
///
///     header   "FURUTAPL" · version u16 · flags u16 (0) · body length N u32
///     body     N bytes: robot, rate, layout, normaliser, network, action scaling, notes,
///              (version 2) trained latency, provenance pairs
///     trailer  CRC32 u32 over every byte before it
///
/// All numbers little-endian; floats IEEE-754 binary32, rates binary64.
extension PolicyFile {
    /// "FURUTAPL".
    public static let magic: [UInt8] = Array("FURUTAPL".utf8)
    /// Header (16) plus trailer (4): the smallest possible file.
    static let headerSize = 16
    static let trailerSize = 4

    /// The file's bytes. Throws if the policy is invalid (see `validate()`).
    public func encoded() throws(PolicyFileError) -> [UInt8] {
        try validate()
        var body = ByteWriter()
        body.write(robotIdentity)
        body.write(robotName)
        body.write(controlRateHz)
        let layout = observationLayout
        body.write(UInt32(layout.features.count))
        for feature in layout.features { body.write(feature.rawValue) }
        body.write(UInt32(layout.historyLength))
        body.write(UInt32(layout.actionCount))
        body.write(UInt32(layout.armCountsPerRevolution))
        body.write(UInt32(layout.pendulumCountsPerRevolution))
        body.write(layout.velocitySmoothing)
        body.write(UInt32(normalization.size))
        body.write(normalization.epsilon)
        body.write(normalization.clip)
        body.write(normalization.mean)
        body.write(normalization.variance)
        body.write(UInt32(layers.count))
        for layer in layers {
            body.write(UInt32(layer.inputCount))
            body.write(UInt32(layer.outputCount))
            body.write(layer.activation.rawValue)
            body.write(layer.weights)
            body.write(layer.biases)
        }
        body.write(UInt32(actionScaling.count))
        body.write(actionScaling.squash.rawValue)
        body.write(actionScaling.scale)
        body.write(actionScaling.offset)
        body.write(notes)
        // Version 2: trained latency (presence byte, then min and max seconds), provenance pairs.
        if let latency = trainedLatency {
            body.write(UInt8(1))
            body.write(latency.minimumSeconds)
            body.write(latency.maximumSeconds)
        } else {
            body.write(UInt8(0))
        }
        let pairs = provenance.pairs
        body.write(UInt32(pairs.count))
        for (key, value) in pairs {
            body.write(key)
            body.write(value)
        }

        var file = ByteWriter()
        file.append(Self.magic)
        file.write(Self.currentVersion)
        file.write(UInt16(0))
        file.write(UInt32(body.bytes.count))
        file.append(body.bytes)
        file.write(CRC32.checksum(file.bytes))
        return file.bytes
    }

    /// Read and validate a policy file: length, magic, version, CRC, then contents, shapes and
    /// finiteness. Throws the first problem as a `PolicyFileError`.
    public init(decoding bytes: [UInt8]) throws(PolicyFileError) {
        let minimum = Self.headerSize + Self.trailerSize
        guard bytes.count >= Self.magic.count, Array(bytes[0..<Self.magic.count]) == Self.magic else {
            if bytes.count < Self.magic.count, Array(Self.magic.prefix(bytes.count)) == bytes {
                throw .truncated(expectedBytes: minimum, actualBytes: bytes.count)
            }
            throw .badMagic
        }
        guard bytes.count >= minimum else { throw .truncated(expectedBytes: minimum, actualBytes: bytes.count) }
        var header = ByteReader(bytes, from: Self.magic.count)
        let version = try header.read(UInt16.self)
        guard Self.readableVersions.contains(version) else {
            throw .unsupportedVersion(found: version, supported: Self.currentVersion)
        }
        let flags = try header.read(UInt16.self)
        let bodyLength = Int(try header.read(UInt32.self))
        let expected = Self.headerSize + bodyLength + Self.trailerSize
        guard bytes.count >= expected else { throw .truncated(expectedBytes: expected, actualBytes: bytes.count) }
        guard bytes.count == expected else {
            throw .invalidValue("\(bytes.count - expected) unexpected bytes after the checksum; the file was appended to or is not one policy")
        }
        let crcOffset = expected - Self.trailerSize
        var trailer = ByteReader(bytes, from: crcOffset)
        let stored = try trailer.read(UInt32.self)
        let computed = CRC32.checksum(bytes[0..<crcOffset])
        guard stored == computed else { throw .checksumMismatch(stored: stored, computed: computed) }
        guard flags == 0 else { throw .invalidValue("header flags 0x\(String(flags, radix: 16)) are not defined in version \(version)") }

        var body = ByteReader(bytes, from: Self.headerSize, to: crcOffset)
        let identity = try body.read(UInt64.self)
        let name = try body.readString()
        let rate = try body.readDouble()

        let featureCount = try body.readCount("feature count", limit: 256)
        var features: [ObservationFeature] = []
        for _ in 0..<featureCount {
            let raw = try body.read(UInt8.self)
            guard let feature = ObservationFeature(rawValue: raw) else {
                throw .invalidValue("unknown observation feature code \(raw); this policy needs a newer controller")
            }
            features.append(feature)
        }
        let historyLength = try body.readCount("history length", limit: 4096)
        let actionCount = try body.readCount("action count", limit: 256)
        let armCounts = try body.readCount("arm counts per revolution", limit: Int(UInt32.max))
        let pendulumCounts = try body.readCount("pendulum counts per revolution", limit: Int(UInt32.max))
        let smoothing = try body.readDouble()
        let layout = ObservationLayout(features: features, historyLength: historyLength, actionCount: actionCount,
                                       armCountsPerRevolution: armCounts, pendulumCountsPerRevolution: pendulumCounts,
                                       velocitySmoothing: smoothing)

        let normalizerSize = try body.readCount("normaliser size")
        let epsilon = try body.readFloat()
        let clip = try body.readFloat()
        let mean = try body.readFloats(normalizerSize)
        let variance = try body.readFloats(normalizerSize)
        let normalization = ObservationNormalization(mean: mean, variance: variance, epsilon: epsilon, clip: clip)

        let layerCount = try body.readCount("layer count", limit: 64)
        var layers: [DenseLayer] = []
        for index in 0..<layerCount {
            let inputs = try body.readCount("layer \(index) input count")
            let outputs = try body.readCount("layer \(index) output count")
            let code = try body.read(UInt8.self)
            guard let activation = Activation(rawValue: code) else {
                throw .invalidValue("layer \(index) has unknown activation code \(code); this policy needs a newer controller")
            }
            guard inputs * outputs <= 1 << 26 else { throw .invalidValue("layer \(index) is \(inputs)×\(outputs), too large") }
            let weights = try body.readFloats(inputs * outputs)
            let biases = try body.readFloats(outputs)
            layers.append(DenseLayer(inputCount: inputs, outputCount: outputs, activation: activation,
                                     weights: weights, biases: biases))
        }

        let scalingCount = try body.readCount("action scaling size", limit: 256)
        let squashCode = try body.read(UInt8.self)
        guard let squash = ActionScaling.Squash(rawValue: squashCode) else {
            throw .invalidValue("unknown action squash code \(squashCode)")
        }
        let scale = try body.readFloats(scalingCount)
        let offset = try body.readFloats(scalingCount)
        let notes = try body.readString()
        var trainedLatency: TrainedLatency?
        var provenance = PolicyProvenance()
        if version >= 2 {
            switch try body.read(UInt8.self) {
            case 0: break
            case 1: trainedLatency = TrainedLatency(minimumSeconds: try body.readDouble(), maximumSeconds: try body.readDouble())
            case let code: throw .invalidValue("trained latency presence byte is \(code), expected 0 or 1")
            }
            let pairCount = try body.readCount("provenance entries", limit: 256)
            var pairs: [(key: String, value: String)] = []
            for _ in 0..<pairCount { pairs.append((try body.readString(), try body.readString())) }
            provenance = PolicyProvenance(pairs: pairs)
        }
        guard body.offset == crcOffset else {
            throw .invalidValue("\(crcOffset - body.offset) unread bytes at the end of the body; the body length field is wrong")
        }

        self.init(robotIdentity: identity, robotName: name, controlRateHz: rate, observationLayout: layout,
                  normalization: normalization, layers: layers,
                  actionScaling: ActionScaling(squash: squash, scale: scale, offset: offset), notes: notes,
                  trainedLatency: trainedLatency, provenance: provenance)
        try validate()
    }
}
