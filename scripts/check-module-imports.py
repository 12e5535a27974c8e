#!/usr/bin/env python3
"""Checks the module graph against docs/architecture.md ("Who may import whom").

1. Every module a Swift target imports is declared as a dependency of that target in
   Package.swift (a module that compiles only because another dependency pulls it in
   transitively is reported), except the toolchain's own modules.
2. The rules that keep the deploy binary free of MuJoCo and the learning core free of the
   simulator hold over the whole (transitive) graph of declared dependencies.

Usage: scripts/check-module-imports.py            (from anywhere; exits 1 and lists each problem)
       scripts/check-module-imports.py --package-json FILE   (a saved `swift package dump-package`)
"""
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Modules the Swift toolchain and the platform provide: never declared in Package.swift.
TOOLCHAIN = {"Foundation", "FoundationEssentials", "FoundationNetworking", "Glibc", "Darwin",
             "FoundationXML", "Dispatch", "Synchronization", "Testing", "XCTest", "_Concurrency", "os"}

# What a target must never reach, directly or through its dependencies, and why.
FORBIDDEN = {
    "Controller": ({"Simulation", "CMuJoCo", "CMuJoCoGuard", "Trainer", "Twin"},
                   "the deploy side runs without MuJoCo"),
    "furuta-controller": ({"Simulation", "CMuJoCo", "CMuJoCoGuard", "Trainer", "Twin", "Learning", "CBLAS"},
                          "the deploy binary links neither MuJoCo nor OpenBLAS"),
    "Learning": ({"Simulation", "CMuJoCo", "CMuJoCoGuard", "Trainer"},
                 "the learning core is MuJoCo-free"),
    "MonotonicTime": (None, "the shared clock has no dependencies"),
    "MotorModel": (None, "dependency-free core"),
    "RegularFiles": (None, "dependency-free core"),
    "TensorBoard": (None, "dependency-free core"),
    "Plotting": (None, "dependency-free core"),
    "RobotRecording": (None, "dependency-free core"),
    "SwingUpCriterion": (None, "dependency-free core"),
    "RandomNumbers": (None, "the one random-number source has no dependencies"),
}

IMPORT = re.compile(r"^\s*(?:@\w+(?:\([^)]*\))?\s+)*import\s+(?:(?:struct|class|enum|protocol|func|var|let|typealias)\s+)?([A-Za-z_]\w*)")


def package():
    if len(sys.argv) == 3 and sys.argv[1] == "--package-json":
        return json.load(open(sys.argv[2]))
    text = subprocess.run(["swift", "package", "dump-package"], cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout
    return json.loads(text)


def declared(target):
    names = set()
    for dependency in target.get("dependencies", []):
        kind, value = next(iter(dependency.items()))
        names.add(value[0])
    return names


def source_directory(target):
    if "path" in target:
        return os.path.join(ROOT, target["path"])
    base = "Tests" if target["type"] == "test" else "Sources"
    return os.path.join(ROOT, base, target["name"])


def imports(directory, excluded):
    found = {}
    for folder, subfolders, files in os.walk(directory):
        subfolders[:] = [s for s in subfolders if os.path.join(folder, s) not in excluded]
        for name in files:
            if not name.endswith(".swift"):
                continue
            path = os.path.join(folder, name)
            in_string = False  # inside a multi-line string literal (a Python script in a test)
            for line in open(path, encoding="utf-8"):
                match = None if in_string else IMPORT.match(line)
                if match:
                    found.setdefault(match.group(1), path)
                if line.count('"""') % 2 == 1:
                    in_string = not in_string
    return found


def main():
    targets = {t["name"]: t for t in package()["targets"]}
    problems = []
    for name, target in sorted(targets.items()):
        directory = source_directory(target)
        excluded = {os.path.join(directory, e) for e in target.get("exclude", [])}
        allowed = declared(target) | TOOLCHAIN | {name}
        for module, path in sorted(imports(directory, excluded).items()):
            if module not in allowed:
                problems.append(f"{name}: imports {module} ({os.path.relpath(path, ROOT)}) "
                                f"but Package.swift does not declare it; add \"{module}\" to its dependencies")

    def reach(name, seen):
        for dependency in declared(targets[name]) if name in targets else ():
            if dependency not in seen:
                seen.add(dependency)
                reach(dependency, seen)
        return seen

    for name, (forbidden, reason) in FORBIDDEN.items():
        if name not in targets:
            problems.append(f"{name}: the rule '{reason}' names a target Package.swift no longer has")
            continue
        reached = reach(name, set())
        bad = reached if forbidden is None else reached & forbidden
        if bad:
            problems.append(f"{name}: depends on {', '.join(sorted(bad))}, but {reason} (docs/architecture.md)")

    for problem in problems:
        print("FAIL " + problem)
    print(f"{len(targets)} targets checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
