"""The demo's background worker, kept running beside its server: restarted whenever it exits."""

import logging
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence

logger = logging.getLogger(__name__)
WORKER = (sys.executable, "-m", "abwab.cli", "worker", "--interval", "0.5", "--no-reload")


class KeptRunning:
    """A child process started on entering, restarted each time it exits (after a pause that grows
    while it keeps exiting early), stopped on leaving."""

    def __init__(
        self,
        command: Sequence[str] = WORKER,
        *,
        start: Callable = subprocess.Popen,
        pauses: Sequence[float] = (1, 2, 5, 10, 30),
        poll: float = 1.0,
        steady: float = 60.0,
    ):
        self.command, self.start, self.pauses = list(command), start, pauses
        self.poll, self.steady = poll, steady
        self.restarts = 0
        self.process = None
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._watch = threading.Thread(target=self._keep, name="worker-watch", daemon=True)

    def __enter__(self) -> "KeptRunning":
        self.process = self.start(self.command)
        self._watch.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._watch.join(timeout=5)
        with self._lock:
            if self.process is not None and self.process.poll() is None:
                self.process.terminate()
                self.process.wait(timeout=10)

    def _keep(self) -> None:
        early = 0  # exits in a row that came soon after a start
        started = time.monotonic()
        while not self._stop.wait(self.poll):
            code = self.process.poll()
            if code is None:
                continue
            early = early + 1 if time.monotonic() - started < self.steady else 1
            pause = self.pauses[min(early, len(self.pauses)) - 1]
            logger.warning("the worker exited (code %s); restarted in %s s", code, pause)
            if self._stop.wait(pause):
                return
            with self._lock:
                if self._stop.is_set():
                    return
                self.process = self.start(self.command)
                self.restarts += 1
            started = time.monotonic()
