"""`icconsole lint` (the blameless check on any text) and `icconsole postmortem` (the wizard)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from icconsole.cli import common_options, current_user, db_path, load_config
from icconsole.errors import InputError
from icconsole.sanitize import clean_line, clean_text


def _read_text(source: str) -> str:
    if source == "-":
        data = sys.stdin.buffer.read()
        name = "standard input"
    else:
        path = Path(source)
        name = str(path)
        try:
            data = path.read_bytes()
        except IsADirectoryError:
            raise InputError(f"{name}: is a directory") from None
        except OSError as exc:
            raise InputError(f"{name}: cannot read: {exc.strerror}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"{name} is not valid UTF-8 (line {line})") from None


@click.command(name="lint")
@click.argument("source", metavar="[FILE|-]", required=False, default="-")
@click.option(
    "--name",
    "names",
    multiple=True,
    help="A person's name to flag as well (repeatable), as the wizard does for the roster.",
)
@common_options
def lint_command(source: str, names: tuple[str, ...]) -> None:
    """Check text for blame and hindsight; print `line:col: phrase — suggestion`.

    Reads FILE, or standard input when FILE is - or absent; terminal control sequences
    are removed first. Exits 1 when it finds something, 0 when the text is clean."""
    from icconsole.blameless import lint

    findings = lint(clean_text(_read_text(source)), names)
    for finding in findings:
        click.echo(
            f"{finding.line}:{finding.column}: {clean_line(finding.phrase)} — {finding.suggestion}"
        )
    if findings:
        sys.exit(1)


@click.command(name="postmortem")
@click.argument("ref")
@common_options
@click.pass_context
def postmortem_command(ctx: click.Context, ref: str) -> None:
    """Open the guided post-mortem for incident REF (started and pre-filled on first use)."""
    from icconsole.postmortem import open_postmortem
    from icconsole.store import Store

    store = Store(db_path(ctx), load_config(ctx))
    try:
        incident = store.incident(ref)
        open_postmortem(store, incident.id)
        from icconsole.app import IcConsoleApp

        IcConsoleApp(store, user=current_user(store.config), postmortem_id=incident.id).run()
    finally:
        store.close()
