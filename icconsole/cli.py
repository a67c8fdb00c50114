"""The command line: responders and scripts log from any shell into the IC's file.

Commands are loaded lazily so that `icconsole log` imports neither Textual nor the
export machinery."""

from __future__ import annotations

import importlib
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from icconsole.collector import startup_over
from icconsole.errors import IcError, InputError

# Commands living in other modules, imported only when invoked: name -> "module:attribute".
LAZY_COMMANDS: dict[str, str] = {
    "open": "icconsole.cli_tui:open_command",
    "demo": "icconsole.cli_tui:demo_command",
    "handoff": "icconsole.cli_roles:handoff_command",
    "update": "icconsole.cli_comms:update_command",
    "export": "icconsole.cli_export:export_command",
    "import": "icconsole.cli_export:import_command",
    "merge": "icconsole.cli_export:merge_command",
    "lint": "icconsole.cli_postmortem:lint_command",
    "postmortem": "icconsole.cli_postmortem:postmortem_command",
}

# The commands that may open the TUI: they resume the collector after its first frame.
TUI_COMMANDS = frozenset({"open", "demo", "postmortem"})

ENTRY_KINDS = (
    "note",
    "decision",
    "action",
    "hypothesis",
    "finding",
    "comms",
    "status",
    "severity",
    "role",
    "task",
    "alert",
)


class CommandError(click.ClickException):
    """An `IcError` as click shows it: one line on stderr, the error's exit code."""

    def __init__(self, error: IcError) -> None:
        super().__init__(str(error))
        self.exit_code = error.exit_code

    def show(self, file: Any = None) -> None:
        click.echo(f"icconsole: error: {self.message}", err=True)


class OneLineUsageError(click.UsageError):
    """click's usage error (bad option, missing argument) as one line on stderr, exit 2."""

    def __init__(self, error: click.UsageError) -> None:
        super().__init__(" ".join(error.format_message().split()), error.ctx)

    def show(self, file: Any = None) -> None:
        hint = f" (see '{self.ctx.command_path} --help')" if self.ctx else ""
        click.echo(f"icconsole: error: {self.message}{hint}", err=True)


class LazyGroup(click.Group):
    """A group whose listed commands are imported on first use, and which turns our
    errors into one line and an exit code."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as exc:
            raise OneLineUsageError(exc) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except IcError as exc:
            raise CommandError(exc) from None
        except click.UsageError as exc:
            if isinstance(exc, OneLineUsageError):
                raise
            raise OneLineUsageError(exc) from None

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS:
            module_name, attribute = LAZY_COMMANDS[cmd_name].split(":")
            return getattr(importlib.import_module(module_name), attribute)
        return super().get_command(ctx, cmd_name)


def _remember(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    if value is not None:
        ctx.find_root().meta[f"icconsole.{param.name}"] = value
    return value


def common_options(func: Callable) -> Callable:
    """`--db` and `--config`, accepted on the group and on every command."""
    func = click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False, path_type=Path),
        expose_value=False,
        callback=_remember,
        help="Config TOML file (default: the user config dir, or $ICCONSOLE_CONFIG).",
    )(func)
    return click.option(
        "--db",
        "db_path",
        type=click.Path(path_type=Path),
        expose_value=False,
        callback=_remember,
        help="Database file (default: $ICCONSOLE_DB, or the user data dir).",
    )(func)


def default_db_path(name: str = "icconsole.db") -> Path:
    from platformdirs import user_data_path

    return user_data_path("icconsole") / name


def db_path(ctx: click.Context, fallback_name: str = "icconsole.db") -> Path:
    """`--db`, else `$ICCONSOLE_DB`, else the platform's user data directory."""
    given = ctx.find_root().meta.get("icconsole.db_path")
    if given:
        return Path(given)
    env = os.environ.get("ICCONSOLE_DB")
    return Path(env) if env else default_db_path(fallback_name)


def load_config(ctx: click.Context):
    from icconsole.config import load_config as load

    return load(ctx.find_root().meta.get("icconsole.config_path"))


def open_store(ctx: click.Context, path: Path | None = None):
    from icconsole.store import Store

    return Store(path or db_path(ctx), load_config(ctx))


def current_user(config=None) -> str:
    """`$ICCONSOLE_USER`, the config's `user`, or the login name."""
    env = os.environ.get("ICCONSOLE_USER", "").strip()
    if env:
        return env
    if config is not None and config.user:
        return config.user
    try:
        import getpass

        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def _author(ctx: click.Context, store, author: str | None) -> str:
    return author or current_user(store.config)


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _show_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """`--version`, also when running from a source tree that was never installed."""
    if not value or ctx.resilient_parsing:
        return
    from importlib.metadata import PackageNotFoundError, version

    try:
        shown = version("icconsole")
    except PackageNotFoundError:
        shown = "(not installed: running from source)"
    click.echo(f"icconsole {shown}")
    ctx.exit()


@click.group(cls=LazyGroup, invoke_without_command=True)
@common_options
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_show_version,
    help="Show the version and exit.",
)
@click.pass_context
def cli(ctx: click.Context) -> None:
    """IC Console: the Incident Commander's cockpit and post-mortem, in one SQLite file.

    Run without a command to open the incident list."""
    if ctx.invoked_subcommand is None:
        from icconsole.cli_tui import run_tui

        run_tui(ctx, None, home=True)
    elif ctx.invoked_subcommand not in TUI_COMMANDS:
        startup_over()  # the TUI resumes the collector after its first frame


@cli.command()
@click.argument("title")
@click.option("--severity", "-s", help="SEV1 to SEV4 (default from config: SEV2).")
@click.option("--commander", help="Who takes command (default: you).")
@click.option("--summary", default="", help="A first summary of what is known.")
@click.option("--drill", is_flag=True, help="A practice incident, left out of metrics.")
@common_options
@click.pass_context
def declare(
    ctx: click.Context,
    title: str,
    severity: str | None,
    commander: str | None,
    summary: str,
    drill: bool,
) -> None:
    """Declare an incident and print its reference."""
    with open_store(ctx) as store:
        author = current_user(store.config)
        incident = store.declare(
            title, severity, commander or author, summary, drill=drill, author=author
        )
    click.echo(incident.ref)


@cli.command()
@click.argument("text", required=False)
@click.option("--incident", "-i", "ref", help="Incident ref (default: the only active one).")
@click.option("--kind", "-k", type=click.Choice(ENTRY_KINDS, case_sensitive=False), default="note")
@click.option("--author", "-a", help="Who is logging (default: $ICCONSOLE_USER or login).")
@click.option("--at", "at", help="When it happened: -5m, -1h30m, 14:05 or ISO time.")
@click.option("--pin", is_flag=True, help="Pin the entry as a key event.")
@click.option("--stdin", "from_stdin", is_flag=True, help="One entry per line of standard input.")
@common_options
@click.pass_context
def log(
    ctx: click.Context,
    text: str | None,
    ref: str | None,
    kind: str,
    author: str | None,
    at: str | None,
    pin: bool,
    from_stdin: bool,
) -> None:
    """Append a timeline entry (or one per line of stdin) to an incident."""
    if from_stdin and text is not None:
        raise InputError("give TEXT or --stdin, not both")
    if not from_stdin and text is None:
        raise InputError("nothing to log: give TEXT or --stdin")
    if from_stdin and pin:
        raise InputError("--pin logs one entry; it does not go with --stdin")
    lines = _read_stdin_lines() if from_stdin else []
    with open_store(ctx) as store:
        from icconsole.clock import parse_when

        incident = store.resolve_incident(ref)
        when = parse_when(at, store.now()) if at else None
        who = _author(ctx, store, author)
        if from_stdin:
            count = store.log_many(incident.id, lines, kind, who, when)
            click.echo(f"{incident.ref}: logged {count} entries")
        else:
            store.log(incident.id, text or "", kind, who, when, pinned=pin)


def _read_stdin_lines() -> list[str]:
    data = sys.stdin.buffer.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"standard input is not valid UTF-8 (line {line}); nothing logged"
        ) from None
    return text.splitlines()


@cli.command()
@click.argument("status")
@click.option("--incident", "-i", "ref", help="Incident ref (default: the only active one).")
@common_options
@click.pass_context
def status(ctx: click.Context, status: str, ref: str | None) -> None:
    """Set the status: investigating, identified, mitigated, resolved, closed."""
    with open_store(ctx) as store:
        incident = store.resolve_incident(ref)
        updated = store.set_status(incident.id, status, current_user(store.config))
    click.echo(f"{updated.ref}: {updated.status.value}")


@cli.command()
@click.argument("severity")
@click.option("--incident", "-i", "ref", help="Incident ref (default: the only active one).")
@common_options
@click.pass_context
def severity(ctx: click.Context, severity: str, ref: str | None) -> None:
    """Set the severity (SEV1 to SEV4, or 1 to 4)."""
    with open_store(ctx) as store:
        incident = store.resolve_incident(ref)
        updated = store.set_severity(incident.id, severity, current_user(store.config))
        missing = store.missing_checklist(updated.id, updated.severity)
    click.echo(f"{updated.ref}: {updated.severity}")
    if missing:
        click.echo(f"{updated.severity} checklist items not yet on the incident:")
        for item in missing:
            click.echo(f"  - {item.title}")


@cli.command()
@click.argument("role")
@click.argument("person", required=False)
@click.option("--incident", "-i", "ref", help="Incident ref (default: the only active one).")
@click.option("--relieve", is_flag=True, help="End the assignment instead of making one.")
@common_options
@click.pass_context
def role(ctx: click.Context, role: str, person: str | None, ref: str | None, relieve: bool) -> None:
    """Assign ROLE to PERSON (or --relieve them)."""
    with open_store(ctx) as store:
        incident = store.resolve_incident(ref)
        author = current_user(store.config)
        role_def = store.config.role(role)
        if relieve:
            store.relieve_role(incident.id, role_def.key, author, person)
            click.echo(f"{incident.ref}: {role_def.name} relieved")
        else:
            if not person:
                raise InputError("name the PERSON to assign")
            store.assign_role(incident.id, role_def.key, person, author)
            click.echo(f"{incident.ref}: {person} is {role_def.name}")


@cli.command(name="list")
@click.option("--all", "show_all", is_flag=True, help="Include resolved and closed incidents.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@common_options
@click.pass_context
def list_command(ctx: click.Context, show_all: bool, as_json: bool) -> None:
    """List active incidents (or all of them)."""
    with open_store(ctx) as store:
        incidents = store.incidents(active_only=not show_all)
        commanders = {i.id: store.commander(i.id) for i in incidents}
    if as_json:
        from icconsole.validation import jsonable

        emit_json([{**jsonable(i), "commander": commanders[i.id]} for i in incidents])
        return
    if not incidents:
        click.echo("no active incidents" if not show_all else "no incidents")
        return
    for i in incidents:
        drill = " [drill]" if i.drill else ""
        ic = commanders[i.id] or "—"
        click.echo(f"{i.ref:<8} {i.severity:<5} {i.status.value:<13} IC {ic:<12} {i.title}{drill}")


@cli.command()
@click.argument("ref")
@click.option("--json", "as_json", is_flag=True, help="The whole record, as JSON export uses it.")
@common_options
@click.pass_context
def show(ctx: click.Context, ref: str, as_json: bool) -> None:
    """Show an incident with its roles, tasks and timeline."""
    with open_store(ctx) as store:
        incident = store.incident(ref)
        record = store.record(incident.id)
    if as_json:
        from icconsole.validation import jsonable

        emit_json(jsonable(record))
        return
    from icconsole.report import plain_report

    click.echo(plain_report(record, store.config))


@cli.command()
@click.argument("query")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 10_000))
@common_options
@click.pass_context
def search(ctx: click.Context, query: str, limit: int) -> None:
    """Full-text search across every incident's title and timeline."""
    with open_store(ctx) as store:
        hits = store.search(query, limit)
    if not hits:
        click.echo("no matches")
        sys.exit(1)
    for hit in hits:
        where = "title" if hit.entry_id is None else "entry"
        text = " ".join(hit.text.split())
        click.echo(f"{hit.ref:<8} {where:<5} {text}")


def main() -> None:
    """Entry point: one clear line on stderr and a meaningful exit code, never a traceback."""
    try:
        cli.main(prog_name="icconsole")
    except Exception as exc:
        if os.environ.get("ICCONSOLE_DEBUG"):
            raise
        click.echo(f"icconsole: internal error: {type(exc).__name__}: {exc}", err=True)
        sys.exit(1)
