"""User text escaped for Markdown keeps the document's shape: parsed with markdown-it-py, it
gives exactly one paragraph / cell / item / heading of plain inline text, whose text is the
input's (modulo whitespace)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from icconsole.export import markdown_parser
from icconsole.markdown_safe import cell, inline, paragraphs
from icconsole.sanitize import clean_text

PARSERS = {
    "ours": markdown_parser,
    "gfm": lambda: MarkdownIt("gfm-like").disable("linkify"),
}

NASTY = [
    "# heading",
    "###### six",
    "title ##",
    "- item\n- item",
    "+ plus\n* star",
    "1. one\n2. two",
    "1) paren",
    "123456789. long number",
    "> quote\n>> nested",
    "```python\nprint(1)\n```",
    "~~~\nfence\n~~~",
    "    indented code",
    "\tTabbed code",
    "para\n===",
    "para\n---",
    "***",
    "- - -",
    "___",
    "| a | b |\n|---|---|\n| c | d |",
    "a | b\n--|--",
    "pipe | inside",
    "[link](http://example.com)",
    "![image](http://example.com/x.png)",
    "[ref]: http://example.com",
    "[^1] and [^1]: footnote",
    "<http://example.com> <a@b.co>",
    "<script>alert(1)</script>",
    "<!-- comment -->",
    "<div>\nblock html\n</div>",
    "&amp; &#35; &#x41; &copy; R&D",
    "*emph* **strong** _u_ __uu__ snake_case_name",
    "~~strike~~ ~single~",
    "`code` ``double``",
    "trailing backslash\\",
    "back\\\\slash \\* \\_",
    "two trailing spaces  \nnext",
    "  leading spaces\n   and more",
    "line\r\nwindows\rold mac",
    "blank\n\n\nlines\n \n\t\nhere",
    "\x1b[31mred\x1b[0m \x00nul",
    "\u2028line separator\u2029para separator",
    "\u00a0# nbsp heading",
    "[x] task? - [ ] box",
    "a\\\n# b",
    "*\n*",
    "-",
    "=",
    "1.",
    "#",
    "\\",
    "!",
    "<",
    "`",
]

MARKDOWN_CHARS = [
    *"#*-_+=>|`~[]()!<&;:\\.)1234567890 \t\nab^",
    "\u00a0",
    "é",
    "\r",
    "http://x.io",
    "www.x.io",
    "<b>",
    "&amp;",
    "```",
    "---",
    "1. ",
    "    ",
    "[^1]:",
    "\\\n",
]
markdownish = st.lists(st.sampled_from(MARKDOWN_CHARS), max_size=40).map("".join)
any_text = st.one_of(markdownish, st.text(max_size=60))


def normalised(text: str) -> str:
    return " ".join(clean_text(text.replace("\r\n", "\n").replace("\r", "\n")).split())


def blocks(text: str) -> list[str]:
    """The input's paragraphs: runs of lines that are not blank, normalised."""
    found: list[list[str]] = [[]]
    for line in clean_text(text.replace("\r\n", "\n").replace("\r", "\n")).split("\n"):
        if line.split():
            found[-1].append(line)
        elif found[-1]:
            found.append([])
    return [normalised(" ".join(lines)) for lines in found if lines]


def inline_text(token: Token) -> str:
    """The text of an inline token, insisting it holds nothing but text and line breaks."""
    assert token.type == "inline"
    parts = []
    for child in token.children or []:
        assert child.type in ("text", "softbreak", "hardbreak"), (child.type, token.content)
        parts.append(child.content if child.type == "text" else " ")
    return " ".join("".join(parts).split())


def shape(tokens: list[Token]) -> list[str]:
    return [token.type for token in tokens]


def check_paragraphs(parser: MarkdownIt, text: str) -> None:
    body = paragraphs(text)
    tokens = parser.parse(f"# Before\n\n{body}\n\n## After\n")
    expected = blocks(text)
    assert shape(tokens) == [
        "heading_open",
        "inline",
        "heading_close",
        *["paragraph_open", "inline", "paragraph_close"] * len(expected),
        "heading_open",
        "inline",
        "heading_close",
    ], body
    found = [inline_text(t) for t in tokens[3:-3] if t.type == "inline"]
    assert found == expected


def check_cell(parser: MarkdownIt, text: str) -> None:
    source = f"| A | B |\n|---|---|\n| {cell(text)} | after |\n| x | y |\n"
    tokens = parser.parse(source)
    assert shape(tokens) == [
        "table_open",
        "thead_open",
        "tr_open",
        *["th_open", "inline", "th_close"] * 2,
        "tr_close",
        "thead_close",
        "tbody_open",
        *["tr_open", "td_open", "inline", "td_close", "td_open", "inline", "td_close", "tr_close"]
        * 2,
        "tbody_close",
        "table_close",
    ], source
    cells = [inline_text(t) for t in tokens if t.type == "inline"]
    assert cells == ["A", "B", normalised(text) or "—", "after", "x", "y"]


def check_list_item(parser: MarkdownIt, text: str) -> None:
    source = f"- {inline(text)}\n- second\n"
    tokens = parser.parse(source)
    item = ["list_item_open", "paragraph_open", "inline", "paragraph_close", "list_item_close"]
    if not normalised(text):
        item = ["list_item_open", "list_item_close"]
    assert shape(tokens) == [
        "bullet_list_open",
        *item,
        "list_item_open",
        "paragraph_open",
        "inline",
        "paragraph_close",
        "list_item_close",
        "bullet_list_close",
    ], source
    texts = [inline_text(t) for t in tokens if t.type == "inline"]
    assert texts == [t for t in (normalised(text), "second") if t]


def check_heading(parser: MarkdownIt, text: str) -> None:
    source = f"## Update · {inline(text)}\n\nbody\n"
    tokens = parser.parse(source)
    assert shape(tokens) == [
        "heading_open",
        "inline",
        "heading_close",
        "paragraph_open",
        "inline",
        "paragraph_close",
    ], source
    assert inline_text(tokens[1]) == normalised(f"Update · {text}")


CHECKS = [check_paragraphs, check_cell, check_list_item, check_heading]


@pytest.mark.parametrize("parser_name", sorted(PARSERS))
@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("text", NASTY)
def test_nasty_text_keeps_the_shape(text: str, check, parser_name: str) -> None:
    check(PARSERS[parser_name](), text)


@pytest.mark.parametrize("parser_name", sorted(PARSERS))
@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
@settings(max_examples=150, deadline=None)
@given(text=any_text)
def test_generated_text_keeps_the_shape(text: str, check, parser_name: str) -> None:
    check(PARSERS[parser_name](), text)


def test_html_is_escaped_not_passed_through() -> None:
    html = markdown_parser().render(paragraphs("<script>alert(1)</script> <b>x</b>"))
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html


def test_ordinary_text_stays_readable() -> None:
    text = "Deploy 4512 raised pool size from 20 to 80 (max_connections); R&D said 5 > 3"
    assert inline(text) == text


def test_paragraphs_keep_line_breaks_as_hard_breaks() -> None:
    assert paragraphs("- one\n- two\n\n\nthree") == "\\- one\\\n\\- two\n\nthree"


def test_cell_shows_a_dash_for_nothing() -> None:
    assert cell(None) == "—"
    assert cell(" \n ") == "—"
    assert paragraphs("  \n\n ") == ""
