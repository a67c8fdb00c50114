"""`icconsole export`, `import` and `merge`: the record as documents and data."""

from __future__ import annotations

from pathlib import Path

import click

from icconsole.cli import common_options, open_store
from icconsole.errors import InputError

FORMATS = ("md", "html", "json")


@click.command(name="export")
@click.argument("ref", required=False)
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(FORMATS, case_sensitive=False),
    default="md",
    show_default=True,
)
@click.option("--all", "everything", is_flag=True, help="Every incident (JSON only).")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to FILE, not stdout.")
@click.option("--force", is_flag=True, help="Replace an existing output file.")
@click.option("--local-time", is_flag=True, help="Times in local time instead of UTC.")
@common_options
@click.pass_context
def export_command(
    ctx: click.Context,
    ref: str | None,
    fmt: str,
    everything: bool,
    output: Path | None,
    force: bool,
    local_time: bool,
) -> None:
    """Export an incident as Markdown (the post-mortem, or the incident report), a
    self-contained HTML page, or JSON (one incident, or --all)."""
    fmt = fmt.lower()
    if everything and ref:
        raise InputError("give REF or --all, not both")
    if everything and fmt != "json":
        raise InputError("--all exports JSON only: add --format json")
    if not everything and not ref:
        raise InputError("name the incident to export (REF), or use --all with --format json")
    with open_store(ctx) as store:
        from icconsole.interchange import all_records, export_json

        if everything:
            text = export_json(all_records(store))
        else:
            from icconsole.export import render

            record = store.record(store.incident(ref or "").id)
            text = render(record, store.config, fmt, utc=not local_time)
    if output is None:
        click.echo(text, nl=False)
    else:
        from icconsole.export import write_file

        write_file(output, text, overwrite=force)
        click.echo(f"wrote {output}", err=True)


@click.command(name="import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@common_options
@click.pass_context
def import_command(ctx: click.Context, file: Path) -> None:
    """Import a JSON export: validated first, then all of it or nothing."""
    from icconsole.interchange import apply_records, read_export

    records = read_export(file)
    with open_store(ctx) as store:
        report = apply_records(store, records)
    for line in report.lines():
        click.echo(line)


@click.command(name="merge")
@click.argument("other", type=click.Path(path_type=Path, dir_okay=False))
@common_options
@click.pass_context
def merge_command(ctx: click.Context, other: Path) -> None:
    """Merge another responder's database file into this one (OTHER is only read)."""
    from icconsole.interchange import merge_file

    if not other.exists():
        raise InputError(f"{other}: no such file")
    with open_store(ctx) as store:
        report = merge_file(store, other)
    for line in report.lines():
        click.echo(line)
