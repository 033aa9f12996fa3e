"""The demo's worker is restarted when it exits."""

import threading

from abwab.demo.supervise import WORKER, KeptRunning


class FakeProcess:
    """A child process that exits when told to (exit code 1, as on "database is locked")."""

    def __init__(self, command):
        self.command, self.code, self.terminated = command, None, False

    def poll(self):
        return self.code

    def terminate(self):
        self.terminated, self.code = True, -15

    def wait(self, timeout=None):
        return self.code


def test_a_worker_that_exits_is_started_again_and_stopped_with_the_server():
    started: list[FakeProcess] = []
    again = threading.Event()

    def start(command):
        started.append(FakeProcess(command))
        if len(started) == 3:
            again.set()
        return started[-1]

    with KeptRunning(start=start, pauses=(0, 0), poll=0.01) as kept:
        started[0].code = 1  # the worker dies
        while len(started) < 2:
            threading.Event().wait(0.01)
        started[1].code = 1  # and dies again
        assert again.wait(timeout=10)
        assert kept.restarts == 2
    assert [p.command for p in started] == [list(WORKER)] * 3
    assert WORKER[3] == "worker"
    assert [p.terminated for p in started] == [False, False, True]  # the last one, on leaving
