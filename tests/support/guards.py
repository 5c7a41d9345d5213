"""Test guards shared by the fuzzing and security tests."""
from __future__ import annotations

import contextlib
import signal


class Hang(Exception):
    pass


@contextlib.contextmanager
def within(seconds):
    """Fail instead of hanging: a guard against super-linear blow-ups, not a timing
    test (the limits are 10-100x what the operations take)."""
    def alarm(signum, frame):
        raise Hang(f"took longer than {seconds} s")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
