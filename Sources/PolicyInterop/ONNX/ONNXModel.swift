/// The subset of ONNX's protobuf schema (onnx/onnx.proto, IR version 8) that a policy graph
/// uses, written by hand: float and int64 tensors as initializers, nodes with integer
/// attributes, float inputs and outputs with a symbolic batch dimension, and string metadata. Field numbers are ONNX's; `encoded()` is the
/// serialized `ModelProto`.
public struct ONNXModel: Sendable, Equatable {
    /// ModelProto.ir_version. 8 is the IR of opset 17.
    public var irVersion: Int64 = 8
    /// The default-domain opset the graph is written against (pinned: every node's semantics
    /// are those of this opset).
    public var opsetVersion: Int64 = 17
    public var producerName = "furuta"
    public var producerVersion = ""
    public var docString = ""
    public var graph: ONNXGraph
    /// ModelProto.metadata_props, in order.
    public var metadata: [(key: String, value: String)] = []

    public init(graph: ONNXGraph) { self.graph = graph }

    public static func == (lhs: ONNXModel, rhs: ONNXModel) -> Bool { lhs.encoded() == rhs.encoded() }

    /// The serialized ModelProto.
    public func encoded() -> [UInt8] {
        var w = ProtobufWriter()
        w.int(1, irVersion)                                    // ir_version
        w.string(2, producerName)                              // producer_name
        if !producerVersion.isEmpty { w.string(3, producerVersion) }
        if !docString.isEmpty { w.string(6, docString) }       // doc_string
        w.message(7) { graph.encode(into: &$0) }               // graph
        w.message(8) { opset in                                // opset_import (OperatorSetIdProto)
            opset.string(1, "")                                //   domain: the default ai.onnx
            opset.int(2, opsetVersion)                         //   version
        }
        for (key, value) in metadata {                         // metadata_props (StringStringEntryProto)
            w.message(14) { entry in
                entry.string(1, key)
                entry.string(2, value)
            }
        }
        return w.bytes
    }
}

/// GraphProto: nodes in topological order, initializers, inputs and outputs.
public struct ONNXGraph: Sendable {
    public var name: String
    public var docString = ""
    public var nodes: [ONNXNode] = []
    public var initializers: [ONNXTensor] = []
    public var inputs: [ONNXValueInfo] = []
    public var outputs: [ONNXValueInfo] = []

    public init(name: String) { self.name = name }

    func encode(into w: inout ProtobufWriter) {
        for node in nodes { w.message(1) { node.encode(into: &$0) } }           // node
        w.string(2, name)                                                        // name
        for tensor in initializers { w.message(5) { tensor.encode(into: &$0) } } // initializer
        if !docString.isEmpty { w.string(10, docString) }                        // doc_string
        for value in inputs { w.message(11) { value.encode(into: &$0) } }        // input
        for value in outputs { w.message(12) { value.encode(into: &$0) } }       // output
    }
}

/// NodeProto with integer attributes (e.g. Gather's `axis`).
public struct ONNXNode: Sendable {
    public var opType: String
    public var inputs: [String]
    public var outputs: [String]
    public var name: String
    public var intAttributes: [(name: String, value: Int64)] = []

    func encode(into w: inout ProtobufWriter) {
        for input in inputs { w.string(1, input) }     // input
        for output in outputs { w.string(2, output) }  // output
        w.string(3, name)                              // name
        w.string(4, opType)                            // op_type
        for (key, value) in intAttributes {            // attribute (AttributeProto)
            w.message(5) { a in
                a.string(1, key)                       //   name
                a.int(3, value)                        //   i
                a.int(20, 2)                           //   type = INT
            }
        }
    }
}

/// TensorProto holding float32 or int64 values in raw_data (little-endian), as initializers
/// are usually stored.
public struct ONNXTensor: Sendable {
    public enum Values: Sendable {
        case float([Float])
        case int64([Int64])
    }

    public var name: String
    /// Empty for a scalar.
    public var dims: [Int]
    public var values: Values

    /// TensorProto.DataType.FLOAT and INT64.
    static let floatType: Int64 = 1
    static let int64Type: Int64 = 7

    func encode(into w: inout ProtobufWriter) {
        for d in dims { w.int(1, Int64(d)) }           // dims
        var raw: [UInt8] = []
        switch values {
        case .float(let v):
            w.int(2, Self.floatType)                   // data_type
            for x in v { withUnsafeBytes(of: x.bitPattern.littleEndian) { raw.append(contentsOf: $0) } }
        case .int64(let v):
            w.int(2, Self.int64Type)
            for x in v { withUnsafeBytes(of: x.littleEndian) { raw.append(contentsOf: $0) } }
        }
        w.string(8, name)                              // name
        w.bytes(9, raw)                                // raw_data
    }
}

/// ValueInfoProto of a float tensor.
public struct ONNXValueInfo: Sendable {
    public enum Dimension: Sendable {
        case fixed(Int)
        case symbolic(String)
    }

    public var name: String
    public var dims: [Dimension]
    public var docString = ""

    func encode(into w: inout ProtobufWriter) {
        w.string(1, name)                                          // name
        w.message(2) { type in                                     // type (TypeProto)
            type.message(1) { tensor in                            //   tensor_type
                tensor.int(1, ONNXTensor.floatType)                //     elem_type
                tensor.message(2) { shape in                       //     shape (TensorShapeProto)
                    for d in dims {
                        shape.message(1) { dim in                  //       dim
                            switch d {
                            case .fixed(let n): dim.int(1, Int64(n))      // dim_value
                            case .symbolic(let s): dim.string(2, s)       // dim_param
                            }
                        }
                    }
                }
            }
        }
        if !docString.isEmpty { w.string(3, docString) }           // doc_string
    }
}
