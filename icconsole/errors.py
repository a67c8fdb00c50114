"""The two kinds of failure a person can be told about in one line."""

from __future__ import annotations


class IcError(Exception):
    """A failure with a message fit to show as it is. `exit_code` is for the CLI."""

    exit_code = 1


class InputError(IcError):
    """What the person gave us is not acceptable (exit 2)."""

    exit_code = 2


class StoreError(IcError):
    """The database cannot be used: unwritable, not ours, newer, locked, full (exit 1)."""

    exit_code = 1
