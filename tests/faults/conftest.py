"""Services the fault tests may break: a private Redis, a private PostgreSQL cluster, real workers.

Nothing here touches the shared servers' processes: the shared PostgreSQL only lends a fresh database,
and whatever is stopped or killed was started by the test itself.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import PG_ADMIN_URL, need, port_open

RESPONDER = Path(sys.executable).with_name("responder")
PG_BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1:] or [""]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(proc: subprocess.Popen | None, sig=signal.SIGTERM) -> None:
    """End a process group we started (and only that)."""
    if proc and proc.poll() is None:
        os.killpg(proc.pid, sig)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


class PrivateRedis:
    """A redis-server of our own on a free port, without persistence, that a test may stop and start."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                                      "--save", "", "--appendonly", "no"],
                                     stdout=subprocess.DEVNULL, start_new_session=True)
        deadline = time.time() + 10
        while not port_open("127.0.0.1", self.port):
            assert time.time() < deadline, "private redis-server did not start"
            time.sleep(0.05)

    def stop(self) -> None:
        stop(self.proc)


class PrivatePostgres:
    """A throw-away PostgreSQL cluster (initdb in a temp dir, run as the postgres user when we are root)."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="responder-pg-"))
        self.port = free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(self.dir, "postgres")

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_user, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=60)

    def init(self) -> None:
        self._run(f"{PG_BIN[0]}/initdb", "-D", str(self.dir / "data"), "-A", "trust", "-U", "postgres",
                  "--no-sync", "-E", "UTF8")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60"
        self._run(f"{PG_BIN[0]}/pg_ctl", "-D", str(self.dir / "data"), "-o", options, "-w", "-t", "30", "start")

    def stop(self) -> None:
        """Immediate shutdown: connections drop mid-transaction, as in a crash."""
        self._run(f"{PG_BIN[0]}/pg_ctl", "-D", str(self.dir / "data"), "-m", "immediate", "-w", "stop")

    def destroy(self) -> None:
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass  # already stopped
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def private_redis():
    need(shutil.which("redis-server") is not None, "redis-server is not installed")
    server = PrivateRedis()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def private_postgres():
    need(bool(PG_BIN[0]) and os.path.exists(f"{PG_BIN[0]}/initdb"), "PostgreSQL server binaries are not installed")
    server = PrivatePostgres()
    server.init()
    server.start()
    yield server
    server.destroy()


@pytest.fixture(scope="module")
def module_pg_url():
    """A fresh database on the shared PostgreSQL, for a whole module (starting workers is the slow part)."""
    need(port_open("127.0.0.1", 5432), "PostgreSQL is not reachable on 127.0.0.1:5432")
    name = f"responder_fault_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def start_worker(env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen([str(RESPONDER), "worker", "--concurrency", "1", "--without-gossip", "--without-mingle",
                             "--without-heartbeat"],
                            env=env, stdout=log.open("a"), stderr=subprocess.STDOUT, start_new_session=True)


def children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]
