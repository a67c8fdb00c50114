"""Run a real program in a pseudo-terminal: type into it, and read its screen as text.

The screen is a small model of a terminal's cell grid that understands what Textual
writes (cursor moves, erases, text) and ignores colours and modes; enough to ask "which
text is on row 12 now". No dependency beyond the standard library."""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Callable, Sequence

# CSI with its parameters and final byte; OSC/DCS/APC strings; other two-byte escapes.
_TOKEN = re.compile(
    rb"\x1b\[(?P<params>[0-?]*)[ -/]*(?P<final>[@-~])"
    rb"|\x1b[\]P_^X].*?(?:\x07|\x1b\\)"
    rb"|\x1b[()][0-~]|\x1b[ -~]"
    rb"|(?P<text>[^\x1b]+)",
    re.DOTALL,
)
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[\]P_^X].*?(?:\x07|\x1b\\)|\x1b.")


def strip_ansi(text: str) -> str:
    """`text` without escape sequences."""
    return _ANSI.sub("", text)


def _incomplete_utf8(data: bytes) -> int:
    """How many bytes at the end of `data` begin a UTF-8 character not yet complete."""
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if byte & 0xC0 != 0x80:
            needed = 2 if byte >> 5 == 0b110 else 3 if byte >> 4 == 0b1110 else 4
            return back if byte >= 0xC0 and needed > back else 0
    return 0


class Screen:
    """A grid of cells updated from terminal output; one cell per character."""

    def __init__(self, cols: int, rows: int) -> None:
        self.cols, self.rows = cols, rows
        self.grid = [[" "] * cols for _ in range(rows)]
        self.x = self.y = 0
        self._pending = b""

    def feed(self, data: bytes) -> None:
        data = self._pending + data
        self._pending = b""
        # Keep an unfinished escape sequence or UTF-8 character for the next chunk.
        cut = data.rfind(b"\x1b")
        if cut != -1 and not _TOKEN.fullmatch(data[cut:]) and len(data) - cut < 64:
            data, self._pending = data[:cut], data[cut:]
        else:
            keep = _incomplete_utf8(data)
            if keep:
                data, self._pending = data[:-keep], data[-keep:]
        for match in _TOKEN.finditer(data):
            if match.group("text") is not None:
                self._write(match.group("text"))
            elif match.group("final") is not None:
                self._csi(match.group("params").decode(), match.group("final").decode())

    def _write(self, raw: bytes) -> None:
        text = raw.decode("utf-8", "ignore")
        for char in text:
            if char == "\r":
                self.x = 0
            elif char == "\n":
                self.y = min(self.rows - 1, self.y + 1)
            elif char == "\b":
                self.x = max(0, self.x - 1)
            elif char >= " ":
                if self.x < self.cols and self.y < self.rows:
                    self.grid[self.y][self.x] = char
                self.x += 1

    def _csi(self, params: str, final: str) -> None:
        if params.startswith("?"):
            return
        numbers = [int(p) if p.isdigit() else 0 for p in params.split(";")] if params else []
        first = numbers[0] if numbers else 0
        if final in "Hf":
            row = numbers[0] if numbers and numbers[0] else 1
            col = numbers[1] if len(numbers) > 1 and numbers[1] else 1
            self.y, self.x = min(self.rows, row) - 1, min(self.cols, col) - 1
        elif final == "A":
            self.y = max(0, self.y - max(first, 1))
        elif final == "B":
            self.y = min(self.rows - 1, self.y + max(first, 1))
        elif final == "C":
            self.x = min(self.cols - 1, self.x + max(first, 1))
        elif final == "D":
            self.x = max(0, self.x - max(first, 1))
        elif final == "G":
            self.x = min(self.cols, max(first, 1)) - 1
        elif final == "K":
            line = self.grid[self.y]
            start, end = {0: (self.x, self.cols), 1: (0, self.x + 1)}.get(first, (0, self.cols))
            line[start:end] = [" "] * (end - start)
        elif final == "J" and first in (2, 3):
            self.grid = [[" "] * self.cols for _ in range(self.rows)]

    def lines(self) -> list[str]:
        return ["".join(row).rstrip() for row in self.grid]

    def text(self) -> str:
        return "\n".join(self.lines())


class PtyTerm:
    """A program running in a pseudo-terminal of `cols` x `rows`."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        cols: int = 120,
        rows: int = 40,
        env: dict[str, str] | None = None,
    ) -> None:
        self.screen = Screen(cols, rows)
        self.raw = bytearray()
        self.on_output: Callable[[Screen], None] | None = None
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.master = master
        self.process = subprocess.Popen(
            list(argv),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env={**(env or os.environ), "COLUMNS": str(cols), "LINES": str(rows)},
            start_new_session=True,
            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
        )
        os.close(slave)
        self.closed = False

    def pump(self, timeout: float = 0.0) -> bool:
        """Read whatever output is ready within `timeout` seconds; False once it ended."""
        if self.closed:
            return False
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return True
        try:
            data = os.read(self.master, 65536)
        except OSError:
            data = b""
        if not data:
            self.closed = True
            return False
        self.raw.extend(data)
        self.screen.feed(data)
        if self.on_output is not None:
            self.on_output(self.screen)
        return True

    def wait_for(self, predicate: Callable[[Screen], bool], timeout: float) -> bool:
        """Read output until `predicate(screen)` holds; False if `timeout` passed first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate(self.screen):
                return True
            if not self.pump(0.02) and not predicate(self.screen):
                return False
        return predicate(self.screen)

    def write(self, data: str | bytes) -> None:
        os.write(self.master, data.encode() if isinstance(data, str) else data)

    def drain(self, timeout: float = 1.0) -> None:
        """Read until the program's output ends or `timeout` seconds pass."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.pump(0.05):
            pass

    def kill(self, sig: int = signal.SIGKILL) -> int:
        """Send `sig`, collect the exit status and the last output."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
        code = self.process.wait(timeout=10)
        self.drain(0.5)
        return code

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.closed = True
        with contextlib.suppress(OSError):
            os.close(self.master)
