"""Fixtures for the sweep's tests: the real furuta binary, a real PostgreSQL server on
loopback (a private cluster on a free port and its own socket directory, stopped at the end),
and a tiny search space whose trials take a few seconds."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile

import pytest

SWEEP_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(os.path.dirname(SWEEP_DIR))
sys.path.insert(0, SWEEP_DIR)

# Trials that stop within seconds: 16 envs on one thread, short rollouts, an evaluation of 2
# episodes every 5 iterations (about every 0.2 s), small networks.
TINY_SPACE = """\
fixed:
  environment.count: 16
  environment.threads: 1
  ppo.stepsPerEnvironment: 16
  evaluation.everyIterations: 5
  evaluation.settings.episodes: 2
  checkpointEverySeconds: 1.0
parameters:
  ppo.learningRate: {type: float, low: 1.0e-4, high: 3.0e-3, log: true}
  ppo.epochs: {type: int, low: 2, high: 4}
  ppo.hiddenWidths: {type: categorical, choices: [[16], [32, 32]]}
"""


@pytest.fixture(scope="session")
def furuta_bin() -> str:
    path = os.environ.get("FURUTA_BIN")
    if not path:
        bin_dir = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=REPO,
                                 capture_output=True, text=True).stdout.strip()
        path = os.path.join(bin_dir, "furuta")
    if not os.access(path, os.X_OK):
        pytest.fail(f"no furuta binary at {path}: run `swift build -c release --product furuta` or set FURUTA_BIN")
    return path


@pytest.fixture
def tiny_space(tmp_path) -> str:
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY_SPACE)
    return str(path)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _postgres_bin() -> str:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    initdb = found[-1] if found else shutil.which("initdb")
    if not initdb:
        pytest.fail("PostgreSQL server binaries not found: apt-get install postgresql (scripts/install-deps.sh does)")
    return os.path.dirname(initdb)


@pytest.fixture(scope="session")
def postgres_url():
    """postgresql://postgres@127.0.0.1:PORT/sweep on a server this fixture starts and stops.
    As root the server runs as the postgres user (PostgreSQL refuses to run as root)."""
    bindir = _postgres_bin()
    base = tempfile.mkdtemp(prefix="furuta-sweep-pg-")
    os.chmod(base, 0o755)
    data, sockets, log = os.path.join(base, "data"), os.path.join(base, "sockets"), os.path.join(base, "server.log")
    as_user: list[str] = []
    if os.geteuid() == 0:
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(base, "postgres")
    subprocess.run(as_user + ["mkdir", "-p", sockets], check=True)
    subprocess.run(as_user + [f"{bindir}/initdb", "-D", data, "-A", "trust", "-U", "postgres", "--no-sync"],
                   check=True, capture_output=True)
    port = _free_port()
    options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50"
    subprocess.run(as_user + [f"{bindir}/pg_ctl", "-D", data, "-l", log, "-w", "-t", "60", "-o", options, "start"],
                   check=True, capture_output=True)
    try:
        subprocess.run([f"{bindir}/createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "sweep"], check=True)
        yield f"postgresql://postgres@127.0.0.1:{port}/sweep"
    finally:
        subprocess.run(as_user + [f"{bindir}/pg_ctl", "-D", data, "-m", "fast", "-w", "stop"], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)
