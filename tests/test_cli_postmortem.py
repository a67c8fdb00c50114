from click.testing import CliRunner

from icconsole.cli import LAZY_COMMANDS, cli


def _run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input)


def test_lint_reads_stdin_and_exits_1_on_findings():
    result = _run("lint", input="Fine start.\nThe on-call should have known; human error.\n")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "2:13: should have — hindsight: describe what people knew and what made sense at the time",
        "2:32: human error — name the conditions that made the slip likely "
        "(tooling, alerts, load, time)",
    ]


def test_lint_clean_text_exits_0(tmp_path):
    path = tmp_path / "pm.md"
    path.write_text("Should the cache expire?\nThe job failed to start.\n", encoding="utf-8")
    result = _run("lint", str(path))
    assert result.exit_code == 0
    assert result.output == ""


def test_lint_dash_is_stdin():
    assert _run("lint", "-", input="We forgot to page.").exit_code == 1


def test_lint_names_are_flagged():
    result = _run("lint", "--name", "heidi", input="heidi rotated the certificate")
    assert result.exit_code == 1
    assert result.output.startswith("1:1: heidi — a person's name")


def test_lint_missing_file_is_one_clear_line(tmp_path):
    result = _run("lint", str(tmp_path / "nope.md"))
    assert result.exit_code == 2
    assert result.output.startswith("icconsole: error: ")
    assert "cannot read" in result.output
    assert "Traceback" not in result.output


def test_lint_refuses_non_utf8(tmp_path):
    path = tmp_path / "bad.md"
    path.write_bytes(b"ok\n\xff\xfe")
    result = _run("lint", str(path))
    assert result.exit_code == 2
    assert "not valid UTF-8 (line 2)" in result.output


def test_lint_output_strips_control_characters():
    result = _run("lint", input="\x1b[31mcareless\x1b[0m")
    assert result.exit_code == 1
    assert result.output.startswith("1:1: careless — ")
    assert "\x1b" not in result.output


def test_postmortem_unknown_incident_is_an_error(tmp_path):
    result = _run("--db", str(tmp_path / "x.db"), "postmortem", "INC-9")
    assert result.exit_code == 2
    assert "no incident 'INC-9'" in result.output


def test_commands_are_registered_lazily():
    assert LAZY_COMMANDS["lint"] == "icconsole.cli_postmortem:lint_command"
    assert LAZY_COMMANDS["postmortem"] == "icconsole.cli_postmortem:postmortem_command"
    assert "lint" in _run("--help").output


def test_postmortem_opens_the_wizard(tmp_path, monkeypatch, demo_store):
    opened = {}

    def fake_run(self):
        opened["postmortem_id"] = self.start_postmortem_id

    monkeypatch.setattr("icconsole.app.IcConsoleApp.run", fake_run)
    result = _run("--db", str(demo_store.path), "postmortem", "INC-2")
    assert result.exit_code == 0, result.output
    incident = demo_store.incident("INC-2")
    assert opened["postmortem_id"] == incident.id
    assert demo_store.postmortem(incident.id) is not None  # started and pre-filled
