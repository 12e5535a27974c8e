/// NumPy arrays and scalars as they appear in a pickle, read as data:
///
///     array:  numpy.(_)core.multiarray._reconstruct(numpy.ndarray, (0,), b'b')
///             BUILD (version, shape, dtype, is_fortran, raw bytes)
///     dtype:  numpy.dtype('f8', False, True)  BUILD (3, '<', …)
///     scalar: numpy.(_)core.multiarray.scalar(dtype, raw bytes)
///     array, protocol 5: numpy.(_)core.numeric._frombuffer(raw bytes, dtype, shape, order)
///
/// Float and integer dtypes of either byte order are decoded; anything else is refused by name.
enum PickledNumPy {
    /// Values (row-major) of a pickled array or scalar, or a plain Python number; nil if `value`
    /// is none of these.
    static func values(_ value: PickleValue, label: String) throws(PolicyImportError) -> (shape: [Int], values: [Double])? {
        switch value {
        case .float(let d): return ([], [d])
        case .int(let i): return ([], [Double(i)])
        case .object(let o):
            guard let function = o.callable.typeName else { return nil }
            if function.hasSuffix("multiarray._reconstruct") {
                guard case .tuple(let state)? = o.state, state.count == 5,
                      let shape = state[1].tupleItems?.compactMap(\.int), let fortran = state[3].bool else {
                    throw .malformed("\(label): a NumPy array with an unexpected pickled state")
                }
                let (code, size, bigEndian) = try dtype(state[2], label: label)
                let count = shape.reduce(1, *)
                guard case .bytes(let raw) = state[4] else {
                    throw .unsupported("\(label): a NumPy array of Python objects (dtype \(code)); only numeric arrays are read")
                }
                guard raw.count == count * size else {
                    throw .malformed("\(label): a NumPy array of shape \(shape) holds \(raw.count) bytes, expected \(count * size)")
                }
                var values = (0..<count).map { decode(raw, at: $0 * size, code: code, size: size, bigEndian: bigEndian) }
                if fortran && shape.count > 1 { values = fortranToRowMajor(values, shape: shape) }
                return (shape, values)
            }
            if function.hasSuffix("numeric._frombuffer") {
                // Protocol 5: _frombuffer(buffer, dtype, shape, order).
                guard o.arguments.count == 4, case .bytes(let raw) = o.arguments[0],
                      let shape = o.arguments[2].tupleItems?.compactMap(\.int) else {
                    throw .malformed("\(label): a NumPy array (_frombuffer) with unexpected arguments")
                }
                let (code, size, bigEndian) = try dtype(o.arguments[1], label: label)
                let count = shape.reduce(1, *)
                guard raw.count == count * size else {
                    throw .malformed("\(label): a NumPy array of shape \(shape) holds \(raw.count) bytes, expected \(count * size)")
                }
                var values = (0..<count).map { decode(raw, at: $0 * size, code: code, size: size, bigEndian: bigEndian) }
                if o.arguments[3].string == "F" && shape.count > 1 { values = fortranToRowMajor(values, shape: shape) }
                return (shape, values)
            }
            if function.hasSuffix("multiarray.scalar") {
                guard o.arguments.count == 2, case .bytes(let raw) = o.arguments[1] else {
                    throw .malformed("\(label): a NumPy scalar with unexpected arguments")
                }
                let (code, size, bigEndian) = try dtype(o.arguments[0], label: label)
                guard raw.count == size else { throw .malformed("\(label): a NumPy scalar of \(raw.count) bytes for dtype \(code)") }
                return ([], [decode(raw, at: 0, code: code, size: size, bigEndian: bigEndian)])
            }
            return nil
        default:
            return nil
        }
    }

    /// (kind letter, byte size, big-endian) of a pickled `numpy.dtype('f8', …)`.
    private static func dtype(_ value: PickleValue, label: String) throws(PolicyImportError) -> (String, Int, Bool) {
        guard case .object(let o) = value, o.callable.typeName?.hasSuffix("dtype") == true,
              let code = o.arguments.first?.string, let kind = code.first, let size = Int(code.dropFirst()) else {
            throw .malformed("\(label): a NumPy array without a readable dtype")
        }
        guard (kind == "f" && [2, 4, 8].contains(size)) || ((kind == "i" || kind == "u") && [1, 2, 4, 8].contains(size)) || (kind == "b" && size == 1) else {
            throw .unsupported("\(label): NumPy dtype '\(code)'; only float and integer arrays are read")
        }
        var bigEndian = false
        if case .tuple(let state)? = o.state, state.count > 1, state[1].string == ">" { bigEndian = true }
        return (String(kind), size, bigEndian)
    }

    private static func decode(_ raw: [UInt8], at i: Int, code: String, size: Int, bigEndian: Bool) -> Double {
        var v: UInt64 = 0
        for k in 0..<size { v |= UInt64(raw[i + (bigEndian ? size - 1 - k : k)]) << (8 * k) }
        switch (code, size) {
        case ("f", 8): return Double(bitPattern: v)
        case ("f", 4): return Double(Float(bitPattern: UInt32(v)))
        case ("f", 2):
            // binary16: sign, 5-bit exponent, 10-bit fraction.
            let h = UInt16(v), sign: Double = h & 0x8000 != 0 ? -1 : 1
            let e = Int(h >> 10 & 0x1F), f = Double(h & 0x3FF)
            if e == 0 { return sign * f * 0x1p-24 }
            if e == 31 { return f == 0 ? sign * .infinity : .nan }
            return sign * (1 + f / 1024) * Double(sign: .plus, exponent: e - 15, significand: 1)
        case ("i", _):
            let shift = UInt64(64 - 8 * size)
            return Double(Int64(bitPattern: v << shift) >> Int64(shift))
        default: return Double(v)
        }
    }

    private static func fortranToRowMajor(_ values: [Double], shape: [Int]) -> [Double] {
        var out = values
        let n = shape.count
        var index = [Int](repeating: 0, count: n)
        for flat in 0..<values.count {
            // Column-major address of the row-major index.
            var address = 0, step = 1
            for d in 0..<n { address += index[d] * step; step *= shape[d] }
            out[flat] = values[address]
            var d = n - 1
            while d >= 0 { index[d] += 1; if index[d] < shape[d] { break }; index[d] = 0; d -= 1 }
        }
        return out
    }
}
