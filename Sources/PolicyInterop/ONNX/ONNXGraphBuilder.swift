/// Appends nodes and constants to a graph with unique, readable names ("layer0/matmul",
/// "layer0/tanh/p3"), so a graph viewer shows the policy's structure.
struct ONNXGraphBuilder {
    var graph: ONNXGraph

    init(name: String) { graph = ONNXGraph(name: name) }

    /// A float initializer; returns its name.
    mutating func constant(_ name: String, dims: [Int], _ values: [Float]) -> String {
        graph.initializers.append(ONNXTensor(name: name, dims: dims, values: .float(values)))
        return name
    }

    /// An int64 initializer (indices); returns its name.
    mutating func indices(_ name: String, _ values: [Int64]) -> String {
        graph.initializers.append(ONNXTensor(name: name, dims: [values.count], values: .int64(values)))
        return name
    }

    /// A scalar float initializer (broadcasts against any tensor).
    mutating func scalar(_ name: String, _ value: Float) -> String {
        constant(name, dims: [], [value])
    }

    /// One node with one output named `output`; returns that name.
    @discardableResult
    mutating func node(_ opType: String, _ inputs: [String], _ output: String,
                       attributes: [(name: String, value: Int64)] = []) -> String {
        graph.nodes.append(ONNXNode(opType: opType, inputs: inputs, outputs: [output], name: output, intAttributes: attributes))
        return output
    }
}
