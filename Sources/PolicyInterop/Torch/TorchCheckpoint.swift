/// A file written by `torch.save` (PyTorch ≥ 1.6): a zip archive holding `PREFIX/data.pkl` (the
/// pickled object, with tensors as `torch._utils._rebuild_tensor_v2(storage, offset, size,
/// stride, …)` calls and storages as persistent ids `("storage", torch.FloatStorage, key,
/// location, numel)`) and each storage's raw little-endian bytes in `PREFIX/data/KEY`. Read
/// without PyTorch: the pickle is decoded as inert data (`PickleReader`) and only the tensor
/// shapes above are interpreted.
public struct TorchCheckpoint: Sendable {
    public let root: PickleValue
    private let archive: ZipArchive
    private let prefix: String
    private let label: String

    public init(bytes: [UInt8], label: String) throws(PolicyImportError) {
        if bytes.count >= 2, bytes[0] == 0x80, bytes[1] == 0x02 {
            throw .unsupported("\(label) uses PyTorch's legacy serialization (before 1.6, or _use_new_zipfile_serialization=False); load and re-save it with torch.save in PyTorch ≥ 1.6")
        }
        archive = try ZipArchive(bytes: bytes, label: label)
        guard let pickle = archive.names.first(where: { $0 == "data.pkl" || $0.hasSuffix("/data.pkl") }) else {
            throw .malformed("\(label) is a zip archive but not a PyTorch checkpoint (no data.pkl inside)")
        }
        prefix = String(pickle.dropLast("data.pkl".count))
        self.label = label
        if let order = try? archive.contents(of: prefix + "byteorder"), String(decoding: order, as: UTF8.self) != "little" {
            throw .unsupported("\(label) was saved on a big-endian machine; re-save it on a little-endian one")
        }
        root = try PickleReader.read(try archive.contents(of: pickle), label: "\(label):\(pickle)")
    }

    /// The tensor a pickled value stands for, or nil when it is not a tensor.
    public func tensor(_ value: PickleValue) throws(PolicyImportError) -> Tensor? {
        guard case .object(let call) = value, let function = call.callable.typeName else { return nil }
        switch function {
        case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state":
            guard let data = call.arguments.first else { return nil }
            return try tensor(data)
        case "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor":
            let a = call.arguments
            guard a.count >= 4, case .persistent(let id) = a[0], let offset = a[1].int,
                  let size = a[2].tupleItems?.compactMap(\.int), let stride = a[3].tupleItems?.compactMap(\.int),
                  size.count == stride.count else {
                throw .malformed("\(label): a tensor record has an unexpected shape")
            }
            return try gather(storage: id, offset: offset, size: size, stride: stride)
        default:
            return nil
        }
    }

    /// `(key, tensor)` for every tensor value of a state dict (an `OrderedDict` of name → tensor).
    public func stateDict(_ value: PickleValue, what: String) throws(PolicyImportError) -> [(key: String, tensor: Tensor)] {
        guard let entries = value.stringKeyedEntries else {
            throw .malformed("\(label): \(what) is not a dictionary of tensors")
        }
        var out: [(key: String, tensor: Tensor)] = []
        for (key, item) in entries {
            if let t = try tensor(item) { out.append((key, t)) }
        }
        return out
    }

    private static let elementTypes: [String: (dtype: String, size: Int)] = [
        "FloatStorage": ("float32", 4), "DoubleStorage": ("float64", 8), "HalfStorage": ("float16", 2),
        "BFloat16Storage": ("bfloat16", 2), "LongStorage": ("int64", 8), "IntStorage": ("int32", 4),
        "ShortStorage": ("int16", 2), "CharStorage": ("int8", 1), "ByteStorage": ("uint8", 1), "BoolStorage": ("bool", 1),
    ]

    private func gather(storage id: PickleValue, offset: Int, size: [Int], stride: [Int]) throws(PolicyImportError) -> Tensor {
        guard let parts = id.tupleItems, parts.count >= 5, parts[0].string == "storage",
              case .global(_, let typeName) = parts[1], let key = parts[2].string else {
            throw .malformed("\(label): a tensor's storage reference has an unexpected shape")
        }
        guard let element = Self.elementTypes[typeName] else {
            throw .unsupported("\(label): tensor storage type \(typeName); only float, integer and bool storages are read")
        }
        let raw = try archive.contents(of: prefix + "data/" + key)
        let count = size.reduce(1, *)
        var values = [Double](repeating: 0, count: count)
        guard size.allSatisfy({ $0 >= 0 }), stride.allSatisfy({ $0 >= 0 }), offset >= 0 else {
            throw .malformed("\(label): a tensor has a negative size, stride or offset")
        }
        if count > 0 {
            let last = offset + zip(size, stride).reduce(0) { $0 + ($1.0 - 1) * $1.1 }
            guard (last + 1) * element.size <= raw.count else {
                throw .malformed("\(label): tensor storage \(key) has \(raw.count) bytes, too few for shape \(size); the file is truncated")
            }
        }
        // Row-major walk over the index space, element address = offset + Σ index_d · stride_d.
        var index = [Int](repeating: 0, count: size.count)
        for flat in 0..<count {
            var address = offset
            for d in 0..<size.count { address += index[d] * stride[d] }
            values[flat] = Self.decode(raw, at: address * element.size, dtype: element.dtype)
            var d = size.count - 1
            while d >= 0 {
                index[d] += 1
                if index[d] < size[d] { break }
                index[d] = 0
                d -= 1
            }
        }
        return Tensor(shape: size, values: values, dtype: element.dtype)
    }

    private static func decode(_ raw: [UInt8], at i: Int, dtype: String) -> Double {
        func bits(_ n: Int) -> UInt64 {
            var v: UInt64 = 0
            for k in 0..<n { v |= UInt64(raw[i + k]) << (8 * k) }
            return v
        }
        switch dtype {
        case "float32": return Double(Float(bitPattern: UInt32(bits(4))))
        case "float64": return Double(bitPattern: bits(8))
        case "float16": return Double(halfToFloat(UInt16(bits(2))))
        case "bfloat16": return Double(Float(bitPattern: UInt32(bits(2)) << 16))
        case "int64": return Double(Int64(bitPattern: bits(8)))
        case "int32": return Double(Int32(bitPattern: UInt32(bits(4))))
        case "int16": return Double(Int16(bitPattern: UInt16(bits(2))))
        case "int8": return Double(Int8(bitPattern: raw[i]))
        default: return Double(raw[i])  // uint8, bool
        }
    }

    /// IEEE binary16 → binary32, exactly.
    private static func halfToFloat(_ h: UInt16) -> Float {
        let sign: Float = h & 0x8000 != 0 ? -1 : 1
        let exponent = Int(h >> 10 & 0x1F), fraction = Float(h & 0x3FF)
        if exponent == 0 { return sign * fraction * Float(sign: .plus, exponent: -24, significand: 1) }
        if exponent == 31 { return fraction == 0 ? sign * .infinity : .nan }
        return sign * (1 + fraction / 1024) * Float(sign: .plus, exponent: exponent - 15, significand: 1)
    }
}
