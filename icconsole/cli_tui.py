"""The commands that open the TUI; kept apart so that other commands never import Textual."""

from __future__ import annotations

from pathlib import Path

import click

from icconsole.cli import common_options, current_user, db_path, default_db_path, load_config


def run_tui(ctx: click.Context, ref: str | None, home: bool = False, path=None) -> None:
    """Open the store (errors are reported before the screen changes), then the app."""
    from icconsole.store import Store

    config = load_config(ctx)
    store = Store(path or db_path(ctx), config)
    incident_id = None
    if not home:
        incident = store.incident(ref) if ref else store.most_recent_active()
        incident_id = incident.id if incident else None
    from icconsole.app import IcConsoleApp

    app = IcConsoleApp(store, user=current_user(config), incident_id=incident_id)
    try:
        app.run()
    finally:
        store.close()


@click.command(name="open")
@click.argument("ref", required=False)
@common_options
@click.pass_context
def open_command(ctx: click.Context, ref: str | None) -> None:
    """Open the cockpit on an incident (default: the most recent active one)."""
    run_tui(ctx, ref)


@click.command(name="demo")
@click.option("--no-open", is_flag=True, help="Only write the demo file and print its path.")
@common_options
@click.pass_context
def demo_command(ctx: click.Context, no_open: bool) -> None:
    """Write a demo file (if absent) with a live SEV1 and a past incident, and open it.

    The file is --db if given, else demo.db in the user data directory."""
    from icconsole.demo import build_demo
    from icconsole.store import Store

    given = ctx.find_root().meta.get("icconsole.db_path")
    path = Path(given) if given else default_db_path("demo.db")
    created = not path.exists()
    if created:
        with Store(path, load_config(ctx)) as store:
            build_demo(store, store.now())
    if no_open:
        click.echo(str(path))
        return
    run_tui(ctx, None, path=path)
