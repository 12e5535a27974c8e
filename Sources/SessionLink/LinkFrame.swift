/// One message of the controller–learner link: [length: UInt32 big-endian][kind: UInt8][payload],
/// length counting kind and payload. Integers in payloads are UInt32 big-endian.
public struct LinkFrame: Sendable, Equatable {
    public enum Kind: UInt8, Sendable {
        // The handshake (`LinkHandshake`).
        case hello = 1, proof = 2, accepted = 3, refused = 4
        // Controller → learner: an episode as it runs, its end, a whole file, what the folder holds.
        case episodeStart = 10, episodeRows = 11, episodeComplete = 12, episodeFile = 13, inventory = 14
        // Learner → controller: an episode it lacks, a candidate policy with its exploration.
        case want = 20, policy = 21
    }

    public var kind: Kind
    public var payload: [UInt8]

    public init(_ kind: Kind, _ payload: [UInt8] = []) {
        self.kind = kind
        self.payload = payload
    }

    /// Frames above this are refused as corrupt (an episode log of 10 min at 100 Hz is ~12 MB).
    public static let maximumLength = 64 << 20

    public var encoded: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(payload.count + 5)
        Self.append(UInt32(payload.count + 1), to: &out)
        out.append(kind.rawValue)
        out.append(contentsOf: payload)
        return out
    }

    static func append(_ value: UInt32, to out: inout [UInt8]) {
        out.append(UInt8(value >> 24)); out.append(UInt8((value >> 16) & 0xFF))
        out.append(UInt8((value >> 8) & 0xFF)); out.append(UInt8(value & 0xFF))
    }

    static func uint32(_ bytes: ArraySlice<UInt8>) -> UInt32? {
        guard bytes.count >= 4 else { return nil }
        let i = bytes.startIndex
        return UInt32(bytes[i]) << 24 | UInt32(bytes[i + 1]) << 16 | UInt32(bytes[i + 2]) << 8 | UInt32(bytes[i + 3])
    }

    // MARK: payloads

    /// An episode number followed by bytes (episodeStart, episodeRows, episodeComplete, episodeFile, want).
    public static func episode(_ kind: Kind, _ index: Int, _ bytes: [UInt8] = []) -> LinkFrame {
        var payload: [UInt8] = []
        append(UInt32(index), to: &payload)
        payload.append(contentsOf: bytes)
        return LinkFrame(kind, payload)
    }

    /// The episode number and the bytes after it.
    public var episodePayload: (index: Int, bytes: ArraySlice<UInt8>)? {
        guard let index = Self.uint32(payload[...]) else { return nil }
        return (Int(index), payload[4...])
    }

    public static func inventory(_ indices: [Int]) -> LinkFrame {
        var payload: [UInt8] = []
        for i in indices { append(UInt32(i), to: &payload) }
        return LinkFrame(.inventory, payload)
    }

    public var inventoryIndices: [Int] {
        stride(from: 0, to: payload.count - payload.count % 4, by: 4).compactMap { Self.uint32(payload[$0..<($0 + 4)]).map(Int.init) }
    }

    /// A candidate: its number, the .policy bytes and its exploration (JSON).
    public static func policy(number: Int, policy: [UInt8], exploration: [UInt8]) -> LinkFrame {
        var payload: [UInt8] = []
        append(UInt32(number), to: &payload)
        append(UInt32(policy.count), to: &payload)
        payload.append(contentsOf: policy)
        payload.append(contentsOf: exploration)
        return LinkFrame(.policy, payload)
    }

    public var policyPayload: (number: Int, policy: [UInt8], exploration: [UInt8])? {
        guard let number = Self.uint32(payload[...]), let length = Self.uint32(payload[4...]),
              payload.count >= 8 + Int(length) else { return nil }
        return (Int(number), Array(payload[8..<(8 + Int(length))]), Array(payload[(8 + Int(length))...]))
    }
}
