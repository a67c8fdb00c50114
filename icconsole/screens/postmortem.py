"""The guided post-mortem wizard: steps on the left with completion marks; guidance,
interview questions and the editor on the right. Every field autosaves (at most one
second late) and the wizard resumes at the same step and field."""

from __future__ import annotations

import threading
from typing import ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import (
    Button,
    Checkbox,
    ContentSwitcher,
    DataTable,
    Input,
    Label,
    OptionList,
    Static,
    TextArea,
)
from textual.widgets.option_list import Option

from icconsole import postmortem as pmcore
from icconsole.blameless import Finding
from icconsole.clock import from_iso
from icconsole.errors import IcError
from icconsole.models import ActionItem, ActionStatus, PostMortem, PostMortemStatus
from icconsole.screens.action_item import ActionItemForm
from icconsole.screens.pickers import OptionPicker
from icconsole.screens.postmortem_preview import PostMortemPreview
from icconsole.store import EntryRow
from icconsole.widgets.key_events import KeyEventList
from icconsole.widgets.lint_area import LintTextArea
from icconsole.widgets.steady_footer import SteadyFooter

AUTOSAVE_SECONDS = 1.0
PREVIEW_AT_ONCE = 2_000  # entries; a longer timeline's preview is built in a thread
SHORT_BELOW = 30  # rows; a shorter screen shows each step's questions without the guidance
MARKS = {"done": "✓", "started": "•", "empty": "·"}
SHORT_TITLES = {
    "leadup": "Lead-up",
    "timeline": "Timeline review",
    "response": "Response & recovery",
    "backlog": "Backlog & recurrence",
}


def _step_label(step: pmcore.Step, state: str) -> Content:
    mark = MARKS[state]
    style = {"done": "$success", "started": "$warning", "empty": "$text-muted"}[state]
    title = SHORT_TITLES.get(step.key, step.title)
    return Content.assemble((mark, style), " ", title)


def _findings_text(findings: list[Finding], limit: int = 3) -> Content:
    parts: list[Content | str | tuple[str, str]] = []
    for finding in findings[:limit]:
        if parts:
            parts.append("\n")
        parts += [
            ("⚠ ", "$warning"),
            f"{finding.line}:{finding.column} ",
            (f"“{' '.join(finding.phrase.split())}”", "bold"),
            f" — {finding.suggestion}",
        ]
    if len(findings) > limit:
        parts.append(f"\n  … and {len(findings) - limit} more")
    return Content.assemble(*parts)


class Criterion(Checkbox):
    """A review criterion: ✓ when checked, blank when not, so colour is not the only signal."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]
        return "✓" if self.value else " "

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """As many lines as the label takes wrapped (a narrow screen wraps it)."""
        return self.render().get_height(self.styles, width)


class ReviewEventList(KeyEventList):
    """The timeline review: Space includes or leaves out, `k` marks known then / learned
    later, `f` lists the key events only (or every entry again)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "screen.toggle_event", "Include", id="pm.event.include"),
        Binding("k", "screen.cycle_known", "Known then/later", id="pm.event.known"),
        Binding("f", "screen.key_events_only", "Key events only", id="pm.event.only"),
    ]


class ActionTable(DataTable):
    """Action items: add, edit, delete, promote a task from the incident."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "screen.add_action", "Add", id="pm.action.add"),
        Binding("e,enter", "screen.edit_action", "Edit", id="pm.action.edit"),
        Binding("d,delete", "screen.delete_action", "Delete", id="pm.action.delete"),
        Binding("p", "screen.promote_task", "Promote task", id="pm.action.promote"),
    ]


class PostMortemScreen(Screen[None]):
    """The wizard for one incident's post-mortem. Only the step on show is built: the
    others are mounted the first time they are visited."""

    DEFAULT_CSS = """
    PostMortemScreen #pm-title { height: 1; background: $panel; padding: 0 1; }
    PostMortemScreen #pm-steps { width: 25; height: 1fr; border: none; border-right: vkey $panel; }
    PostMortemScreen #pm-main { width: 1fr; padding: 0 0 0 1; }
    PostMortemScreen #pm-guide { height: auto; max-height: 55%; }
    PostMortemScreen #pm-guidance { color: $text-muted; }
    PostMortemScreen.-short #pm-guidance { display: none; }
    PostMortemScreen #pm-questions { margin-bottom: 1; }
    PostMortemScreen ContentSwitcher { height: 1fr; }
    PostMortemScreen ContentSwitcher > VerticalScroll { height: 1fr; }
    PostMortemScreen .field-label { color: $accent; text-style: bold; }
    PostMortemScreen LintTextArea { height: auto; min-height: 4; max-height: 12; }
    PostMortemScreen .single-field { height: 1fr; max-height: 100%; }
    PostMortemScreen Input { margin-bottom: 1; }
    PostMortemScreen .lint-list { color: $text; height: auto; margin-bottom: 1; }
    PostMortemScreen .info { color: $text-muted; height: auto; margin-bottom: 1; }
    PostMortemScreen DataTable { height: auto; max-height: 12; margin-bottom: 1; }
    PostMortemScreen #pm-events { height: 1fr; min-height: 6; }
    PostMortemScreen #pm-event-detail { height: 2; margin-bottom: 1; }
    PostMortemScreen #pm-events-note { margin-bottom: 0; }
    PostMortemScreen Criterion { width: 1fr; height: auto; text-wrap: wrap; }
    PostMortemScreen #pm-gate { color: $error; height: auto; margin: 1 0; }
    PostMortemScreen #pm-review-buttons { height: 1; }
    PostMortemScreen #pm-review-buttons Button { margin-right: 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "next_step", "Next step", id="pm.next", priority=True),
        Binding("ctrl+r", "previous_step", "Prev step", id="pm.previous", priority=True),
        Binding("ctrl+o,f2", "preview", "Preview", id="pm.preview", priority=True),
        Binding("ctrl+g", "toggle_guide", "Guide", id="pm.guide", priority=True),
        Binding("ctrl+s", "save_now", "Save", id="pm.save", show=False, priority=True),
        Binding("escape", "back", "Back", id="pm.back"),
        # Moving between fields ahead of the keys typed after Tab, so that a fast typist's
        # "name<Tab>name" fills two fields (no field here takes Tab for itself).
        Binding("tab", "app.focus_next", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", show=False, priority=True),
    ]

    def __init__(self, incident_id: str) -> None:
        super().__init__()
        self.incident_id = incident_id
        self._step_key = pmcore.STEPS[0].key
        self._built: set[str] = set()
        self._marks: dict[str, str] = {}
        self._lint_shown: dict[str, list[Finding]] = {}
        self._similar: Content | None = None
        # Autosave: every change counts one edit; a save records how many it covered.
        self._save_timer: Timer | None = None
        self._save_lock = threading.Lock()
        self._edits = 0
        self._saved_edits = 0
        self._saving = False

    # ------------------------------------------------------------ data

    def _load(self) -> None:
        store = self.app.store
        self.incident = store.incident(self.incident_id)
        self.pm = pmcore.open_postmortem(store, self.incident_id)
        self.items = store.action_items(self.incident_id)
        self.names = pmcore.roster(store, self.incident_id)

    def _checker(self, key: str):
        return lambda text: pmcore.lint_section(key, text, self.names)

    # ------------------------------------------------------------ compose

    def compose(self) -> ComposeResult:
        self._load()
        step = pmcore.current_step(self.pm)
        self._step_key = step.key
        yield Static(id="pm-title")
        with Horizontal():
            yield OptionList(
                *(Option(self._label(s), id=s.key) for s in pmcore.STEPS),
                id="pm-steps",
                markup=False,
            )
            with Vertical(id="pm-main"):
                with VerticalScroll(id="pm-guide", can_focus=False):
                    yield Static(id="pm-guidance")
                    yield Static(id="pm-questions")
                self._built.add(step.key)
                yield ContentSwitcher(self._step_body(step), initial=f"step-{step.key}")
        yield SteadyFooter()

    def _step_body(self, step: pmcore.Step) -> Widget:
        single = step.kind == "text" and len(step.fields) == 1
        children: list[Widget] = []
        if step.key == "detection":
            children.append(Static(id="pm-metrics", classes="info"))
        if step.key == "backlog":
            children.append(Static(id="pm-similar", classes="info"))
        if step.kind == "timeline":
            children += [
                Static(id="pm-events-note", classes="info"),
                self._events_list(),
                Static(id="pm-event-detail"),
            ]
        if step.kind == "actions":
            table = ActionTable(id="pm-actions", cursor_type="row", zebra_stripes=True)
            children += [table, Static(id="pm-action-note", classes="info")]
        if step.kind == "review":
            children += self._review_widgets()
        for spec in step.fields:
            children += self._field_widgets(spec, single)
        return VerticalScroll(*children, id=f"step-{step.key}", classes="single" if single else "")

    def _field_widgets(self, spec: pmcore.FieldDef, single: bool) -> list[Widget]:
        value = pmcore.field_value(self.pm, spec.key)
        label = Label(spec.label, classes="field-label", markup=False)
        if not spec.multiline:
            return [
                label,
                Input(value, placeholder=spec.placeholder, id=f"f-{spec.key}", compact=True),
            ]
        area = LintTextArea(
            value,
            checker=self._checker(spec.key),
            id=f"f-{spec.key}",
            classes="single-field" if single else "",
        )
        return [label, area, Static(id=f"lint-{spec.key}", classes="lint-list")]

    def _events_list(self) -> KeyEventList:
        chosen = pmcore.chosen_key_events(self.pm)
        return ReviewEventList(
            self.app.store,
            self.incident_id,
            utc=self.app.store.config.utc,
            chosen=None if chosen is None else set(chosen),
            known=pmcore.knowledge_marks(self.pm),
            id="pm-events",
        )

    def _review_widgets(self) -> list[Widget]:
        widgets: list[Widget] = [
            Static(id="pm-review-summary", classes="info"),
            Label("Review criteria", classes="field-label"),
        ]
        for key, label, checked in pmcore.criteria(self.pm):
            widgets.append(Criterion(label, checked, id=f"crit-{key}", compact=True))
        widgets.append(Static(id="pm-gate"))
        buttons = Horizontal(
            Button("Move on", id="pm-advance", variant="primary", compact=True),
            Button("Back to draft", id="pm-reopen", compact=True),
            id="pm-review-buttons",
        )
        return [*widgets, buttons]

    # ------------------------------------------------------------ mount and resume

    def on_mount(self) -> None:
        self.set_class(self.size.height < SHORT_BELOW, "-short")
        step = pmcore.STEP_BY_KEY[self._step_key]
        self._refresh_title()
        self._show_guide(step)
        self.query_one("#pm-steps", OptionList).highlighted = pmcore.STEPS.index(step)
        self._prepare_body(step)
        self._show_body(step, focus=False)
        self._resume_focus()

    def _resume_focus(self) -> None:
        field = str(self.pm.state.get("field", ""))
        step = pmcore.STEP_BY_KEY[self._step_key]
        if field not in [f.key for f in step.fields]:
            self._focus_step_body(step)
            return
        widget = self.query_one(f"#f-{field}")
        widget.focus()
        cursor = self.pm.state.get("cursor")
        if isinstance(widget, TextArea) and isinstance(cursor, list):
            row, column = (int(v) for v in cursor[:2])
            widget.cursor_location = (row, column)

    def _focus_step_body(self, step: pmcore.Step) -> None:
        target = {"timeline": "#pm-events", "actions": "#pm-actions", "review": "#crit-data"}
        if step.key in target:
            self.query_one(target[step.key]).focus()
        elif step.fields:
            self.query_one(f"#f-{step.fields[0].key}").focus()

    # ------------------------------------------------------------ steps

    def _label(self, step: pmcore.Step) -> Content:
        state = pmcore.step_state(step, self.pm, self.items)
        self._marks[step.key] = state
        return _step_label(step, state)

    def _refresh_mark(self, step: pmcore.Step) -> None:
        """Redraw a step's completion mark, only when it changed."""
        if pmcore.step_state(step, self.pm, self.items) == self._marks.get(step.key):
            return
        steps = self.query_one("#pm-steps", OptionList)
        steps.replace_option_prompt_at_index(pmcore.STEPS.index(step), self._label(step))

    def _refresh_marks(self) -> None:
        for step in pmcore.STEPS:
            self._refresh_mark(step)

    def _refresh_title(self) -> None:
        index = [s.key for s in pmcore.STEPS].index(self._step_key) + 1
        self.query_one("#pm-title", Static).update(
            Content.assemble(
                (self.incident.ref, "bold"),
                " · post-mortem · ",
                (self.pm.status.value.upper(), "bold $accent"),
                f" · step {index}/{len(pmcore.STEPS)} · ",
                self.incident.title,
            )
        )

    def _show_guide(self, step: pmcore.Step) -> None:
        self.query_one("#pm-guidance", Static).update(Content(step.guidance))
        self.query_one("#pm-questions", Static).update(
            Content("\n".join(f"› {q}" for q in step.questions))
        )

    def show_step(self, key: str, focus: bool = True) -> None:
        """Switch the right-hand side to step `key` (built on its first visit); remembered
        for resuming."""
        step = pmcore.STEP_BY_KEY[key]
        self._step_key = key
        self._show_guide(step)
        steps = self.query_one("#pm-steps", OptionList)
        index = pmcore.STEPS.index(step)
        if steps.highlighted != index:
            steps.highlighted = index
        self._refresh_title()
        if self.pm.state.get("step") != key:
            self.pm = pmcore.with_state(self.pm, step=key)
            self._touch()
        if key in self._built:
            self._show_body(step, focus)
        else:
            self.call_next(self._build_body, step, focus)

    async def _build_body(self, step: pmcore.Step, focus: bool) -> None:
        if step.key not in self._built:
            self._built.add(step.key)
            body = self._step_body(step)
            body.display = False
            await self.query_one(ContentSwitcher).mount(body)
            self._prepare_body(step)
        if self._step_key == step.key:
            self._show_body(step, focus)

    def _prepare_body(self, step: pmcore.Step) -> None:
        """Fill a step's widgets once, right after they are built."""
        for spec in step.fields:
            if spec.multiline:
                self._show_lint(spec.key)
        if step.kind == "actions":
            self._refresh_actions()
        if step.kind == "timeline":
            self._refresh_events_note()

    def _show_body(self, step: pmcore.Step, focus: bool) -> None:
        self.query_one(ContentSwitcher).current = f"step-{step.key}"
        self._refresh_step_info(step)
        if focus:
            self._focus_step_body(step)

    def _refresh_step_info(self, step: pmcore.Step) -> None:
        if step.key == "detection":
            self.query_one("#pm-metrics", Static).update(self._metrics_text())
        elif step.key == "backlog":
            if self._similar is None:
                self._similar = self._similar_text()
            self.query_one("#pm-similar", Static).update(self._similar)
        elif step.key == "review":
            self._refresh_review()

    def _metrics_text(self) -> Content:
        parts: list[str | tuple[str, str]] = []
        for metric in pmcore.detection_metrics(self.app.store, self.incident):
            parts += [
                (f"{metric.name:<20}", "bold"),
                (f"{metric.text:>8}", "bold $accent"),
                f"  {metric.definition}\n",
            ]
        return Content.assemble(*parts).rstrip()

    def _similar_text(self) -> Content:
        try:
            similar = pmcore.similar_incidents(self.app.store, self.incident)
        except IcError:
            similar = []
        if not similar:
            return Content("No similar incident in this file (searched the title's words).")
        parts: list[str | tuple[str, str]] = ["Similar incidents in this file:"]
        for hit in similar:
            parts += [
                "\n  ",
                (hit.ref, "bold"),
                f"  {hit.title}  ",
                (f"({', '.join(hit.shared)})", "dim"),
            ]
        return Content.assemble(*parts)

    @on(OptionList.OptionHighlighted, "#pm-steps")
    def _step_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        # Only the person moving through the list; stale or programmatic highlights are ignored.
        steps = event.option_list
        if not steps.has_focus or event.option_index != steps.highlighted:
            return
        if event.option_id and event.option_id != self._step_key:
            self.show_step(event.option_id, focus=False)

    @on(OptionList.OptionSelected, "#pm-steps")
    def _step_selected(self, event: OptionList.OptionSelected) -> None:
        self.show_step(str(event.option_id))

    def _move(self, delta: int) -> None:
        keys = [s.key for s in pmcore.STEPS]
        index = keys.index(self._step_key) + delta
        if 0 <= index < len(keys):
            self.show_step(keys[index])

    def action_next_step(self) -> None:
        self._move(1)

    def action_previous_step(self) -> None:
        self._move(-1)

    def action_back(self) -> None:
        """From an editor to the step list; from the step list, leave the wizard."""
        steps = self.query_one("#pm-steps", OptionList)
        if self.focused is not steps:
            steps.focus()
            return
        self._flush()
        self.dismiss(None)

    # ------------------------------------------------------------ editing and autosave

    @on(TextArea.Changed)
    def _text_changed(self, event: TextArea.Changed) -> None:
        self._field_changed(event.text_area.id, event.text_area.text)

    @on(LintTextArea.Linted)
    def _linted(self, event: LintTextArea.Linted) -> None:
        self._show_lint((event.area.id or "").removeprefix("f-"))

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        if event.input.id and event.input.id.startswith("f-"):
            self._field_changed(event.input.id, event.value)

    def _field_changed(self, widget_id: str | None, value: str) -> None:
        if not widget_id or not widget_id.startswith("f-"):
            return
        key = widget_id.removeprefix("f-")
        if pmcore.field_value(self.pm, key) == value:
            return
        self.pm = pmcore.with_field(self.pm, key, value)
        self._touch()
        if key not in pmcore.HEADER_FIELDS:
            self._show_lint(key)
        self._refresh_mark(pmcore.STEP_BY_KEY[self._step_key])

    def _show_lint(self, key: str) -> None:
        """List a field's findings under it, only when they changed (a relayout otherwise)."""
        area = self.query_one(f"#f-{key}", LintTextArea)
        if self._lint_shown.get(key) == area.findings:
            return
        self._lint_shown[key] = area.findings
        lint_list = self.query_one(f"#lint-{key}", Static)
        lint_list.update(_findings_text(area.findings))
        lint_list.display = bool(area.findings)

    @on(events.DescendantFocus)
    def _remember_field(self, event: events.DescendantFocus) -> None:
        widget_id = event.widget.id or ""
        if widget_id.startswith("f-") and self.pm.state.get("field") != widget_id[2:]:
            self.pm = pmcore.with_state(self.pm, field=widget_id[2:])
            self._touch()

    @on(events.DescendantBlur)
    def _remember_cursor(self, event: events.DescendantBlur) -> None:
        widget = event.widget
        if isinstance(widget, TextArea) and (widget.id or "").startswith("f-"):
            cursor = list(widget.cursor_location)
            if self.pm.state.get("cursor") != cursor:
                self.pm = pmcore.with_state(self.pm, cursor=cursor)
                self._touch()

    def _touch(self) -> None:
        """Something changed: saved within AUTOSAVE_SECONDS (one write per period at most)."""
        self._edits += 1
        if self._save_timer is None:
            self._save_timer = self.set_timer(AUTOSAVE_SECONDS, self._autosave)

    def _snapshot(self) -> PostMortem:
        """The post-mortem as it stands, with the cursor of the field being edited."""
        focused = self.focused
        if isinstance(focused, TextArea) and (focused.id or "").startswith("f-"):
            self.pm = pmcore.with_state(self.pm, cursor=list(focused.cursor_location))
        return self.pm

    def _write(self, pm: PostMortem, edits: int) -> None:
        """Save `pm`, which covers the first `edits` edits, unless a later save did already.
        Runs on the event loop or in the autosave thread; one at a time."""
        with self._save_lock:
            if edits > self._saved_edits:
                self.app.store.save_postmortem(pm)
                self._saved_edits = edits

    def _autosave(self) -> None:
        """The timer fired: write in a thread, so that typing never waits for the disk."""
        self._save_timer = None
        if self._saving:  # the last write is still waiting for the disk: try again later
            self._save_timer = self.set_timer(AUTOSAVE_SECONDS, self._autosave)
            return
        if self._edits > self._saved_edits:
            self._saving = True
            self._save_in_thread(self._snapshot(), self._edits)
        if self._step_key == "review" and "review" in self._built:
            self._refresh_review()

    @work(thread=True, group="pm-autosave")
    def _save_in_thread(self, pm: PostMortem, edits: int) -> None:
        try:
            self._write(pm, edits)
        except IcError as exc:
            self.app.call_from_thread(self._not_saved, exc)
        finally:
            self._saving = False

    def _not_saved(self, exc: IcError) -> None:
        self.notify(f"Not saved: {exc}", severity="error", markup=False)

    def _flush(self) -> None:
        """Write the post-mortem now if anything changed since the last save."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        if self._edits == self._saved_edits:
            return
        try:
            self._write(self._snapshot(), self._edits)
        except IcError as exc:
            self._not_saved(exc)

    def action_toggle_guide(self) -> None:
        """Hide or show the guidance and questions, for more room to write."""
        guide = self.query_one("#pm-guide")
        guide.display = not guide.display

    def action_save_now(self) -> None:
        self._flush()
        self.notify("Saved", timeout=1.5)

    def on_unmount(self) -> None:
        self._flush()

    # ------------------------------------------------------------ timeline review

    def _events(self) -> KeyEventList:
        return self.query_one("#pm-events", KeyEventList)

    def _selected_entry(self) -> EntryRow | None:
        return self._events().selected

    def _redraw_events(self) -> None:
        chosen = pmcore.chosen_key_events(self.pm)
        marks = pmcore.knowledge_marks(self.pm)
        self._events().set_marks(None if chosen is None else set(chosen), marks)
        self._refresh_events_note()
        self._refresh_mark(pmcore.STEP_BY_KEY["timeline"])

    def _refresh_events_note(self) -> None:
        chosen = pmcore.chosen_key_events(self.pm)
        if chosen is None:
            chosen = pmcore.preselected_ids(self.app.store, self.incident_id)
        marks = pmcore.knowledge_marks(self.pm)
        marked = sum(1 for entry_id in chosen if entry_id in marks)
        if self._events().only is None:
            total = self.app.store.entry_count(self.incident_id)
            note = f"{total:,} entries · {len(chosen):,} key events"
        else:
            note = f"Key events only · {len(chosen):,}"
        self.query_one("#pm-events-note", Static).update(
            Content(f"{note} · {marked:,} marked then/later")
        )

    @on(KeyEventList.Moved)
    def _event_moved(self, event: KeyEventList.Moved) -> None:
        """The whole text of the entry under the cursor (the list cuts it to one line)."""
        row = event.row
        text = Content("")
        if row is not None:
            when = from_iso(row.occurred_at)
            at = when if self.app.store.config.utc else when.astimezone()
            text = Content.assemble(
                (f"{at:%H:%M} {row.kind}", "bold"),
                f" · {row.author}: ",
                " ".join(row.text.split()),
            )
        self.query_one("#pm-event-detail", Static).update(text, layout=False)

    def action_toggle_event(self) -> None:
        entry = self._selected_entry()
        if entry is not None:
            self.pm = pmcore.toggle_key_event_id(self.app.store, self.pm, entry.id)
            self._touch()
            self._redraw_events()

    def action_cycle_known(self) -> None:
        entry = self._selected_entry()
        if entry is not None:
            self.pm = pmcore.cycle_knowledge(self.pm, entry.id)
            self._touch()
            self._redraw_events()

    def action_key_events_only(self) -> None:
        """List only the key events, or every entry again (the cursor stays on its entry)."""
        events_list = self._events()
        if events_list.only is None:
            events_list.show_only(pmcore.key_event_rows(self.app.store, self.pm))
        else:
            events_list.show_only(None)
        self._refresh_events_note()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(self.size.height < SHORT_BELOW, "-short")
        if "actions" in self._built:
            selected = self._selected_item()
            self._refresh_actions(select=selected.id if selected else None)

    # ------------------------------------------------------------ action items

    def _refresh_actions(self, select: str | None = None) -> None:
        self.items = self.app.store.action_items(self.incident_id)
        table = self.query_one("#pm-actions", DataTable)
        table.clear(columns=True)
        columns = self._action_columns()
        for label, key, width in columns:
            table.add_column(label, key=key, width=width)
        keys = [key for _, key, _ in columns]
        for item in self.items:
            cells = self._action_cells(item)
            table.add_row(*(cells[key] for key in keys), key=item.id)
        if select is not None and select in [i.id for i in self.items]:
            table.move_cursor(row=[i.id for i in self.items].index(select))
        tasks = pmcore.promotable_tasks(self.app.store.tasks(self.incident_id), self.items)
        note = "a add · e edit · d delete"
        if tasks:
            note += f" · p promote one of {len(tasks)} task(s) from the incident"
        if not self.items:
            note = "No action items yet. " + note
        self.query_one("#pm-action-note", Static).update(Content(note))
        self._refresh_mark(pmcore.STEP_BY_KEY["actions"])

    def _action_columns(self) -> list[tuple[str, str, int | None]]:
        """(label, key, width); type and status only where there is room."""
        columns: list[tuple[str, str, int | None]] = [("Pri", "priority", 3)]
        if self.size.width >= 100:
            columns += [("Type", "type", 8), ("Status", "status", 8)]
        columns += [("Owner", "owner", 8), ("Due", "due", 10)]
        fixed = sum((width or 0) + 2 for _, _, width in columns)
        room = self.size.width - 25 - 1 - 4 - fixed - 2
        return [*columns[:1], ("Action", "title", max(12, room)), *columns[1:]]

    @staticmethod
    def _action_cells(item: ActionItem) -> dict[str, Text]:
        """Open items lacking an owner or due date are flagged with ⚠ (and red)."""
        unplanned = item.status == ActionStatus.OPEN
        missing = "— ⚠" if unplanned else "—"
        title = item.title + (f" [{item.ticket}]" if item.ticket else "")
        if item.status != ActionStatus.OPEN:
            title = f"({item.status.value}) {title}"
        return {
            "priority": Text(item.priority.value, style="bold"),
            "title": Text(title),
            "type": Text(item.type.value),
            "status": Text(item.status.value),
            "owner": Text(
                item.owner or missing, style="bold red" if unplanned and not item.owner else ""
            ),
            "due": Text(
                item.due_date.isoformat() if item.due_date else missing,
                style="bold red" if unplanned and item.due_date is None else "",
            ),
        }

    def _selected_item(self) -> ActionItem | None:
        table = self.query_one("#pm-actions", DataTable)
        if not self.items or table.cursor_row < 0:
            return None
        row_key, _ = table.coordinate_to_cell_key((table.cursor_row, 0))
        return next((i for i in self.items if i.id == row_key.value), None)

    def _after_form(self, saved: ActionItem | None) -> None:
        if saved is not None:
            self._refresh_actions(select=saved.id)
            self.query_one("#pm-actions").focus()

    def action_add_action(self) -> None:
        self.app.push_screen(ActionItemForm(self.incident_id), self._after_form)

    def action_edit_action(self) -> None:
        item = self._selected_item()
        if item is not None:
            self.app.push_screen(ActionItemForm(self.incident_id, item), self._after_form)

    def action_delete_action(self) -> None:
        item = self._selected_item()
        if item is None:
            return

        def confirmed(answer: str | None) -> None:
            if answer == "delete":
                self.app.store.delete_action_item(item.id)
                self._refresh_actions()
                self.notify(f"Deleted: {item.title}", markup=False)

        self.app.push_screen(
            OptionPicker(
                "Delete this action item?",
                [("keep", "Keep it"), ("delete", "Delete it")],
                note=Content(item.title),
            ),
            confirmed,
        )

    def action_promote_task(self) -> None:
        tasks = pmcore.promotable_tasks(self.app.store.tasks(self.incident_id), self.items)
        if not tasks:
            self.notify("No task from the incident left to promote")
            return

        def chosen(task_id: str | None) -> None:
            task = next((t for t in tasks if t.id == task_id), None)
            if task is not None:
                item = pmcore.promote_task(self.app.store, task)
                self._refresh_actions(select=item.id)

        choices = [(t.id, f"{t.title}" + (f" ({t.owner})" if t.owner else "")) for t in tasks]
        self.app.push_screen(OptionPicker("Promote a task to an action item", choices), chosen)

    # ------------------------------------------------------------ review

    def _refresh_review(self) -> None:
        findings = pmcore.lint_postmortem(self.pm, self.names)
        count = sum(len(f) for f in findings.values())
        parts: list[str | tuple[str, str]] = [
            "Status: ",
            (self.pm.status.value, "bold"),
            "   Blameless lint: ",
        ]
        if count:
            where = ", ".join(f"{k.replace('_', ' ')} {len(v)}" for k, v in findings.items())
            parts += [(f"⚠ {count} phrase(s)", "bold $warning"), f" ({where})"]
        else:
            parts.append(("✓ none", "$success"))
        missing = pmcore.missing_sections(self.pm)
        if missing:
            parts += ["\nTo fill: ", ", ".join(k.replace("_", " ") for k in missing)]
        unplanned = pmcore.unplanned_actions(self.items)
        if unplanned:
            parts.append(f"\nOpen action items without owner or due date: {len(unplanned)}")
        self.query_one("#pm-review-summary", Static).update(Content.assemble(*parts))
        following = pmcore.next_status(self.pm.status)
        advance = self.query_one("#pm-advance", Button)
        advance.label = f"Move to {following.value}" if following else "Published"
        advance.disabled = following is None
        self.query_one("#pm-reopen", Button).disabled = self.pm.status == PostMortemStatus.DRAFT

    @on(Checkbox.Changed)
    def _criterion(self, event: Checkbox.Changed) -> None:
        key = (event.checkbox.id or "").removeprefix("crit-")
        checked = {**self.pm.state.get("criteria", {}), key: event.value}
        if checked != self.pm.state.get("criteria"):
            self.pm = pmcore.with_state(self.pm, criteria=checked)
            self._touch()
            self._refresh_mark(pmcore.STEP_BY_KEY["review"])

    @on(Button.Pressed, "#pm-advance")
    def action_advance(self) -> None:
        self._flush()
        gate = self.query_one("#pm-gate", Static)
        try:
            self.pm = pmcore.advance(self.app.store, self.pm, self.app.user)
        except IcError as exc:
            gate.update(Content(str(exc)))
            return
        gate.update("")
        self.incident = self.app.store.incident(self.incident_id)
        message = f"Post-mortem is now {self.pm.status.value}"
        if self.pm.status == PostMortemStatus.PUBLISHED:
            message += f"; {self.incident.ref} is {self.incident.status.value}"
        self.notify(message, markup=False)
        self._after_status()

    @on(Button.Pressed, "#pm-reopen")
    def _reopen(self) -> None:
        self._flush()
        try:
            self.pm = pmcore.reopen(self.app.store, self.pm)
        except IcError as exc:
            self.query_one("#pm-gate", Static).update(Content(str(exc)))
            return
        self._after_status()

    def _after_status(self) -> None:
        self._refresh_title()
        self._refresh_review()
        self._refresh_marks()

    # ------------------------------------------------------------ preview

    def action_preview(self) -> None:
        """The document as exported; built in a thread when the timeline is long."""
        self._flush()
        if self.app.store.entry_count(self.incident_id) <= PREVIEW_AT_ONCE:
            self.app.push_screen(PostMortemPreview(self._document()))
        else:
            self.app.push_screen(PostMortemPreview(load=self._document))

    def _document(self) -> str:
        from icconsole.export import markdown_document

        store = self.app.store
        return markdown_document(store.record(self.incident_id), store.config)
