"""`icconsole update draft|sent`: status updates from the command line."""

from __future__ import annotations

import sys

import click

from icconsole.cli import common_options, current_user, open_store
from icconsole.errors import InputError

AUDIENCE_CHOICE = click.Choice(["internal", "external", "executive", "can"], case_sensitive=False)


@click.group(name="update")
@common_options
def update_command() -> None:
    """Status updates: draft one from a template, or record one sent elsewhere."""


@update_command.command(name="draft")
@click.option(
    "--audience",
    "-a",
    type=AUDIENCE_CHOICE,
    default="internal",
    show_default=True,
    help="Which template: internal, external, executive, or can (an internal CAN report).",
)
@click.option("--incident", "-i", "ref", help="Incident ref (default: the only active one).")
@common_options
@click.pass_context
def draft_command(ctx: click.Context, audience: str, ref: str | None) -> None:
    """Print the audience's template filled from the incident."""
    from icconsole.comms import draft, update_record

    with open_store(ctx) as store:
        incident = store.resolve_incident(ref)
        text = draft(update_record(store, incident.id), store.config, audience, store.now())
    click.echo(text)


@update_command.command(name="sent")
@click.argument("text")
@click.option(
    "--audience",
    "-a",
    type=AUDIENCE_CHOICE,
    default="internal",
    show_default=True,
    help="Who it went to (can is recorded as internal).",
)
@click.option("--incident", "-i", "ref", help="Incident ref (default: the only active one).")
@common_options
@click.pass_context
def sent_command(ctx: click.Context, text: str, audience: str, ref: str | None) -> None:
    """Record an update sent elsewhere (TEXT, or - to read it from stdin); the cadence
    restarts."""
    from icconsole.comms import format_when, template_audience

    body = _read_stdin() if text == "-" else text
    with open_store(ctx) as store:
        incident = store.resolve_incident(ref)
        update = store.record_update(
            incident.id, template_audience(audience), body, current_user(store.config)
        )
        due = store.incident(incident.id).next_update_due
    message = f"{incident.ref}: {update.audience.value} update recorded"
    if due is not None:
        message += f"; next update due {format_when(due, update.sent_at, store.config.utc)}"
    click.echo(message)


def _read_stdin() -> str:
    data = sys.stdin.buffer.read()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("standard input is not valid UTF-8; nothing recorded") from None
