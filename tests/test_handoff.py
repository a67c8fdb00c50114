"""The handoff brief (core) and `icconsole handoff` / `show --json` (CLI)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from click.testing import CliRunner

from icconsole.cli import cli
from icconsole.config import load_config
from icconsole.handoff import brief_for, build_brief, is_ruled_out, split_hypotheses
from icconsole.store import Store


@pytest.fixture
def live(demo_store: Store) -> str:
    """The demo's live SEV1 (INC-2, IC alice)."""
    return demo_store.incident("INC-2").id


def _section(brief: str, title: str) -> str:
    return next(block for block in brief.split("\n\n") if block.startswith(title))


def command_entries(store: Store, incident_id: str) -> list[str]:
    return [e.text for e in store.entries(incident_id) if e.text.startswith("Command transferred")]


# ------------------------------------------------------------------- the brief


def test_brief_situation(demo_store, live):
    brief = brief_for(demo_store, live, "carol")
    assert brief.startswith("HANDOFF BRIEF — INC-2 · SEV1 · MITIGATED\n")
    assert "Command from alice to carol, written 14:30 (UTC)" in brief
    situation = _section(brief, "SITUATION")
    assert "Checkout API returning 5xx in eu-west-1" in situation
    assert "Severity SEV1 · status mitigated" in situation
    assert "Elapsed 00:48:00 since impact began 13:42 (declared 13:48)" in situation
    assert "Impact: About 30% of checkout attempts in the EU fail" in situation


def test_brief_roles_show_holders_smes_and_undelegated(demo_store, live):
    roles = _section(brief_for(demo_store, live), "ROLES").splitlines()
    assert any(line.split() == ["Incident", "Commander", "alice"] for line in roles)
    assert any("Scribe" in line and line.endswith("bob") for line in roles)
    assert any("Subject Matter Expert" in line and line.endswith("dave, frank") for line in roles)
    assert any(
        line.strip().startswith("Deputy") and "— (the IC holds it)" in line for line in roles
    )


def test_brief_open_tasks_with_owner_and_check_back(demo_store, live, clock):
    tasks = _section(brief_for(demo_store, live), "OPEN TASKS")
    assert tasks.startswith("OPEN TASKS (3)")
    assert "[~] Post on the status page — owner —" in tasks
    assert "Identify failed orders for replay — owner dave — check back 14:43 (in 13m)" in tasks
    assert "Page the on-call" not in tasks  # done tasks are not open
    clock.advance(minutes=20)
    later = _section(brief_for(demo_store, live), "OPEN TASKS")
    assert "check back 14:43 (OVERDUE by 7m)" in later


def test_brief_hypotheses_open_and_ruled_out(demo_store, live):
    entry = demo_store.log(live, "Cache stampede on the pricing service", "hypothesis", "bob")
    demo_store.retract_entry(entry.id, "bob")
    hypotheses = _section(brief_for(demo_store, live), "HYPOTHESES")
    open_part, ruled_part = hypotheses.split("  Ruled out:")
    assert "New pool size x pod count exceeds max_connections" in open_part
    assert "Retry storm from mobile clients" in open_part
    assert "payment provider latency (p99 normal)" in ruled_part
    assert "Ruled out:" not in ruled_part.replace("  Ruled out:", "")
    assert "Cache stampede on the pricing service (retracted)" in ruled_part
    assert "Cache stampede" not in open_part


def test_ruled_out_rule(demo_store, live):
    entries = demo_store.entries(live)
    hypothesis = next(e for e in entries if e.kind == "hypothesis")
    assert not is_ruled_out(hypothesis)
    assert is_ruled_out(replace(hypothesis, text="ruled OUT - DNS"))
    assert is_ruled_out(replace(hypothesis, retracted_at=hypothesis.created_at))
    assert not is_ruled_out(replace(hypothesis, text="Not ruled out yet: DNS"))
    open_, ruled_out = split_hypotheses(entries)
    assert len(open_) == 3 and len(ruled_out) == 1
    assert all(e.kind == "hypothesis" for e in open_ + ruled_out)


def test_brief_last_decisions_skip_retracted(demo_store, live):
    wrong = demo_store.log(live, "Fail over to us-east-2", "decision", "alice")
    demo_store.retract_entry(wrong.id, "alice")
    decisions = _section(brief_for(demo_store, live), "LAST DECISIONS")
    assert "14:10 alice: Shed 20% of mobile retries at the edge" in decisions
    assert "13:58 alice: Roll back deploy 4512" in decisions
    assert "Fail over" not in decisions


def test_brief_last_update_and_next_due(demo_store, live, clock):
    updates = _section(brief_for(demo_store, live), "STATUS UPDATES")
    assert "Last: external at 14:18 by carol: We have mitigated" in updates
    assert "Next due 14:33 (in 3m)" in updates
    clock.advance(minutes=5)
    assert "Next due 14:33 (OVERDUE by 2m)" in brief_for(demo_store, live)


def test_brief_for_a_fresh_incident(store, clock):
    incident = store.declare("Queue backlog", "SEV4", commander="zoe", author="zoe")
    brief = brief_for(store, incident.id)
    assert "Command from zoe to (incoming IC)" in brief
    assert "Impact: not recorded yet" in brief
    assert "Last: none sent yet" in brief
    assert "Next: no cadence set" in brief
    assert "HYPOTHESES\n  Open:\n    none\n  Ruled out:\n    none" in brief
    assert "LAST DECISIONS\n  none" in brief


def test_brief_user_text_is_plain(store):
    incident = store.declare("[bold]x[/bold] \x1b[31mred", "SEV2", commander="zoe", author="zoe")
    store.log(incident.id, "line one\nline two", "decision", "zoe")
    brief = build_brief(store.record(incident.id), store.config, store.now(), "[b]amy")
    assert "\x1b" not in brief
    assert "[bold]x[/bold] red" in brief
    assert "zoe: line one line two" in brief
    assert "to [b]amy" in brief


def test_transfer_command_stores_brief_and_one_entry(demo_store, live):
    before = demo_store.entry_count(live)
    handoff = demo_store.transfer_command(live, "carol", "the brief", "alice")
    assert (handoff.from_person, handoff.to_person, handoff.brief) == (
        "alice",
        "carol",
        "the brief",
    )
    assert demo_store.entry_count(live) == before + 1
    assert command_entries(demo_store, live) == ["Command transferred from alice to carol"]
    assert demo_store.commander(live) == "carol"
    history = [r for r in demo_store.roles(live, current_only=False) if r.role == "ic"]
    assert [(r.person, r.relieved_at is None) for r in history] == [
        ("alice", False),
        ("carol", True),
    ]


def test_toml_roles_override_changes_the_roles(tmp_path):

    path = tmp_path / "config.toml"
    path.write_text(
        "[roles.ops]\nenabled = false\n"
        '[roles.security]\nname = "Security Lead"\n'
        "[severities.SEV1]\n"
        'checklist = ["Page security", { title = "Freeze deploys", check_back_minutes = 3 }]\n',
        encoding="utf-8",
    )
    config = load_config(path)
    names = [role.name for role in config.active_roles]
    assert "Operations Lead" not in names
    assert names[-1] == "Security Lead"
    assert [item.title for item in config.severity("SEV1").checklist] == [
        "Page security",
        "Freeze deploys",
    ]
    assert config.severity("SEV1").checklist[1].check_back_minutes == 3


# ------------------------------------------------------------------------ CLI


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input)


def test_cli_brief_only_prints_and_changes_nothing(demo_store, live):
    before = demo_store.entry_count(live)
    result = run("handoff", "carol", "--brief-only")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("HANDOFF BRIEF — INC-2 · SEV1 · MITIGATED\n")
    assert "Command from alice to carol" in result.output
    assert "OPEN TASKS (3)" in result.output
    assert demo_store.entry_count(live) == before
    assert demo_store.handoffs(live) == []


def test_cli_handoff_without_acknowledgement_changes_nothing(demo_store, live):
    result = run("handoff", "carol", input="dave\n")
    assert result.exit_code == 2
    assert "HANDOFF BRIEF" in result.output
    assert "not acknowledged: command of INC-2 stays with alice" in result.output
    assert demo_store.commander(live) == "alice"
    assert demo_store.handoffs(live) == []
    assert command_entries(demo_store, live) == []
    assert run("handoff", "carol", input="").exit_code == 2
    assert demo_store.handoffs(live) == []


def test_cli_handoff_acknowledged_by_typing_the_name(demo_store, live):
    result = run("handoff", "carol", "--incident", "INC-2", input="Carol\n")
    assert result.exit_code == 0, result.output
    assert result.output.endswith("INC-2: command transferred from alice to carol\n")
    assert demo_store.commander(live) == "carol"
    [handoff] = demo_store.handoffs(live)
    assert handoff.brief.startswith("HANDOFF BRIEF — INC-2")
    assert "Command from alice to carol" in handoff.brief
    assert command_entries(demo_store, live) == ["Command transferred from alice to carol"]


def test_cli_handoff_yes_with_an_edited_brief(demo_store, live, tmp_path):
    brief = tmp_path / "brief.txt"
    brief.write_text("Watch the DB connections.\nRetry storm is the open question.\n")
    result = run("handoff", "dave", "--yes", "--brief-file", str(brief))
    assert result.exit_code == 0, result.output
    [handoff] = demo_store.handoffs(live)
    assert handoff.brief == "Watch the DB connections.\nRetry storm is the open question."
    assert demo_store.commander(live) == "dave"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["handoff", "alice", "--yes"], "alice already has command of INC-2"),
        (["handoff", "carol", "--brief-only", "--yes"], "--brief-only prints the brief"),
        (["handoff", "carol", "--brief-file", "-"], "needs --yes"),
        (["handoff", "carol", "--yes", "--brief-file", "/nonexistent/b"], "cannot read the brief"),
        (["handoff", "carol", "--incident", "INC-9", "--yes"], "no incident 'INC-9'"),
    ],
)
def test_cli_handoff_errors(demo_store, live, args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert demo_store.handoffs(live) == []


def test_cli_handoff_empty_brief_file_is_refused(demo_store, live, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    result = run("handoff", "carol", "--yes", "--brief-file", str(empty))
    assert result.exit_code == 2
    assert "is empty; nothing changed" in result.output
    assert demo_store.commander(live) == "alice"


def test_show_json_has_role_history_and_handoff_briefs(demo_store, live):
    demo_store.relieve_role(live, "scribe", "alice")
    demo_store.transfer_command(live, "carol", "Brief for carol", "alice")
    result = run("show", "INC-2", "--json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    scribes = [r for r in record["roles"] if r["role"] == "scribe"]
    assert scribes[0]["person"] == "bob"
    assert scribes[0]["relieved_at"] is not None
    commanders = [
        (r["person"], r["relieved_at"] is None) for r in record["roles"] if r["role"] == "ic"
    ]
    assert commanders == [("alice", False), ("carol", True)]
    [handoff] = record["handoffs"]
    assert handoff["from_person"] == "alice"
    assert handoff["to_person"] == "carol"
    assert handoff["brief"] == "Brief for carol"
    assert handoff["acknowledged_at"]


def test_handoff_timing_uses_the_clock(demo_store, live, clock):
    clock.advance(minutes=90)
    brief = brief_for(demo_store, live)
    assert "Elapsed 02:18:00" in brief
    assert "written 16:00" in brief


def test_readme_config_example_loads(tmp_path):
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Configuration", 1)[1]
    example = section.split("```toml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "config.toml"
    path.write_text(example, encoding="utf-8")
    config = load_config(path)
    names = [role.name for role in config.active_roles]
    assert "Deputy IC" in names and "Security Lead" in names
    assert "Planning Lead" not in names
    assert config.severity("SEV0").checklist[0].title == "Wake the executive on-call"
    assert config.severity("SEV1").checklist[3].check_back_minutes == 5
