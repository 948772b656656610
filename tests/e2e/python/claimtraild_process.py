"""Runs the real claimtraild binary for Python end-to-end tests.

The daemon logs to a file; start() waits for its start line
("claimtraild ... serving on ADDR (port N), data in DIR") and reads the port
from it, so tests listen on port 0 and never collide.
"""

import os
import re
import signal
import subprocess
import time

_START_LINE = re.compile(r" serving on \S+ \(port (\d+)\)")


class ClaimtraildProcess:
    """One claimtraild process listening on 127.0.0.1:<some free port>."""

    def __init__(self, binary, data_dir, log_path, extra_args=()):
        self.binary = binary
        self.data_dir = data_dir
        self.log_path = log_path
        self.extra_args = list(extra_args)
        self.process = None
        self.port = None

    @property
    def target(self):
        return "127.0.0.1:%d" % self.port

    def log(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def start(self, timeout=30.0):
        """Starts the daemon; raises RuntimeError (with the log) on failure."""
        args = [self.binary, "--listen=127.0.0.1:0",
                "--data_dir=" + self.data_dir] + self.extra_args
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                args, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            match = _START_LINE.search(self.log())
            if match:
                self.port = int(match.group(1))
                return self
            if self.process.poll() is not None:
                raise RuntimeError(
                    "claimtraild exited with %d before serving; log:\n%s"
                    % (self.process.returncode, self.log()))
            time.sleep(0.01)
        self.process.kill()
        self.process.wait()
        raise RuntimeError("claimtraild printed no start line; log:\n"
                           + self.log())

    def stop(self, sig=signal.SIGTERM, timeout=30.0):
        """Sends `sig` and returns the exit code (kills it after timeout)."""
        if self.process is None or self.process.poll() is not None:
            return None if self.process is None else self.process.returncode
        self.process.send_signal(sig)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise RuntimeError("claimtraild did not exit after %s; log:\n%s"
                               % (signal.Signals(sig).name, self.log()))


def fresh_dir(name):
    """A new directory under $TEST_TMPDIR (or /tmp)."""
    base = os.environ.get("TEST_TMPDIR", "/tmp")
    path = os.path.join(base, "%s-%d-%d" % (name, os.getpid(),
                                             time.monotonic_ns()))
    os.makedirs(path)
    return path
