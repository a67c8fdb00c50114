"""`python -m icconsole` and the `icconsole` command."""

from icconsole.collector import pause_for_startup


def run() -> None:
    """Start the CLI with the collector paused until start-up is over (see cli.cli)."""
    pause_for_startup()
    from icconsole.cli import main

    main()


if __name__ == "__main__":
    run()
