"""The Tasks pane: the incident's checklist with progress and per-task check-back countdowns."""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from icconsole.clock import format_duration
from icconsole.models import Task, TaskStatus

BOXES = {
    TaskStatus.TODO: "[ ]",
    TaskStatus.DOING: "[~]",
    TaskStatus.DONE: "[x]",
    TaskStatus.SKIPPED: "[-]",
}


def progress(tasks: list[Task]) -> tuple[int, int]:
    """(finished, total): done and skipped tasks count as finished."""
    return sum(not t.status.is_open for t in tasks), len(tasks)


def check_back(task: Task, now: datetime) -> tuple[str, bool]:
    """The check-back countdown of an open task and whether it has passed."""
    if not task.status.is_open or task.check_back_at is None:
        return "", False
    remaining = task.check_back_at - now
    if remaining.total_seconds() < 0:
        return f"⚠ overdue {format_duration(-remaining)}", True
    return f"back in {format_duration(remaining)}", False


def task_prompt(task: Task, now: datetime) -> Content:
    open_ = task.status.is_open
    title_style = "" if open_ else "$text-muted strike"
    parts: list[str | tuple[str, str]] = [
        (BOXES[task.status] + " ", "bold" if open_ else "$text-muted"),
        (task.title, title_style),
    ]
    if task.owner:
        parts.append((f" · {task.owner}", "$text-muted"))
    countdown, overdue = check_back(task, now)
    if countdown:
        parts.append((f" {countdown}", "bold $text-error" if overdue else "$text-warning"))
    return Content.assemble(*parts)


class TasksPane(Vertical):
    """The checklist; Space toggles the highlighted task (handled by the screen)."""

    def compose(self) -> ComposeResult:
        yield OptionList(id="tasks-list", compact=True, markup=False)

    def on_mount(self) -> None:
        self.border_title = "Tasks"

    def show(self, tasks: list[Task], now: datetime) -> None:
        """Redraw, open tasks first, keeping the highlighted task."""
        options = self.query_one(OptionList)
        keep = self.highlighted_task
        tasks = sorted(tasks, key=lambda task: not task.status.is_open)
        prompts = [task_prompt(task, now) for task in tasks]
        ids = [task.id for task in tasks]
        if ids == [option.id for option in options.options]:
            for index, prompt in enumerate(prompts):
                options.replace_option_prompt_at_index(index, prompt)
        else:
            options.set_options(Option(p, id=i) for p, i in zip(prompts, ids, strict=True))
            if ids:
                options.highlighted = ids.index(keep) if keep in ids else 0
        done, total = progress(tasks)
        overdue = sum(check_back(task, now)[1] for task in tasks)
        self.border_title = f"Tasks {done}/{total}"
        self.border_subtitle = f"⚠ {overdue} overdue" if overdue else ""
        self.set_class(bool(overdue), "-overdue")

    @property
    def highlighted_task(self) -> str | None:
        option = self.query_one(OptionList).highlighted_option
        return option.id if option else None
