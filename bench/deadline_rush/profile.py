"""Where the workers spend the rush: py-spy's samples, and PostgreSQL's lock waits.

``Profiler`` runs ``py-spy record`` on gunicorn and its workers: with ``--idle`` (the
default) wall-clock time, where waiting for the database and for row locks counts; without,
CPU time only. ``summarise`` turns the raw samples into
the share of time under each line of the project's code. ``LockSampler`` polls
``pg_stat_activity`` to tell how many requests were waiting for a row lock at a time.
"""

import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import psycopg

PROJECT_FRAME = re.compile(r"\((?:.*/)?(regionet/[^:]+|bench/[^:]+):(\d+)\)$")


class Profiler:
    def __init__(self, pid: int, output: str, *, idle: bool = True):
        executable = Path(sys.executable).with_name("py-spy")
        if not executable.exists() and shutil.which("py-spy") is None:
            raise SystemExit("--profile needs py-spy: .venv/bin/pip install py-spy")
        command = [
            str(executable) if executable.exists() else "py-spy",
            "record",
            "--subprocesses",
            *(["--idle"] if idle else []),
            "--nonblocking",
            "--rate=100",
            "--format=raw",
            f"--pid={pid}",
            f"--output={output}",
        ]
        self.output = output
        self.process = subprocess.Popen(  # noqa: S603 (our own argv)
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        time.sleep(2)  # py-spy finds and attaches to the workers

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            self.process.wait(timeout=60)


def summarise(path: str, top: int = 15) -> list[tuple[float, str]]:
    """(share of the request-handling samples, "function file:line") for the project's lines
    that are on the stack most often (each line counted once per sample)."""
    inclusive: Counter[str] = Counter()
    total = 0
    for line in Path(path).read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if "handle_request" not in stack:
            continue  # a worker waiting for a connection, or the arbiter
        samples = int(count)
        total += samples
        seen = set()
        for frame in stack.split(";"):
            match = PROJECT_FRAME.search(frame)
            if match is None:
                continue
            label = f"{frame.split(' (')[0]} {match[1]}:{match[2]}"
            if label not in seen:
                seen.add(label)
                inclusive[label] += samples
    return (
        [(samples / total, label) for label, samples in inclusive.most_common(top)] if total else []
    )


class LockSampler(threading.Thread):
    """Counts, every 50 ms, the benchmark database's sessions running a query and those
    among them waiting for a lock."""

    def __init__(self, url: str, database: str):
        super().__init__(daemon=True)
        self.url, self.database = url, database
        self.samples: list[tuple[int, int]] = []
        self._halt = threading.Event()

    def run(self):
        with psycopg.connect(self.url, autocommit=True) as connection:
            while not self._halt.is_set():
                row = connection.execute(
                    "SELECT count(*) FILTER (WHERE state = 'active'), "
                    "count(*) FILTER (WHERE wait_event_type = 'Lock') "
                    "FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                    [self.database],
                ).fetchone()
                self.samples.append(row)
                time.sleep(0.05)

    def stop(self) -> dict:
        self._halt.set()
        self.join()
        if not self.samples:
            return {"active": 0.0, "waiting": 0.0}
        return {
            "active": sum(a for a, _ in self.samples) / len(self.samples),
            "waiting": sum(w for _, w in self.samples) / len(self.samples),
        }


def queries_per_request(world, forms, late_applicant) -> dict:
    """The SQL statements of one submit and one one-insert post, through Django's test client
    in this process (after the checks: a late applicant's draft, the deadline moved ahead)."""
    from datetime import timedelta

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from .setup import move_deadline

    move_deadline(world, timezone.now() + timedelta(hours=1))
    client = Client(HTTP_HOST="127.0.0.1", headers={"X-Forwarded-Proto": "https"})
    client.cookies["sessionid"] = late_applicant.session_key
    action, fields = forms[late_applicant.index]
    counts = {}
    for name, path, data in (
        ("submit", action, fields),
        ("ping", "/bench/ping/", {}),
    ):
        with CaptureQueriesContext(connection) as context:
            response = client.post(path, data, secure=True)
        counts[name] = (response.status_code, len(context.captured_queries))
    return counts
