#!/usr/bin/env python3
"""Print every scalar series TensorBoard's own reader finds under DIR, as JSON:
{"tag": [[step, value], ...], ...}. The tests use it to check furuta's event files."""
import json
import sys

from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

if len(sys.argv) != 2:
    sys.exit("usage: tensorboard-scalars.py DIR")
accumulator = EventAccumulator(sys.argv[1], size_guidance={"scalars": 0})  # 0: keep every point
accumulator.Reload()
tags = accumulator.Tags().get("scalars", [])
json.dump({t: [[e.step, e.value] for e in accumulator.Scalars(t)] for t in tags}, sys.stdout)
