"""What the tests that start server processes share: a free port, and a fresh database of
the suite's kind (a SQLite file, or a PostgreSQL database beside the test database)."""

import os
import socket
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fresh_database_url(tmp: Path, suffix: str) -> str:
    """A new, empty database for a server a test starts, named by ``suffix``."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{tmp / f'{suffix}.sqlite3'}"
    import psycopg

    base, _, name = url.rpartition("/")
    database = f"{name or 'regionet'}_{suffix}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{database}"')
    return f"{base}/{database}"
