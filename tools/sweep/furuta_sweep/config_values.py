"""Values as `furuta train` reads them: `key.path=value` override text and nested YAML.

`furuta train` parses an override's value as YAML (Yams), so the text must be YAML that means
the same value: booleans as true/false, lists in flow style, floats with a mantissa dot
(`1.0e-05`, because a YAML 1.1 reader takes `1e-05` for a string).
"""

from __future__ import annotations

import json
import math
from typing import Any

import yaml


def yaml_text(value: Any) -> str:
    """One value as YAML flow text, e.g. 0.001 -> '0.001', [64, 64] -> '[64, 64]'."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value} is not a finite number")
        text = repr(value)
        if "e" in text and "." not in text.split("e")[0]:
            mantissa, exponent = text.split("e")
            text = f"{mantissa}.0e{exponent}"
        return text
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string is a YAML string
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(yaml_text(v) for v in value) + "]"
    if value is None:
        return "null"
    raise ValueError(f"cannot write {value!r} as a configuration value")


def override(key: str, value: Any) -> str:
    """`key=value` as `furuta train` takes it on its command line."""
    return f"{key}={yaml_text(value)}"


def nested(flat: dict[str, Any]) -> dict[str, Any]:
    """{'ppo.learningRate': 1e-3} -> {'ppo': {'learningRate': 1e-3}} (later keys win)."""
    root: dict[str, Any] = {}
    for key, value in flat.items():
        parts = key.split(".")
        node = root
        for part in parts[:-1]:
            child = node.get(part)
            if not isinstance(child, dict):
                child = {}
                node[part] = child
            node = child
        node[parts[-1]] = value
    return root


def deep_merge(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    """`top` over `base`, mappings merged key by key, as `furuta train` layers a file."""
    merged = dict(base)
    for key, value in top.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def dump(document: dict[str, Any]) -> str:
    """Block-style YAML with lists in flow style, keys in the given order."""

    class Dumper(yaml.SafeDumper):
        pass

    def represent_list(dumper: yaml.SafeDumper, data: list) -> yaml.Node:
        return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)

    Dumper.add_representer(list, represent_list)
    return yaml.dump(document, Dumper=Dumper, sort_keys=False, default_flow_style=False)
