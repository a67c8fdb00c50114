"""`icconsole handoff`: the transfer of command from the command line.

The incoming IC runs it: it prints the pre-filled brief, then asks them to type their
name to acknowledge "I have command" (`--yes` acknowledges without asking)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from icconsole.cli import common_options, current_user, open_store
from icconsole.errors import InputError
from icconsole.sanitize import clean_line


def _read_brief(path: Path) -> str:
    """The brief from a file, or from stdin for `-`."""
    try:
        data = sys.stdin.buffer.read() if str(path) == "-" else path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the brief {path}: {exc.strerror}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"the brief {path} is not valid UTF-8; nothing changed") from None
    if not text.strip():
        raise InputError(f"the brief {path} is empty; nothing changed")
    return text


def _acknowledged(person: str) -> bool:
    """Ask the incoming IC to type their name; True when it matches."""
    try:
        typed = click.prompt(
            f'{person}, type your name to acknowledge "I have command"',
            default="",
            show_default=False,
        )
    except click.Abort:
        return False
    return clean_line(typed).casefold() == clean_line(person).casefold()


@click.command(name="handoff")
@click.argument("person")
@click.option("--incident", "-i", "ref", help="Incident ref (default: the only active one).")
@click.option("--brief-only", is_flag=True, help="Print the pre-filled brief; change nothing.")
@click.option(
    "--brief-file",
    type=click.Path(dir_okay=False, path_type=Path, allow_dash=True),
    help="Use this (edited) brief instead of the pre-filled one; - reads stdin.",
)
@click.option("--yes", "-y", is_flag=True, help='PERSON acknowledges "I have command".')
@common_options
@click.pass_context
def handoff_command(
    ctx: click.Context,
    person: str,
    ref: str | None,
    brief_only: bool,
    brief_file: Path | None,
    yes: bool,
) -> None:
    """Hand command of an incident to PERSON, with a brief stored with the transfer.

    Run by the incoming IC: the brief is printed, then PERSON types their name to
    acknowledge "I have command" (or gives --yes). --brief-only only prints the brief."""
    if brief_only and (yes or brief_file):
        raise InputError(
            "--brief-only prints the brief; it goes with neither --yes nor --brief-file"
        )
    if brief_file is not None and str(brief_file) == "-" and not yes:
        raise InputError("a brief read from stdin needs --yes (stdin cannot also answer)")
    from icconsole.handoff import brief_for

    with open_store(ctx) as store:
        incident = store.resolve_incident(ref)
        brief = _read_brief(brief_file) if brief_file else brief_for(store, incident.id, person)
        if brief_only:
            click.echo(brief, nl=False)
            return
        outgoing = store.commander(incident.id)
        if outgoing == clean_line(person):
            raise InputError(f"{person} already has command of {incident.ref}")
        click.echo(brief if brief.endswith("\n") else brief + "\n", nl=False)
        if not yes and not _acknowledged(person):
            raise InputError(
                f"not acknowledged: command of {incident.ref} stays with {outgoing or '—'}"
            )
        handoff = store.transfer_command(incident.id, person, brief, current_user(store.config))
    click.echo(
        f"{incident.ref}: command transferred from {handoff.from_person or '—'} "
        f"to {handoff.to_person}"
    )
