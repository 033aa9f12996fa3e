"""The production server for the benchmarks: gunicorn running ``abwab.wsgi`` on loopback, with
``bench.server_settings`` (Abwab's settings, the database name given apart, ``/bench/ping``).

    with Gunicorn(port=8765, workers=5, env={"DATABASE_URL": ...}) as server:
        server.kill_worker()   # kill -9 one worker; the master forks another
"""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_restart() -> float:
    """Restart the local PostgreSQL cluster (every connection is cut); returns the seconds taken."""
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    started = time.perf_counter()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return time.perf_counter() - started


class Gunicorn:
    """gunicorn's master and its workers, started and stopped by this object.

    `worker_class` "sync" (one request at a time per process, no keep-alive) or "gthread"
    (`threads` per process, keep-alive). `preload` imports Django once in the master, so a killed
    worker is replaced by a fork in milliseconds rather than a fresh import of a second or two.
    """

    def __init__(
        self,
        *,
        port: int | None = None,
        workers: int = 2,
        worker_class: str = "sync",
        threads: int = 1,
        env: dict[str, str] | None = None,
        db_name: str | None = None,
        preload: bool = True,
        timeout: int = 30,
        log_path: Path | None = None,
        source: Path | None = None,
    ) -> None:
        self.port = port or free_port()
        self.workers = workers
        self.worker_class = worker_class
        self.threads = threads
        self.env = dict(env or {})
        self.db_name = db_name
        self.preload = preload
        self.timeout = timeout
        self.log_path = log_path
        self.source = Path(source) if source else REPO  # the checkout gunicorn imports Abwab from
        self.process: subprocess.Popen | None = None
        self.kills = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "abwab.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            self.worker_class,
            "--threads",
            str(self.threads),
            "--timeout",
            str(self.timeout),
            "--graceful-timeout",
            "5",
            "--keep-alive",
            "5",
            "--backlog",
            "2048",
        ]
        if self.preload:
            command.append("--preload")
        return command

    def start(self, wait: float = 60.0) -> Gunicorn:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.server_settings",
            "PYTHONPATH": str(self.source),
            "LOG_LEVEL": "ERROR",
            **self.env,
        }
        if self.db_name:
            env["BENCH_DB_NAME"] = self.db_name
        log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(
            self.command(), cwd=self.source, env=env, stdout=log, stderr=log, start_new_session=True
        )
        if log is not subprocess.DEVNULL:
            log.close()
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(self.url + "/bench/ping", timeout=2) as answer:  # noqa: S310
                    if answer.status == 200 and len(self.worker_pids()) >= self.workers:
                        return self
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not answer in time")

    def worker_pids(self) -> list[int]:
        """The master's children, read from /proc."""
        if self.process is None:
            return []
        master = self.process.pid
        pids = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:  # fields: state, ppid, ...
                pids.append(int(entry))
        return sorted(pids)

    def kill_worker(self, rng: random.Random | None = None) -> int | None:
        """kill -9 one worker (whatever it is doing); returns its pid."""
        pids = self.worker_pids()
        if not pids:
            return None
        pid = (rng or random).choice(pids)
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            return None
        self.kills += 1
        return pid

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)

    def __enter__(self) -> Gunicorn:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
