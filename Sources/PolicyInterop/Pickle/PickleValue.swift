/// A Python pickle decoded as data. Nothing is ever imported or called: a `GLOBAL` is just its
/// module and name, and a `REDUCE`/`NEWOBJ`/`BUILD` is recorded as an `PickleObject` (what would
/// have been called, with what, and the state it would have been given). Interpreting a few
/// known shapes (PyTorch tensors, NumPy arrays, `OrderedDict`) is the readers' job, by name.
public indirect enum PickleValue: Sendable {
    case none
    case bool(Bool)
    case int(Int)
    /// An integer wider than 64 bits (e.g. a random generator's state), little-endian two's
    /// complement as pickled.
    case bigInteger([UInt8])
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case tuple([PickleValue])
    case list(PickleList)
    case dict(PickleDict)
    /// A reference to `module.name` (never resolved).
    case global(module: String, name: String)
    /// The result of calling something: `callable(*arguments)`, then items and state set on it.
    case object(PickleObject)
    /// A persistent id (PyTorch's storages): the value the pickler's `persistent_id` returned.
    case persistent(PickleValue)

    public var string: String? { if case .string(let s) = self { return s }; return nil }
    public var int: Int? {
        switch self {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }
    public var double: Double? {
        switch self {
        case .float(let d): return d
        case .int(let i): return Double(i)
        default: return nil
        }
    }
    public var bool: Bool? { if case .bool(let b) = self { return b }; return nil }
    public var tupleItems: [PickleValue]? {
        switch self {
        case .tuple(let t): return t
        case .list(let l): return l.items
        default: return nil
        }
    }

    /// "module.name" of a global or of the callable that made an object.
    public var typeName: String? {
        switch self {
        case .global(let module, let name): return "\(module).\(name)"
        case .object(let o): return o.callable.typeName
        default: return nil
        }
    }

    /// Key/value pairs of a dict, or of an object built as one (`OrderedDict()` + SETITEMS).
    public var dictionaryEntries: [(key: PickleValue, value: PickleValue)]? {
        switch self {
        case .dict(let d): return d.entries
        case .object(let o): return o.dictItems
        default: return nil
        }
    }

    /// Entries whose keys are strings, in order.
    public var stringKeyedEntries: [(key: String, value: PickleValue)]? {
        dictionaryEntries.map { $0.compactMap { entry in entry.key.string.map { ($0, entry.value) } } }
    }

    /// `self[key]` for a string-keyed dict or dict-like object.
    public subscript(key: String) -> PickleValue? {
        stringKeyedEntries?.first { $0.key == key }?.value
    }

    /// The attribute dictionary an object was built with (BUILD state, or its dict part).
    public var attributes: PickleValue? {
        guard case .object(let o) = self, let state = o.state else { return nil }
        if case .tuple(let parts) = state, parts.count == 2 { return parts[0] }  // (dict, slots)
        return state
    }
}

/// A list; a reference type because pickles append to lists after memoizing them.
public final class PickleList: @unchecked Sendable {
    public var items: [PickleValue]
    init(_ items: [PickleValue] = []) { self.items = items }
}

/// A dict with keys in insertion order (keys need not be hashable in Swift).
public final class PickleDict: @unchecked Sendable {
    public var entries: [(key: PickleValue, value: PickleValue)]
    init(_ entries: [(key: PickleValue, value: PickleValue)] = []) { self.entries = entries }
}

/// What `REDUCE`/`NEWOBJ` would have constructed, never constructed.
public final class PickleObject: @unchecked Sendable {
    public let callable: PickleValue
    public let arguments: [PickleValue]
    /// Items added with APPEND(S) / SETITEM(S), as Python would on a list or dict subclass.
    public var listItems: [PickleValue] = []
    public var dictItems: [(key: PickleValue, value: PickleValue)] = []
    /// The BUILD state, if any.
    public var state: PickleValue?

    init(callable: PickleValue, arguments: [PickleValue]) {
        self.callable = callable
        self.arguments = arguments
    }
}
