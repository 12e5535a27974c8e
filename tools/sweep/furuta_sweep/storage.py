"""Where a study lives, and the lock that makes claiming a trial slot atomic.

Storage is Optuna's RDB storage: `sqlite:///path/study.db` (one machine, nothing to set up) or
`postgresql://user@host:port/db` (any number of machines). Every worker sends a heartbeat for
its running trial; a trial whose heartbeat is older than the grace period belongs to a dead
worker: the next worker to look marks it FAIL and enqueues one retry with the same parameters
(Optuna's RetryHeartbeatStaleTrialCallback), so a killed worker's trial is never counted.

Claiming: "are fewer than N trials counted or in flight? then start one" must not race between
workers, or two of them start the N-th trial. The check and Optuna's `ask` run under a lock:
a PostgreSQL advisory lock (held by a connection of the study's own engine) for postgresql
URLs, an flock on `<database>.lock` for SQLite files.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import time
import warnings
from collections.abc import Iterator

import optuna
import sqlalchemy


class StorageError(Exception):
    """A storage URL that cannot be used; the message says what to give instead."""


def sqlite_path(url: str) -> str | None:
    """The database file of a sqlite:/// URL (None for other URLs)."""
    prefix = "sqlite:///"
    return url[len(prefix):] if url.startswith(prefix) else None


def engine_url(url: str) -> str:
    """The URL for SQLAlchemy: it reads postgresql:// as psycopg 3; the pinned driver is psycopg2."""
    if url.startswith("postgresql://"):
        return "postgresql+psycopg2://" + url[len("postgresql://"):]
    return url


def open_storage(url: str, heartbeat_s: int, retries: int) -> optuna.storages.RDBStorage:
    path = sqlite_path(url)
    engine_kwargs: dict = {}
    if path is not None:
        if not path:
            raise StorageError("a SQLite URL needs a file: sqlite:///runs/sweeps/study.db")
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        # Several processes share the file: wait for its write lock rather than fail at once.
        engine_kwargs = {"connect_args": {"timeout": 60}}
    elif not url.startswith(("postgresql://", "postgresql+psycopg2://")):
        raise StorageError(f"storage '{url}': use sqlite:///FILE.db or postgresql://USER@HOST:PORT/DB")
    url = engine_url(url)
    # Workers that start together on a new database race to create its tables; the loser
    # finds them on its next attempt.
    for attempt in range(5):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
                return optuna.storages.RDBStorage(
                    url,
                    engine_kwargs=engine_kwargs,
                    heartbeat_interval=heartbeat_s,
                    grace_period=3 * heartbeat_s,
                    heartbeat_stale_trial_callback=optuna.storages.RetryHeartbeatStaleTrialCallback(max_retry=retries),
                )
        except (sqlalchemy.exc.IntegrityError, sqlalchemy.exc.OperationalError, sqlalchemy.exc.ProgrammingError) as error:
            if attempt == 4 or isinstance(error, sqlalchemy.exc.OperationalError) and "connect" in str(error).lower():
                raise StorageError(f"cannot open storage '{url}': {error}") from None
            time.sleep(0.5 * (attempt + 1))
        except (sqlalchemy.exc.SQLAlchemyError, ImportError) as error:
            raise StorageError(f"cannot open storage '{url}': {error}") from None
    raise AssertionError("unreachable")


@contextlib.contextmanager
def claim_lock(storage: optuna.storages.RDBStorage, study_name: str) -> Iterator[None]:
    """Exclusive among all workers of `study_name` on this storage, for the claim's duration."""
    path = sqlite_path(storage.url)
    if path is not None:
        with open(os.path.abspath(path) + ".lock", "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        return
    key = int.from_bytes(hashlib.sha256(f"furuta-sweep:{study_name}".encode()).digest()[:8], "big", signed=True)
    with storage.engine.connect() as connection:
        connection.execute(sqlalchemy.text("SELECT pg_advisory_lock(:key)"), {"key": key})
        try:
            yield
        finally:
            connection.execute(sqlalchemy.text("SELECT pg_advisory_unlock(:key)"), {"key": key})
