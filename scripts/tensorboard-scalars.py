#!/usr/bin/env python3
"""Print every scalar series TensorBoard's own reader finds under DIR, as JSON:
{"tag": [[step, value], ...], ...}; with --texts, every series of its Text tab instead:
{"tag": [[step, "text"], ...], ...}. The tests use it to check furuta's event files."""
import json
import sys

from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

args = sys.argv[1:]
texts = "--texts" in args
args = [a for a in args if a != "--texts"]
if len(args) != 1:
    sys.exit("usage: tensorboard-scalars.py [--texts] DIR")
accumulator = EventAccumulator(args[0], size_guidance={"scalars": 0, "tensors": 0})  # 0: keep every point
accumulator.Reload()
if texts:
    # The text plugin lists the tags it will show; each point is a scalar string tensor.
    try:
        tags = list(accumulator.PluginTagToContent("text").keys())
    except KeyError:  # no text at all
        tags = []
    json.dump({t: [[e.step, e.tensor_proto.string_val[0].decode("utf-8")] for e in accumulator.Tensors(t)]
               for t in tags}, sys.stdout)
else:
    tags = accumulator.Tags().get("scalars", [])
    json.dump({t: [[e.step, e.value] for e in accumulator.Scalars(t)] for t in tags}, sys.stdout)
