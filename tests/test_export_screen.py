"""The export screen: preview, format choice, writing a file (with confirmation before
replacing one) and copying, on the demo incidents; and one snapshot."""

from __future__ import annotations

from pathlib import Path

import pyperclip
import pytest
from textual.widgets import ContentSwitcher, Input, Label, Markdown, TextArea

from icconsole.export import render
from icconsole.screens.export import NO_LOCAL_CLIPBOARD, PREVIEW_LINES, ExportScreen
from tests.tui import make_app


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


async def _open(pilot, app, ref: str, results: list | None = None) -> ExportScreen:
    incident = app.store.incident(ref)
    app.push_screen(ExportScreen(incident.id), results.append if results is not None else None)
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, ExportScreen)
    return screen


def _message(screen) -> str:
    return str(screen.query_one("#message", Label).render())


async def test_preview_and_format_choice(demo_store, in_tmp) -> None:
    app = make_app(demo_store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(pilot, app, "INC-1")
        record = demo_store.record(demo_store.incident("INC-1").id)
        assert screen.text("md") == render(record, demo_store.config, "md")
        assert screen.query_one(ContentSwitcher).current == "rendered"
        assert "post-mortem" in str(screen.query_one("#export").border_title)
        await pilot.press("j")
        await pilot.pause()
        assert screen.fmt == "json"
        assert screen.query_one(ContentSwitcher).current == "raw"
        json_text = render(record, demo_store.config, "json")
        assert screen.text("json") == json_text
        # A long document is previewed in part; the file and the clipboard get it all.
        shown = screen.query_one(TextArea).text.split("\n")
        assert shown == json_text.split("\n")[:PREVIEW_LINES]
        note = str(screen.query_one("#export-note", Label).render())
        assert f"preview shows the first {PREVIEW_LINES} lines" in note
        await pilot.press("h")
        await pilot.pause()
        assert screen.query_one(TextArea).text.startswith("<!DOCTYPE html>")
        await pilot.press("m")
        await pilot.pause()
        assert screen.query_one(ContentSwitcher).current == "rendered"
        assert screen.query_one(Markdown).source == screen.text("md")


async def test_write_with_default_name_then_confirm_replace(demo_store, in_tmp) -> None:
    app = make_app(demo_store)
    results: list[bool] = []
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(pilot, app, "INC-2", results)
        await pilot.press("w")
        await pilot.pause()
        assert app.screen.query_one(Input).value == "INC-2-report.md"
        await pilot.press("enter")
        await pilot.pause()
        target = in_tmp / "INC-2-report.md"
        assert target.read_text(encoding="utf-8") == screen.text("md")
        assert _message(screen) == "Wrote INC-2-report.md"

        target.write_text("keep", encoding="utf-8")
        await pilot.press("w", "enter")
        await pilot.pause()
        assert "already exists" in str(app.screen.query_one("#picker-note", Label).render())
        await pilot.press("down", "enter")  # keep it
        await pilot.pause()
        assert target.read_text(encoding="utf-8") == "keep"
        assert _message(screen) == "Nothing written."

        await pilot.press("w", "enter")
        await pilot.pause()
        await pilot.press("enter")  # replace it
        await pilot.pause()
        assert target.read_text(encoding="utf-8") == screen.text("md")

        await pilot.press("j", "w")
        await pilot.pause()
        assert app.screen.query_one(Input).value == "INC-2.json"
        await pilot.press("escape")
        await pilot.pause()
        assert not (in_tmp / "INC-2.json").exists()
        await pilot.press("escape")
        await pilot.pause()
    assert results == [False]


async def test_write_into_a_missing_directory_says_so(demo_store, in_tmp) -> None:
    app = make_app(demo_store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(pilot, app, "INC-2")
        await pilot.press("w")
        await pilot.pause()
        app.screen.query_one(Input).value = "nowhere/out.md"
        await pilot.press("enter")
        await pilot.pause()
        assert _message(screen) == "nowhere: no such directory"
        assert screen.query_one("#message").has_class("-error")


async def test_copy_reports_whether_a_local_clipboard_was_reached(
    demo_store, in_tmp, monkeypatch
) -> None:
    copied: list[str] = []
    monkeypatch.setattr(pyperclip, "copy", copied.append)
    app = make_app(demo_store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(pilot, app, "INC-1")
        await pilot.press("c")
        await pilot.pause()
        assert copied == [screen.text("md")]
        assert app.clipboard == screen.text("md")
        assert _message(screen) == "Copied to the clipboard."

        def fail(text: str) -> None:
            raise pyperclip.PyperclipException("no clipboard mechanism")

        monkeypatch.setattr(pyperclip, "copy", fail)
        await pilot.press("c")
        await pilot.pause()
        assert _message(screen) == NO_LOCAL_CLIPBOARD


def test_export_screen_snapshot(snap_compare, demo_store) -> None:
    app = make_app(demo_store)

    async def open_export(pilot) -> None:
        await pilot.pause()
        app.push_screen(ExportScreen(demo_store.incident("INC-1").id))
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 30), run_before=open_export)


async def test_e_on_home_exports_the_selected_incident(demo_store, in_tmp) -> None:
    app = make_app(demo_store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        assert app.screen.incident_id == demo_store.most_recent_active().id
