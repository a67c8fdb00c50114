"""Control characters and terminal escape sequences never get past the boundary."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from icconsole.sanitize import clean_line, clean_optional, clean_text

# What must never survive: C0 but tab and newline, DEL, C1, bidi overrides, surrogates.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")

# Text a person could type and see: no control, format, surrogate or unassigned characters.
printable = st.text(
    alphabet=st.characters(exclude_categories=("Cc", "Cf", "Cs", "Co", "Cn")), max_size=40
)
any_text = st.text(alphabet=st.characters(codec=None), max_size=200)
with_surrogates = st.text(alphabet=st.one_of(st.characters(), st.characters(categories=["Cs"])))

csi = st.builds(
    lambda params, inter, final: f"\x1b[{params}{inter}{final}",
    st.text(alphabet=st.characters(min_codepoint=0x30, max_codepoint=0x3F), max_size=8),
    st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x2F), max_size=2),
    st.characters(min_codepoint=0x40, max_codepoint=0x7E),
)
# OSC payloads: printable ASCII (so no terminator inside), e.g. `52;c;<base64>` or `8;;URL`.
payload = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=60)
osc = st.builds(
    lambda intro, body, end: f"\x1b{intro}{body}{end}",
    st.sampled_from(["]", "P", "_", "^", "X"]),
    payload,
    st.sampled_from(["\x07", "\x1b\\"]),
)
osc52 = st.builds(
    lambda data, end: f"\x1b]52;c;{data}{end}",
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="),
    st.sampled_from(["\x07", "\x1b\\"]),
)
escape = st.one_of(csi, osc, osc52)


@given(any_text)
def test_no_control_character_survives_but_newline_and_tab(text: str) -> None:
    assert not FORBIDDEN.search(clean_text(text))


@given(with_surrogates)
def test_lone_surrogates_are_removed(text: str) -> None:
    cleaned = clean_text(text)
    assert not FORBIDDEN.search(cleaned)
    cleaned.encode("utf-8")


@given(printable)
def test_printable_text_is_unchanged(text: str) -> None:
    assert clean_text(text) == text


@given(printable, escape, printable)
def test_escape_sequences_are_removed_whole(before: str, sequence: str, after: str) -> None:
    assert clean_text(before + sequence + after) == before + after


@given(printable, st.lists(escape, max_size=4), printable)
def test_runs_of_sequences_leave_only_the_text(before: str, runs: list[str], after: str) -> None:
    assert clean_text(before + "".join(runs) + after) == before + after


@given(any_text)
def test_clean_line_has_no_line_breaks_or_tabs(text: str) -> None:
    line = clean_line(text)
    assert "\n" not in line and "\t" not in line and "\r" not in line
    assert line == line.strip()
    assert not FORBIDDEN.search(line)


def test_newline_and_tab_are_kept_and_crlf_becomes_newline() -> None:
    assert clean_text("a\tb\r\nc\nd") == "a\tb\nc\nd"


def test_known_attacks() -> None:
    hyperlink = "\x1b]8;;https://evil.example/\x1b\\click me\x1b]8;;\x1b\\"
    assert clean_text(f"see {hyperlink}!") == "see click me!"
    assert clean_text("x\x1b]52;c;cm0gLXJmIH4=\x07y") == "xy"
    assert clean_text("\x1b[2J\x1b[31mred\x1b[0m") == "red"
    assert clean_text("a\x9b31mb\x9d0;title\x9cc") == "abc"
    assert clean_text("title\x1b]0;pwned\x07") == "title"
    assert clean_text("abc\u202edcba") == "abcdcba"
    assert clean_text("bell\x07 nul\x00 del\x7f") == "bell nul del"


def test_clean_line_joins_lines() -> None:
    assert clean_line("  first\nsecond\t third  ") == "first second third"


def test_clean_optional() -> None:
    assert clean_optional(None) is None
    assert clean_optional(" \x1b[1m \n") is None
    assert clean_optional(" bob ") == "bob"
