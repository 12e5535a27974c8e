/// Decodes Python pickles (protocols 0–5) into `PickleValue` trees without executing anything:
/// the pickle virtual machine's stack, mark stack and memo, with every opcode that builds data
/// implemented and every opcode that would run code (`GLOBAL`, `REDUCE`, `BUILD`, `NEWOBJ`, `INST`,
/// `OBJ`) turned into an inert record. Extension registry codes and out-of-band buffers are
/// refused. Every read is bounds-checked: a truncated pickle is an error, never a crash.
public struct PickleReader {
    private let bytes: [UInt8]
    private let label: String
    private var position = 0
    private var stack: [PickleValue] = []
    private var marks: [Int] = []
    private var memo: [Int: PickleValue] = [:]

    /// Decode `bytes`; `label` names it in messages (e.g. "policy.pth/archive/data.pkl").
    public static func read(_ bytes: [UInt8], label: String) throws(PolicyImportError) -> PickleValue {
        var reader = PickleReader(bytes: bytes, label: label)
        return try reader.run()
    }

    private init(bytes: [UInt8], label: String) {
        self.bytes = bytes
        self.label = label
    }

    private func fail(_ what: String) -> PolicyImportError {
        .malformed("\(label): \(what) (pickle byte \(position))")
    }

    // MARK: reading bytes

    private mutating func take(_ count: Int) throws(PolicyImportError) -> ArraySlice<UInt8> {
        guard count >= 0, position + count <= bytes.count else {
            throw fail("the pickle ends early; the file is truncated")
        }
        defer { position += count }
        return bytes[position..<position + count]
    }

    private mutating func byte() throws(PolicyImportError) -> UInt8 { try take(1).first! }

    private mutating func unsignedLittleEndian(_ count: Int) throws(PolicyImportError) -> UInt64 {
        var v: UInt64 = 0
        for (k, b) in try take(count).enumerated() { v |= UInt64(b) << (8 * k) }
        return v
    }

    private mutating func length(_ count: Int) throws(PolicyImportError) -> Int {
        let n = try unsignedLittleEndian(count)
        guard n <= UInt64(bytes.count) else { throw fail("a length of \(n) exceeds the pickle's size; the file is damaged") }
        return Int(n)
    }

    /// A text line (protocol 0 arguments), without its newline.
    private mutating func line() throws(PolicyImportError) -> String {
        guard let end = bytes[position...].firstIndex(of: 0x0A) else { throw fail("the pickle ends inside a text argument") }
        defer { position = end + 1 }
        return String(decoding: bytes[position..<end], as: UTF8.self)
    }

    // MARK: the stack

    private mutating func pop() throws(PolicyImportError) -> PickleValue {
        guard let top = stack.popLast(), stack.count >= (marks.last ?? 0) else { throw fail("stack underflow; the pickle is damaged") }
        return top
    }

    private mutating func popToMark() throws(PolicyImportError) -> [PickleValue] {
        guard let mark = marks.popLast(), mark <= stack.count else { throw fail("no MARK on the stack; the pickle is damaged") }
        let items = Array(stack[mark...])
        stack.removeSubrange(mark...)
        return items
    }

    private mutating func top() throws(PolicyImportError) -> PickleValue {
        guard let last = stack.last else { throw fail("stack underflow; the pickle is damaged") }
        return last
    }

    private mutating func append(_ items: [PickleValue], to target: PickleValue) throws(PolicyImportError) {
        switch target {
        case .list(let list): list.items.append(contentsOf: items)
        case .object(let object): object.listItems.append(contentsOf: items)
        default: throw fail("APPEND to something that is not a list")
        }
    }

    private mutating func setItems(_ flat: [PickleValue], on target: PickleValue) throws(PolicyImportError) {
        guard flat.count % 2 == 0 else { throw fail("SETITEMS with an odd number of values") }
        var pairs: [(key: PickleValue, value: PickleValue)] = []
        for i in stride(from: 0, to: flat.count, by: 2) { pairs.append((flat[i], flat[i + 1])) }
        switch target {
        case .dict(let dict): dict.entries.append(contentsOf: pairs)
        case .object(let object): object.dictItems.append(contentsOf: pairs)
        default: throw fail("SETITEM on something that is not a dict")
        }
    }

    /// LONG1/LONG4: little-endian two's complement of any length; `.int` when it fits 64 bits.
    private func signedInt(_ raw: ArraySlice<UInt8>) -> PickleValue {
        guard !raw.isEmpty else { return .int(0) }
        if raw.count > 8 {
            // Longer encodings still fit when the extra bytes only extend the sign.
            let fill: UInt8 = (raw[raw.startIndex + 7] & 0x80) != 0 ? 0xFF : 0
            guard raw.dropFirst(8).allSatisfy({ $0 == fill }) else { return .bigInteger(Array(raw)) }
            return signedInt(raw.prefix(8))
        }
        var v: UInt64 = 0
        for (k, b) in raw.enumerated() { v |= UInt64(b) << (8 * k) }
        if raw.count < 8, (raw.last! & 0x80) != 0 { v |= ~UInt64(0) << (8 * raw.count) }
        return .int(Int(Int64(bitPattern: v)))
    }

    // MARK: the machine

    private mutating func run() throws(PolicyImportError) -> PickleValue {
        while true {
            let op = try byte()
            switch op {
            case 0x80: _ = try byte()                                   // PROTO
            case 0x95: _ = try take(8)                                  // FRAME (a hint only)
            case 0x2E:                                                  // STOP
                guard stack.count == 1 else { throw fail("the pickle stops with \(stack.count) values on the stack") }
                return stack[0]
            case 0x28: marks.append(stack.count)                        // MARK
            case 0x30: _ = try pop()                                    // POP
            case 0x31: _ = try popToMark()                              // POP_MARK
            case 0x32: stack.append(try top())                          // DUP
            case 0x29: stack.append(.tuple([]))                         // EMPTY_TUPLE
            case 0x5D: stack.append(.list(PickleList()))                // EMPTY_LIST
            case 0x7D: stack.append(.dict(PickleDict()))                // EMPTY_DICT
            case 0x8F: stack.append(.list(PickleList()))                // EMPTY_SET (kept as a list)
            case 0x74: stack.append(.tuple(try popToMark()))            // TUPLE
            case 0x85: stack.append(.tuple([try pop()]))                // TUPLE1
            case 0x86:                                                  // TUPLE2
                let b = try pop(), a = try pop()
                stack.append(.tuple([a, b]))
            case 0x87:                                                  // TUPLE3
                let c = try pop(), b = try pop(), a = try pop()
                stack.append(.tuple([a, b, c]))
            case 0x6C: stack.append(.list(PickleList(try popToMark()))) // LIST
            case 0x64:                                                  // DICT
                let dict = PickleDict()
                try setItems(try popToMark(), on: .dict(dict))
                stack.append(.dict(dict))
            case 0x61:                                                  // APPEND
                let item = try pop()
                try append([item], to: try top())
            case 0x65:                                                  // APPENDS
                let items = try popToMark()
                try append(items, to: try top())
            case 0x90:                                                  // ADDITEMS (set)
                let items = try popToMark()
                try append(items, to: try top())
            case 0x91: stack.append(.list(PickleList(try popToMark()))) // FROZENSET
            case 0x73:                                                  // SETITEM
                let value = try pop(), key = try pop()
                try setItems([key, value], on: try top())
            case 0x75:                                                  // SETITEMS
                let flat = try popToMark()
                try setItems(flat, on: try top())
            case 0x4A: stack.append(.int(Int(Int32(bitPattern: UInt32(try unsignedLittleEndian(4)))))) // BININT
            case 0x4B: stack.append(.int(Int(try byte())))              // BININT1
            case 0x4D: stack.append(.int(Int(try unsignedLittleEndian(2)))) // BININT2
            case 0x8A: stack.append(signedInt(try take(try length(1))))  // LONG1
            case 0x8B: stack.append(signedInt(try take(try length(4))))  // LONG4
            case 0x49:                                                  // INT (text; 00/01 are False/True)
                let text = try line()
                if text == "00" { stack.append(.bool(false)) } else if text == "01" { stack.append(.bool(true)) }
                else if let v = Int(text) { stack.append(.int(v)) } else { throw fail("INT '\(text)' is not an integer") }
            case 0x4C:                                                  // LONG (text, trailing L)
                let text = try line()
                guard let v = Int(text.hasSuffix("L") ? String(text.dropLast()) : text) else { throw fail("LONG '\(text)' is not a 64-bit integer") }
                stack.append(.int(v))
            case 0x47:                                                  // BINFLOAT (big-endian)
                var v: UInt64 = 0
                for b in try take(8) { v = v << 8 | UInt64(b) }
                stack.append(.float(Double(bitPattern: v)))
            case 0x46:                                                  // FLOAT (text)
                let text = try line()
                guard let v = Double(text) else { throw fail("FLOAT '\(text)' is not a number") }
                stack.append(.float(v))
            case 0x4E: stack.append(.none)                              // NONE
            case 0x88: stack.append(.bool(true))                        // NEWTRUE
            case 0x89: stack.append(.bool(false))                       // NEWFALSE
            case 0x58: stack.append(.string(String(decoding: try take(try length(4)), as: UTF8.self)))  // BINUNICODE
            case 0x8C: stack.append(.string(String(decoding: try take(try length(1)), as: UTF8.self)))  // SHORT_BINUNICODE
            case 0x8D: stack.append(.string(String(decoding: try take(try length(8)), as: UTF8.self)))  // BINUNICODE8
            case 0x56: stack.append(.string(try line()))                // UNICODE (raw-unicode-escape; ASCII in practice)
            case 0x43: stack.append(.bytes(Array(try take(try length(1)))))   // SHORT_BINBYTES
            case 0x42: stack.append(.bytes(Array(try take(try length(4)))))   // BINBYTES
            case 0x8E, 0x96: stack.append(.bytes(Array(try take(try length(8))))) // BINBYTES8, BYTEARRAY8
            case 0x54: stack.append(.bytes(Array(try take(try length(4)))))   // BINSTRING (Python 2 str)
            case 0x55: stack.append(.bytes(Array(try take(try length(1)))))   // SHORT_BINSTRING
            case 0x53:                                                  // STRING (quoted text)
                var text = try line()
                if text.count >= 2, let q = text.first, q == "'" || q == "\"" { text = String(text.dropFirst().dropLast()) }
                stack.append(.string(text))
            case 0x63:                                                  // GLOBAL "module\nname\n"
                let module = try line(), name = try line()
                stack.append(.global(module: module, name: name))
            case 0x93:                                                  // STACK_GLOBAL
                let name = try pop(), module = try pop()
                guard let m = module.string, let n = name.string else { throw fail("STACK_GLOBAL without two strings") }
                stack.append(.global(module: m, name: n))
            case 0x52:                                                  // REDUCE: callable(*args)
                let args = try pop(), callable = try pop()
                stack.append(.object(PickleObject(callable: callable, arguments: args.tupleItems ?? [args])))
            case 0x81:                                                  // NEWOBJ: cls.__new__(cls, *args)
                let args = try pop(), cls = try pop()
                stack.append(.object(PickleObject(callable: cls, arguments: args.tupleItems ?? [args])))
            case 0x92:                                                  // NEWOBJ_EX: cls, args, kwargs
                _ = try pop()
                let args = try pop(), cls = try pop()
                stack.append(.object(PickleObject(callable: cls, arguments: args.tupleItems ?? [args])))
            case 0x69:                                                  // INST "module\nname\n", args from MARK
                let module = try line(), name = try line()
                let args = try popToMark()
                stack.append(.object(PickleObject(callable: .global(module: module, name: name), arguments: args)))
            case 0x6F:                                                  // OBJ: cls and args from MARK
                let items = try popToMark()
                guard let cls = items.first else { throw fail("OBJ without a class") }
                stack.append(.object(PickleObject(callable: cls, arguments: Array(items.dropFirst()))))
            case 0x62:                                                  // BUILD: obj.__setstate__(state)
                let state = try pop()
                guard case .object(let object) = try top() else {
                    // BUILD on a plain dict updates it (rare); keep the dict, drop the state.
                    continue
                }
                object.state = state
            case 0x71: memo[Int(try byte())] = try top()                // BINPUT
            case 0x72: memo[Int(try unsignedLittleEndian(4))] = try top() // LONG_BINPUT
            case 0x70:                                                  // PUT (text)
                guard let k = Int(try line()) else { throw fail("PUT without an index") }
                memo[k] = try top()
            case 0x94: memo[memo.count] = try top()                     // MEMOIZE
            case 0x68, 0x6A, 0x67:                                      // BINGET, LONG_BINGET, GET
                let key: Int
                switch op {
                case 0x68: key = Int(try byte())
                case 0x6A: key = Int(try unsignedLittleEndian(4))
                default:
                    guard let k = Int(try line()) else { throw fail("GET without an index") }
                    key = k
                }
                guard let value = memo[key] else { throw fail("memo entry \(key) read before it was written") }
                stack.append(value)
            case 0x51: stack.append(.persistent(try pop()))             // BINPERSID
            case 0x50: stack.append(.persistent(.string(try line())))   // PERSID
            case 0x82, 0x83, 0x84:
                throw PolicyImportError.unsupported("\(label): pickle extension-registry codes (EXT1/2/4) are not read")
            case 0x97, 0x98:
                throw PolicyImportError.unsupported("\(label): pickle protocol 5 out-of-band buffers are not read")
            default:
                throw fail("unknown pickle opcode 0x\(String(op, radix: 16)); the file is damaged or not a pickle")
            }
        }
    }
}
