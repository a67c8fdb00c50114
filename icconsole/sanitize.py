"""Control characters out at every boundary: keyboard, CLI, stdin, imports, merges."""

from __future__ import annotations

import re

# Whole escape sequences go, not just the ESC byte, so nothing of them is left to show.
_ESCAPES = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]                    # CSI ... final byte
  | \x9b[0-?]*[ -/]*[@-~]                      # 8-bit CSI
  | \x1b[\]PX^_].*?(?:\x07|\x1b\\|\x9c|$)      # OSC, DCS, SOS, PM, APC ... terminator
  | [\x9d\x90\x98\x9e\x9f].*?(?:\x07|\x1b\\|\x9c|$)  # 8-bit string introducers
  | \x1b[ -/]*[0-~]?                           # other ESC sequences (and a lone ESC)
    """,
    re.VERBOSE | re.DOTALL,
)
# C0 except tab and newline, DEL, C1, the bidirectional overrides that reorder text, and
# lone surrogates (undecodable bytes in argv arrive as them; they cannot be stored).
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Remove terminal escape sequences and control characters; keep newline and tab."""
    text = text.replace("\r\n", "\n")
    text = _ESCAPES.sub("", text)
    return _CONTROLS.sub("", text)


def clean_line(text: str) -> str:
    """`clean_text` for one-line fields: newlines and tabs become spaces, ends trimmed."""
    return " ".join(clean_text(text).split())


def clean_optional(text: str | None) -> str | None:
    """`clean_line` that keeps None and turns an empty result into None."""
    if text is None:
        return None
    return clean_line(text) or None
