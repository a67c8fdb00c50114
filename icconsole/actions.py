"""The cockpit's actions, each defined once: the screen's key bindings, the Footer, the
help screen and the command palette are all generated from this list."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Action:
    """One thing the IC can do: binding id, key, Textual action name, footer label, help."""

    id: str
    key: str
    action: str
    label: str
    help: str
    show: bool = True
    palette: bool = True
    key_display: str | None = None


COCKPIT_ACTIONS: tuple[Action, ...] = (
    Action(
        "cockpit.palette",
        "ctrl+p",
        "app.command_palette",
        "Commands",
        "Search every cockpit action by name",
        palette=False,
    ),
    Action("cockpit.status", "s", "set_status", "Status", "Change the incident's status"),
    Action("cockpit.severity", "v", "set_severity", "Severity", "Change the severity"),
    Action("cockpit.role", "r", "assign_role", "Role", "Assign a role to a person"),
    Action(
        "cockpit.role_history",
        "R",
        "role_history",
        "Role history",
        "Who held each role, from when to when",
        show=False,
        key_display="R",
    ),
    Action("cockpit.handoff", "h", "handoff", "Handoff", "Hand command to someone else"),
    Action("cockpit.update", "u", "compose_update", "Update", "Write and send a status update"),
    Action(
        "cockpit.snooze",
        "Z",
        "snooze_update",
        "Snooze",
        "Snooze the overdue status-update reminder (5, 10 or 15 minutes)",
        show=False,
        key_display="Z",
    ),
    Action("cockpit.task", "t", "add_task", "Task", "Add a task to the checklist"),
    Action(
        "cockpit.toggle_task",
        "space",
        "toggle_task",
        "Done",
        "Mark the selected task done (or open again)",
        show=False,
    ),
    Action(
        "cockpit.entry_detail",
        "enter",
        "entry_detail",
        "Read",
        "Read the selected entry in full",
    ),
    Action("cockpit.pin", "p", "pin", "Pin", "Pin or unpin the selected timeline entry"),
    Action("cockpit.edit", "e", "edit_entry", "Edit", "Edit the selected entry (keeps old text)"),
    Action("cockpit.retract", "x", "retract", "Retract", "Retract the selected entry"),
    Action("cockpit.postmortem", "w", "postmortem", "Post-mortem", "Open the post-mortem wizard"),
    Action(
        "cockpit.export",
        "E",
        "export",
        "Export",
        "Export the incident (Markdown, HTML, JSON)",
        show=False,
        key_display="E",
    ),
    Action(
        "cockpit.clock", "z", "toggle_utc", "UTC", "Show times in UTC or local time", show=False
    ),
    Action("cockpit.capture", "i", "focus_capture", "Type", "Go to the capture line", show=False),
    Action(
        "cockpit.roles", "1", "focus_pane('roles')", "Roles", "Go to the Roles pane", show=False
    ),
    Action(
        "cockpit.tasks", "2", "focus_pane('tasks')", "Tasks", "Go to the Tasks pane", show=False
    ),
    Action(
        "cockpit.timeline",
        "3",
        "focus_pane('timeline')",
        "Timeline",
        "Go to the Timeline pane",
        show=False,
    ),
    Action(
        "cockpit.help",
        "question_mark",
        "help",
        "Help",
        "All keys and slash commands",
        key_display="?",
    ),
    Action("cockpit.home", "escape", "home", "Home", "Back to the incident list", palette=False),
)


def action_by_id(action_id: str) -> Action:
    """The cockpit action with this binding id."""
    for action in COCKPIT_ACTIONS:
        if action.id == action_id:
            return action
    raise KeyError(action_id)


def method_name(action: Action) -> str:
    """The bare action name (`focus_pane('roles')` -> `focus_pane`), for checks by name."""
    return action.action.split("(", 1)[0].removeprefix("app.")
