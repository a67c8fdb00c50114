"""The `?` help screen: the keys of the screen it was opened from, generated from that
screen's bindings (and its capture-line commands, where it has a capture line)."""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Static

from icconsole.actions import COCKPIT_ACTIONS
from icconsole.capture import COMMANDS, ENTRY_COMMANDS

# A screen with this binding has a capture line: its slash commands are listed too.
CAPTURE_BINDING_ID = "cockpit.capture"
MOVING = "Moving around"
EVERYWHERE = "Everywhere"
SLASH = "Capture line"
SLASH_NOTE = "Plain text logs a note. Start with -5m or @14:05 to backdate an entry."
NAVIGATION_WORDS = ("focus", "pop_screen", "home", "cursor", "scroll")
# Textual's own Screen bindings worth listing, with plainer words.
FOCUS_ACTIONS = {
    "app.focus_next": "Next pane or field",
    "app.focus_previous": "Previous pane or field",
}


class KeyHelp(NamedTuple):
    keys: str
    description: str


class HelpGroup(NamedTuple):
    title: str
    items: list[KeyHelp]


def _is_ours(cls: type) -> bool:
    """A class of this application, as opposed to one of Textual's own."""
    return not cls.__module__.startswith("textual.")


def _own_actions(node: DOMNode) -> set[str] | None:
    """The actions our classes bind on `node` (not, say, an Input's editing keys), plus
    Tab/Shift+Tab on a screen. None (the app) means every binding counts."""
    if node is node.app:
        return None
    actions: set[str] = set(FOCUS_ACTIONS) if isinstance(node, Screen) else set()
    for cls in type(node).__mro__:
        if _is_ours(cls) and "BINDINGS" in cls.__dict__:
            for binding in cls.__dict__["BINDINGS"]:
                actions.add(binding.action if isinstance(binding, Binding) else binding[1])
    return actions


def _bindings(node: DOMNode) -> list[Binding]:
    """A node's bindings after the app's keymap (Textual offers no public getter for either)."""
    bindings = node._bindings.copy()
    keymap = node.app._keymap
    if keymap:
        bindings.apply_keymap(keymap)
    own = _own_actions(node)
    return [
        binding
        for _, binding in bindings
        if not binding.system and (own is None or binding.action in own)
    ]


def _title(node: DOMNode) -> str:
    if node is node.app:
        return EVERYWHERE
    if node.BINDING_GROUP_TITLE:
        return node.BINDING_GROUP_TITLE
    return type(node).__name__.removesuffix("Screen") or "Keys"


def _sources(screen: Screen) -> list[DOMNode]:
    """The screen, then each of our widgets on it that binds keys (one per class), then the app."""
    widgets: list[DOMNode] = []
    seen: set[type] = set()
    for widget in screen.query("*"):
        cls = type(widget)
        if cls not in seen and _is_ours(cls) and _own_actions(widget):
            seen.add(cls)
            widgets.append(widget)
    return [screen, *widgets, screen.app]


def describe(binding: Binding) -> str:
    """The registry's help text for the binding's id, else its tooltip or description."""
    for action in COCKPIT_ACTIONS:
        if action.id == binding.id:
            return action.help
    if binding.action in FOCUS_ACTIONS:
        return FOCUS_ACTIONS[binding.action]
    return binding.tooltip or binding.description or binding.action.replace("_", " ")


def key_groups(screen: Screen) -> list[HelpGroup]:
    """Every key of `screen`, its widgets and the app, grouped; one line per action, each key
    listed once (where several nodes bind a key, the first one found keeps it)."""
    groups: dict[str, dict[str, list[str]]] = {}
    taken: set[str] = set()
    for node in _sources(screen):
        title = _title(node)
        for binding in _bindings(node):
            if binding.key in taken:
                continue
            taken.add(binding.key)
            moving = any(word in binding.action for word in NAVIGATION_WORDS)
            group = groups.setdefault(MOVING if moving else title, {})
            keys = group.setdefault(describe(binding), [])
            display = screen.app.get_key_display(binding)
            if display not in keys:
                keys.append(display)
    ordered = sorted(groups.items(), key=lambda item: item[0] in (MOVING, EVERYWHERE))
    return [
        HelpGroup(title, [KeyHelp(" ".join(keys), text) for text, keys in items.items()])
        for title, items in ordered
    ]


def has_capture_line(screen: Screen) -> bool:
    return any(binding.id == CAPTURE_BINDING_ID for _, binding in screen._bindings)


def slash_group() -> HelpGroup:
    """The capture line's slash commands with what each takes."""
    items = []
    for name, hint in COMMANDS.items():
        article = "an" if name[:1] in "aeiou" else "a"
        what = f"log {article} {name}: {hint}" if name in ENTRY_COMMANDS else hint
        items.append(KeyHelp(f"/{name}", what))
    return HelpGroup(SLASH, items)


def group_widgets(group: HelpGroup, note: str = "") -> Vertical:
    """A heading, then a two-column grid of keys and what they do (wrapped descriptions stay
    in their column); all text literal."""
    cells: list[Static] = []
    for item in group.items:
        cells.append(Static(Content(item.keys), classes="help-key"))
        cells.append(Static(Content(item.description), classes="help-text"))
    parts: list[Widget] = [
        Static(Content(group.title), classes="help-title"),
        Grid(*cells, classes="help-keys"),
    ]
    if note:
        parts.append(Static(Content(note), classes="help-note"))
    return Vertical(*parts, classes="help-group")


def balanced_split(heights: list[int]) -> int:
    """Where to cut a list of groups into two columns of the most even height."""
    total = sum(heights)
    best, best_height = len(heights), total
    running = 0
    for index, height in enumerate(heights[:-1], 1):
        running += height
        tallest = max(running, total - running)
        if tallest < best_height:
            best, best_height = index, tallest
    return best


class HelpScreen(ModalScreen[None]):
    """Keys of a screen. Pass the screen, or leave it out to describe the screen beneath
    this one when it is shown."""

    BINDING_GROUP_TITLE = "Help"
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (110, "-wide")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="help.close"),
        Binding("question_mark", "close", "Close", id="help.close_again", key_display="?"),
    ]

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    #help-dialog {
        width: 116;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $primary;
        border-title-style: bold;
        border-subtitle-color: $text-muted;
        background: $surface;
    }
    #help-groups {
        height: auto;
        max-height: 90vh;
        padding: 0 1;
    }
    .help-group {
        height: auto;
        padding: 0 0 1 0;
    }
    .help-title {
        text-style: bold;
        color: $text-primary;
    }
    .help-keys {
        height: auto;
        grid-size: 2;
        grid-columns: auto 1fr;
        grid-rows: auto;
        grid-gutter: 0 2;
        padding: 0 0 0 2;
    }
    .help-key {
        text-style: bold;
        color: $text-accent;
        text-wrap: nowrap;
    }
    .help-note {
        color: $text-muted;
        text-style: italic;
    }
    #help-columns {
        layout: vertical;
        height: auto;
    }
    .help-column {
        width: 1fr;
        height: auto;
    }
    HelpScreen.-wide #help-columns {
        layout: horizontal;
    }
    HelpScreen.-wide .help-column {
        margin: 0 1 0 0;
    }
    """

    def __init__(self, screen: Screen | None = None) -> None:
        super().__init__()
        self.described = screen

    def compose(self) -> ComposeResult:
        screen = self.described or self._beneath()
        self.described = screen
        with Vertical(id="help-dialog") as dialog:
            dialog.border_title = f"Keys · {_title(screen)}"
            dialog.border_subtitle = "esc or ? close"
            with VerticalScroll(id="help-groups"), Horizontal(id="help-columns"):
                groups = [(group, "") for group in key_groups(screen)]
                if has_capture_line(screen):
                    groups.append((slash_group(), SLASH_NOTE))
                split = balanced_split([len(g.items) + 2 + bool(note) for g, note in groups])
                for column in (groups[:split], groups[split:]):
                    with Vertical(classes="help-column"):
                        for group, note in column:
                            yield group_widgets(group, note)

    def on_mount(self) -> None:
        self.query_one("#help-groups").focus()

    def _beneath(self) -> Screen:
        stack = self.app.screen_stack
        index = stack.index(self) if self in stack else len(stack)
        return stack[index - 1]

    def action_close(self) -> None:
        self.dismiss(None)
