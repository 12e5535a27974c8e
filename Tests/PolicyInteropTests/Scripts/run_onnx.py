#!/usr/bin/env python3
"""Run an ONNX model in ONNX Runtime for PolicyInteropTests.

    run_onnx.py MODEL.onnx OBSERVATIONS.f32 ROWS ACTIONS.f32

Reads ROWS observations (raw little-endian float32, row-major), writes the model's first output
the same way, and prints one JSON line describing the model (input/output names and shapes,
opset, metadata). Exits 3 with a message when onnxruntime is missing, so the Swift test fails
with the fix instead of skipping.
"""
import json
import sys

try:
    import numpy as np
    import onnxruntime as ort
except ImportError as error:
    print(f"onnxruntime/numpy not importable ({error}): run scripts/install-deps.sh "
          "(pip install -r scripts/requirements-test.txt)", file=sys.stderr)
    sys.exit(3)

model, observations, rows, actions = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
session = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
inp, out = session.get_inputs()[0], session.get_outputs()[0]
x = np.fromfile(observations, dtype="<f4").reshape(rows, int(inp.shape[-1]))
y = session.run(None, {inp.name: x})[0].astype("<f4")
y.tofile(actions)
meta = session.get_modelmeta()
print(json.dumps({
    "input": inp.name, "input_shape": [str(d) for d in inp.shape],
    "output": out.name, "output_shape": [str(d) for d in out.shape],
    "metadata": meta.custom_metadata_map, "producer": meta.producer_name,
    "onnxruntime": ort.__version__,
}))
