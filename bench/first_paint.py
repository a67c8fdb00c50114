"""Bench-only launcher: run a Textual program headless and exit after its first full paint.

    BENCH_PAINT_OUT=FILE BENCH_PAINT_MARKERS='text1|text2' \
        python3 bench/first_paint.py (-m MODULE | SCRIPT) [ARGS...]

The program runs as it would for a user (its own `__main__`, argument parsing, store
opening, `App.run()`), except that `App.run` is made headless at 120x40. Nothing is
imported ahead of the program: `textual.app` is patched when the program imports it.
Every frame the app produces is encoded into terminal output as a real terminal would
receive it (`render_segments`, not written anywhere). After the first frame whose screen
shows every marker, `time.monotonic()` (system-wide on Linux, so comparable with the
parent's clock) and the CPU time the process used so far are written to FILE, and the app
exits. The same hook serves the bare app and the cockpit."""

import importlib.abc
import importlib.machinery
import os
import runpy
import sys
import time

SIZE = (120, 40)
_OUT = os.environ["BENCH_PAINT_OUT"]
_MARKERS = [m for m in os.environ.get("BENCH_PAINT_MARKERS", "").split("|") if m]


def _screen_text(screen) -> str:
    compositor = screen._compositor
    chops = compositor._render_chops(compositor.size.region, lambda y: True)
    return "\n".join("".join(strip.text for strip in chop.values()) for chop in chops)


def _patch(app_class) -> None:
    run, display = app_class.run, app_class._display
    painted = False

    def headless_run(self, **kwargs):
        kwargs.update(headless=True, size=SIZE)
        return run(self, **kwargs)

    def display_then_check(self, screen, renderable) -> None:
        nonlocal painted
        display(self, screen, renderable)
        if renderable is None or painted:
            return
        renderable.render_segments(self.console)
        painted_at, cpu = time.monotonic(), time.process_time()
        if self.screen is not screen:
            return
        text = _screen_text(screen)
        if all(marker in text for marker in _MARKERS):
            painted = True
            with open(_OUT, "w") as out:
                out.write(f"{painted_at!r} {cpu!r}\n")
            self.exit()

    app_class.run = headless_run
    app_class._display = display_then_check


class _PatchTextualApp(importlib.abc.MetaPathFinder):
    """Patches `textual.app.App` right after the program first imports it."""

    def find_spec(self, name, path, target=None):
        if name != "textual.app":
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        load = spec.loader.exec_module

        def exec_module(module) -> None:
            load(module)
            _patch(module.App)

        spec.loader.exec_module = exec_module
        return spec


if __name__ == "__main__":
    if "textual.app" in sys.modules:
        _patch(sys.modules["textual.app"].App)
    else:
        sys.meta_path.insert(0, _PatchTextualApp())
    args = sys.argv[1:]
    if args[0] == "-m":
        sys.path[0] = os.getcwd()  # as `python -m` has it
        sys.argv = [args[1], *args[2:]]
        runpy.run_module(args[1], run_name="__main__", alter_sys=True)
    else:
        sys.argv = args
        sys.path[0] = os.path.dirname(os.path.abspath(args[0]))  # as `python SCRIPT` has it
        runpy.run_path(args[0], run_name="__main__")
