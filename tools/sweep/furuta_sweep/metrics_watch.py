"""Reads a growing metrics.csv while `furuta train` writes it, and turns its evaluation rows
into reports at fixed steps of training time.

`furuta train` has no hook for intermediate results, but it flushes one metrics.csv row per
iteration (columns `elapsed_s` and, on evaluation iterations, `eval_success_rate`). The value
reported at step s (seconds) is the latest evaluation success among rows with
elapsed_s <= s; a row is used only once its line is complete.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass


@dataclass
class Report:
    step_s: int
    latest_success_rate: float | None


class MetricsWatch:
    def __init__(self, path: str, every_s: int):
        if every_s < 1:
            raise ValueError("the report interval must be at least 1 s")
        self.path = path
        self.every_s = every_s
        self._offset = 0
        self._header: list[str] | None = None
        self._pending = ""
        self._next_step = every_s
        self.latest_success_rate: float | None = None
        self.rows = 0

    def poll(self) -> list[Report]:
        """Reports for every step boundary crossed by the rows written since the last poll."""
        try:
            with open(self.path, "rb") as handle:
                handle.seek(self._offset)
                chunk = handle.read()
        except FileNotFoundError:
            return []
        self._offset += len(chunk)
        text = self._pending + chunk.decode("utf-8", errors="replace")
        complete, _, self._pending = text.rpartition("\n")
        reports: list[Report] = []
        if not complete:
            return reports
        for fields in csv.reader(io.StringIO(complete + "\n")):
            if not fields:
                continue
            if self._header is None:
                self._header = fields
                continue
            row = dict(zip(self._header, fields))
            if not row.get("iteration", "").isdigit():
                continue  # a repeated header (a resumed run rewrites the file)
            self.rows += 1
            try:
                elapsed = float(row.get("elapsed_s") or "nan")
            except ValueError:
                continue
            while self._next_step <= elapsed:
                reports.append(Report(self._next_step, self.latest_success_rate))
                self._next_step += self.every_s
            success = row.get("eval_success_rate", "")
            if success:
                self.latest_success_rate = float(success)
        return reports
