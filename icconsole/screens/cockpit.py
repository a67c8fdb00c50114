"""The cockpit: the Incident Commander's live console for one incident.

Focus: the capture line has focus when the cockpit opens; there every printable key is
typing (Textual drops bindings an Input consumes, so the Footer shows only what works).
Escape leaves the line for the timeline, where single keys act (s, v, r, t, p, e, x, …);
`i` goes back to the line; Escape outside the line goes home."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import datetime
from typing import Any, ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import Resize
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Label, OptionList

from icconsole.actions import COCKPIT_ACTIONS
from icconsole.capture import (
    AddTask,
    AssignRole,
    Command,
    ComposeUpdate,
    Handoff,
    LogEntry,
    PinLast,
    SetSeverity,
    SetStatus,
    parse,
)
from icconsole.clock import format_short
from icconsole.comms import reminder_due, update_due
from icconsole.config import COMMANDER
from icconsole.errors import InputError, StoreError
from icconsole.incident_list import severity_level
from icconsole.models import Incident, Status, Task, TaskStatus
from icconsole.roles import RoleBoard, role_board
from icconsole.screens.palette import CockpitCommands
from icconsole.screens.pickers import OptionPicker, TextPrompt, confirm_choices
from icconsole.store import Store
from icconsole.widgets.capture import CaptureLine
from icconsole.widgets.incident_bar import IncidentBar
from icconsole.widgets.roles_pane import RolesPane, short_label
from icconsole.widgets.tasks_pane import TasksPane
from icconsole.widgets.timeline import Timeline

POLL_SECONDS = 0.5
NARROW_BELOW = 100
TINY_BELOW = 70
T = TypeVar("T")
_PANES = {"roles": "#roles-list", "tasks": "#tasks-list", "timeline": "#timeline"}


class CockpitScreen(Screen[None]):
    """Incident bar, Roles and Tasks on the left, the Timeline, and the capture line."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(a.key, a.action, a.label, id=a.id, show=a.show, key_display=a.key_display)
        for a in COCKPIT_ACTIONS
    ]
    COMMANDS: ClassVar = {CockpitCommands}
    AUTO_FOCUS = "#capture"

    def __init__(self, incident_id: str) -> None:
        super().__init__()
        self.incident_id = incident_id
        self.incident: Incident | None = None
        self.board: RoleBoard | None = None
        self.tasks: list[Task] = []
        self.utc = False
        self._version: int | None = None
        self._people: list[str] | None = None
        self._error = ""
        self._last_reminder: datetime | None = None
        self._live_timers: list[Timer] = []
        self._suspended = False

    @property
    def store(self) -> Store:
        return self.app.store

    @property
    def user(self) -> str:
        return self.app.user

    # ------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        self.utc = self.store.config.utc
        yield IncidentBar(id="bar")
        with Horizontal(id="body"):
            with Vertical(id="left"):
                yield RolesPane(id="roles")
                yield TasksPane(id="tasks")
            yield Timeline(self.store, self.incident_id, utc=self.utc, id="timeline")
        with Horizontal(id="capture-row"):
            yield Label("›", id="capture-prompt")
            yield CaptureLine(self.store.config, self.people, id="capture")
        yield Label("", id="capture-error", classes="-empty", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#timeline", Timeline).border_title = "Timeline"
        self.reload()
        self._live_timers = [
            self.set_interval(POLL_SECONDS, self._poll),
            self.set_interval(1, self._tick),
        ]

    def on_screen_suspend(self) -> None:
        """Covered (by a dialog or the incident list): no polling or ticking until shown."""
        self._suspended = True
        for timer in self._live_timers:
            timer.pause()

    def on_screen_resume(self) -> None:
        """Shown again: catch up with what changed meanwhile, then poll and tick again."""
        if not self._suspended:
            return
        self._suspended = False
        self._poll()
        self._tick()
        for timer in self._live_timers:
            timer.resume()

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW_BELOW, "-narrow")
        self.set_class(event.size.width < TINY_BELOW, "-tiny")

    # --------------------------------------------------------------- data

    def reload(self, recount: bool = False) -> None:
        """Re-read the incident, roles, tasks and the timeline's new rows; panes whose data
        did not change are not redrawn. `recount` recounts the whole timeline (after
        another process wrote, which may have merged entries anywhere)."""
        self._version = self.store.data_version()
        incident = self.store.incident(self.incident_id)
        board = role_board(self.store.config, self.store.roles(self.incident_id))
        tasks = self.store.tasks(self.incident_id)
        if board != self.board:
            self.query_one(RolesPane).show(board)
            self._people = None
        changed = (incident, board, tasks) != (self.incident, self.board, self.tasks)
        self.incident, self.board, self.tasks = incident, board, tasks
        if changed:
            self._tick(tasks_changed=True)
        timeline = self.query_one(Timeline)
        timeline.reload(recount=recount)
        timeline.border_subtitle = f"{timeline.count:,} entries"

    def _show_new_entries(self) -> None:
        """After our own entry only the timeline changed: its new rows and count. (Others'
        changes still come with the next poll: the data version seen is kept.)"""
        timeline = self.query_one(Timeline)
        timeline.reload(recount=False, appended=True)
        timeline.border_subtitle = f"{timeline.count:,} entries"

    def _tick(self, tasks_changed: bool = False) -> None:
        """Every second: the clocks, the update countdown and the task check-backs."""
        if self.incident is None or self.board is None:
            return
        now = self.store.now()
        self.query_one(IncidentBar).show(
            self.incident, self.board.commander, now, self.utc, self.store.config
        )
        if tasks_changed or any(t.check_back_at and t.status.is_open for t in self.tasks):
            self.query_one(TasksPane).show(self.tasks, now)
        self.check_update_reminder(now)

    def check_update_reminder(self, now: datetime) -> None:
        """While the status update is overdue, warn once a minute until one is sent or the
        reminder snoozed (both move the due time). Not while a dialog is on top."""
        if self.incident is None or self.app.screen is not self:
            return
        state = update_due(self.incident, now)
        if not reminder_due(state.due, now, self._last_reminder):
            return
        self._last_reminder = now
        late = format_short(-state.remaining) if state.remaining else "0s"
        self.notify(
            f"Status update overdue by {late}. Press u to write it (/update on the capture "
            "line) or Z to snooze the reminder.",
            title="Update overdue",
            severity="warning",
            timeout=20,
            markup=False,
        )

    def _poll(self) -> None:
        """Another process committed: show its changes."""
        if self.store.data_version() != self._version:
            self._people = None
            self.reload(recount=True)

    def people(self) -> list[str]:
        """Names seen before, for completion; re-read after changes only."""
        if self._people is None:
            self._people = self.store.people()
        return self._people

    # ---------------------------------------------------------- capture line

    def show_error(self, message: str) -> None:
        """Show `message` under the capture line ("" hides it)."""
        if message == self._error:
            return
        self._error = message
        label = self.query_one("#capture-error", Label)
        label.update(Content(f"✗ {message}") if message else "")
        label.set_class(not message, "-empty")

    @on(Input.Changed, "#capture")
    def _typing(self) -> None:
        self.show_error("")

    @on(Input.Submitted, "#capture")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        line = event.value
        capture = self.query_one(CaptureLine)
        try:
            command = parse(line, self.store.now(), self.store.config)
            if command is None:
                return
            self._execute(command)
        except (InputError, StoreError) as exc:
            capture.restore(line)
            self.show_error(str(exc))
            return
        capture.remember(line)
        self.show_error("")

    def _execute(self, command: Command) -> None:
        """Carry out a parsed command; every store call has committed when it returns."""
        store, incident_id, user = self.store, self.incident_id, self.user
        match command:
            case LogEntry(kind=kind, text=text, occurred_at=when, also_task=also_task):
                store.log(incident_id, text, kind, user, occurred_at=when)
                if not also_task:
                    self._show_new_entries()
                    return
                store.add_task(incident_id, text, user)
            case SetStatus(status=status):
                store.set_status(incident_id, status, user)
            case SetSeverity(severity=severity):
                self._change_severity(severity)
                return
            case AssignRole(role=role, person=person):
                store.assign_role(incident_id, role, person, user)
            case Handoff(person=person):
                self._open_handoff(person)
            case AddTask(title=title):
                store.add_task(incident_id, title, user)
            case PinLast():
                last = store.last_entry(incident_id)
                if last is None:
                    raise InputError("nothing to pin yet")
                store.set_pinned(last.id, True)
            case ComposeUpdate():
                self.action_compose_update()
        self.reload()

    @on(CaptureLine.Leave)
    def _leave_capture(self) -> None:
        self.query_one(Timeline).focus()

    # ---------------------------------------------------------- key actions

    def _attempt(self, write: Callable[[], T]) -> T | None:
        """Run a store write; show a refusal as a notification, then refresh."""
        try:
            result = write()
        except (InputError, StoreError) as exc:
            self.notify(str(exc), severity="error", markup=False)
            return None
        self.reload()
        return result

    def action_focus_capture(self) -> None:
        self.query_one(CaptureLine).focus()

    def action_focus_pane(self, name: str) -> None:
        self.query_one(_PANES[name]).focus()

    def action_home(self) -> None:
        self.app.go_home()

    def action_toggle_utc(self) -> None:
        self.utc = not self.utc
        self.query_one(Timeline).set_utc(self.utc)
        self._tick()

    def action_set_status(self) -> None:
        current = self.incident.status if self.incident else None
        choices = [(s.value, s.value) for s in Status if s != current]

        def chosen(status: str | None) -> None:
            if status:
                self._attempt(lambda: self.store.set_status(self.incident_id, status, self.user))

        self.app.push_screen(
            OptionPicker("Status", choices, note=f"Now: {current.value if current else '—'}"),
            chosen,
        )

    def action_set_severity(self) -> None:
        current = self.incident.severity if self.incident else None
        choices = [
            (sev.key, Content.assemble((sev.key, "bold"), "  ", (sev.description, "$text-muted")))
            for sev in self.store.config.severities
            if sev.key != current
        ]

        def chosen(severity: str | None) -> None:
            if severity:
                self._attempt(lambda: self._change_severity(severity))

        self.app.push_screen(OptionPicker("Severity", choices, note=f"Now: {current}"), chosen)

    def _change_severity(self, severity: str) -> None:
        """Set the severity; on escalation offer the new severity's missing checklist."""
        config = self.store.config
        # The current severity may be one this config lacks (merged from another file).
        old = severity_level(config, self.incident.severity)[0] if self.incident else None
        new = config.severity(severity)
        self.store.set_severity(self.incident_id, new.key, self.user)
        self.reload()
        if old is None or new.level >= old:
            return
        if self.store.missing_checklist(self.incident_id, new.key):
            self._push_other(
                "icconsole.screens.checklist_offer",
                "ChecklistOfferScreen",
                self.incident_id,
                new.key,
            )

    def action_assign_role(self, role: str | None = None) -> None:
        """Pick a role (unless given), then a person; the IC role goes through a handoff."""
        if role is None:
            rows = self.board.rows if self.board else ()
            choices = [
                (
                    row.key,
                    Content.assemble(
                        (f"{short_label(row.key, row.name):<9}", "bold"),
                        (", ".join(row.holders) or "—", ""),
                        (f"  {row.name}", "$text-muted"),
                    ),
                )
                for row in rows
            ]
            highlighted = self.query_one(RolesPane).highlighted_role
            self.app.push_screen(
                OptionPicker("Assign which role?", choices, selected=highlighted),
                lambda key: key and self.action_assign_role(key),
            )
            return
        role_def = self.store.config.role(role)
        if role_def.key == COMMANDER:
            self._open_handoff(None)
            return
        row = (
            next((r for r in self.board.rows if r.key == role_def.key), None)
            if self.board
            else None
        )
        holders = row.holders if row else ()
        if holders:
            assign = "Add another" if role_def.multiple else f"Reassign (relieves {holders[0]})"
            choices = [("assign", assign)] + [(f"relieve:{p}", f"Relieve {p}") for p in holders]
            self.app.push_screen(
                OptionPicker(role_def.name, choices, note=f"Now: {', '.join(holders)}"),
                lambda answer: answer and self._role_answer(role_def.key, answer),
            )
            return
        self._ask_person(role_def.key)

    def _role_answer(self, role: str, answer: str) -> None:
        if answer == "assign":
            self._ask_person(role)
            return
        person = answer.removeprefix("relieve:")
        self._attempt(
            lambda: self.store.relieve_role(self.incident_id, role, self.user, person=person)
        )

    def _ask_person(self, role: str) -> None:
        role_def = self.store.config.role(role)

        def chosen(person: str | None) -> None:
            if person:
                self._attempt(
                    lambda: self.store.assign_role(
                        self.incident_id, role_def.key, person, self.user
                    )
                )

        self.app.push_screen(
            TextPrompt(
                f"{role_def.name}: who?",
                placeholder="name (→ completes names seen before)",
                suggestions=self.people(),
            ),
            chosen,
        )

    def action_role_history(self) -> None:
        role = self.query_one(RolesPane).highlighted_role
        self._push_other(
            "icconsole.screens.role_history", "RoleHistoryScreen", self.incident_id, role
        )

    @on(OptionList.OptionSelected, "#roles-list")
    def _role_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_assign_role(event.option_id)

    @on(OptionList.OptionSelected, "#tasks-list")
    def _task_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._push_other("icconsole.screens.task_edit", "TaskEditScreen", event.option_id)

    def action_add_task(self) -> None:
        def chosen(title: str | None) -> None:
            if title:
                self._attempt(lambda: self.store.add_task(self.incident_id, title, self.user))

        self.app.push_screen(TextPrompt("New task", placeholder="what needs doing"), chosen)

    def action_toggle_task(self) -> None:
        """Done <-> to do for the task highlighted in the Tasks pane."""
        task_id = self.query_one(TasksPane).highlighted_task
        task = next((t for t in self.tasks if t.id == task_id), None)
        if task is None:
            self.notify("No task selected: go to the Tasks pane (2)", severity="warning")
            return
        new = TaskStatus.DONE if task.status.is_open else TaskStatus.TODO
        self._attempt(lambda: self.store.set_task_status(task.id, new, self.user))

    def _selected_entry(self):
        row = self.query_one(Timeline).selected
        if row is None:
            self.notify("No timeline entry selected", severity="warning")
        return row

    def action_entry_detail(self) -> None:
        row = self._selected_entry()
        if row is not None:
            self._push_other(
                "icconsole.screens.entry_detail", "EntryDetailScreen", row.id, utc=self.utc
            )

    def action_pin(self) -> None:
        row = self._selected_entry()
        if row is not None:
            self._attempt(lambda: self.store.set_pinned(row.id, not row.pinned))

    def action_edit_entry(self) -> None:
        row = self._selected_entry()
        if row is None:
            return

        def chosen(text: str | None) -> None:
            if text:
                self._attempt(lambda: self.store.edit_entry(row.id, text, self.user))

        self.app.push_screen(
            TextPrompt(
                "Edit entry",
                value=row.text,
                note="The previous text is kept as a revision.",
            ),
            chosen,
        )

    def action_retract(self) -> None:
        row = self._selected_entry()
        if row is None:
            return
        if row.retracted:
            self.notify("That entry is already retracted", severity="warning")
            return

        def answered(answer: str | None) -> None:
            if answer == "yes":
                self._attempt(lambda: self.store.retract_entry(row.id, self.user))

        self.app.push_screen(
            OptionPicker(
                "Retract entry?",
                confirm_choices("Retract it (the text stays, marked retracted)"),
                note=Content(row.text),
            ),
            answered,
        )

    # ------------------------------------------------ screens others provide

    def _push_other(self, module: str, name: str, *args: Any, **kwargs: Any) -> None:
        """Open another helper's modal; it writes and dismisses True when it changed things."""
        try:
            screen_type = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):
            self.notify(f"{name} is not available in this build", severity="warning")
            return

        def done(changed: Any) -> None:
            if changed:
                self.reload()

        self.app.push_screen(screen_type(*args, **kwargs), done)

    def _open_handoff(self, person: str | None) -> None:
        self._push_other(
            "icconsole.screens.handoff", "HandoffScreen", self.incident_id, to_person=person
        )

    def action_handoff(self) -> None:
        self._open_handoff(None)

    def action_snooze_update(self) -> None:
        self._push_other("icconsole.screens.snooze", "SnoozeScreen", self.incident_id)

    def action_compose_update(self) -> None:
        self._push_other("icconsole.screens.update", "UpdateComposerScreen", self.incident_id)

    def action_export(self) -> None:
        self._push_other("icconsole.screens.export", "ExportScreen", self.incident_id)

    def action_postmortem(self) -> None:
        opener = getattr(self.app, "open_postmortem", None)
        if opener is None:
            self.notify("The post-mortem wizard is not available in this build", severity="warning")
            return
        opener(self.incident_id)

    def action_help(self) -> None:
        self._push_other("icconsole.screens.help", "HelpScreen")
