"""Configuration: built-in defaults, a TOML file on top, and errors that name the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from icconsole.config import build_config, default_config_path, load_config
from icconsole.errors import InputError

ROLE_NAMES = {
    "ic": "Incident Commander",
    "deputy": "Deputy",
    "scribe": "Scribe",
    "comms": "Communications Lead",
    "customer": "Customer Liaison",
    "ops": "Operations Lead",
    "planning": "Planning Lead",
    "sme": "Subject Matter Expert",
}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_default_roles() -> None:
    config = build_config({})
    assert {role.key: role.name for role in config.active_roles} == ROLE_NAMES
    multiple = {role.key for role in config.roles if role.multiple}
    assert multiple == {"sme"}
    assert config.role("Scribe").key == "scribe"
    assert config.role("incident  commander").key == "ic"
    assert config.role("IC").key == "ic"
    with pytest.raises(InputError, match=r"unknown role 'janitor'.*ic, deputy"):
        config.role("janitor")


def test_default_severities() -> None:
    config = build_config({})
    cadences = {sev.key: sev.cadence_minutes for sev in config.severities}
    assert cadences == {"SEV1": 15, "SEV2": 30, "SEV3": 60, "SEV4": None}
    assert [sev.key for sev in config.severities] == ["SEV1", "SEV2", "SEV3", "SEV4"]
    for sev in config.severities:
        assert sev.description and "\n" not in sev.description
        assert sev.checklist, sev.key
        assert all(item.title for item in sev.checklist)
    assert len(config.severity("SEV1").checklist) > len(config.severity("SEV4").checklist)
    assert config.severity("sev3").key == "SEV3"
    assert config.severity("1").key == "SEV1"
    assert config.default_severity == "SEV2"
    with pytest.raises(InputError, match="unknown severity 'SEV9'"):
        config.severity("SEV9")


def test_missing_default_file_means_defaults(tmp_path: Path) -> None:
    assert not default_config_path().exists()
    assert load_config() == build_config({})


def test_file_overrides_adds_and_disables(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
user = "alice"
default_severity = "SEV3"
utc = true

[roles.security]
name = "Security Lead"
description = "Owns forensics"

[roles.planning]
enabled = false

[roles.scribe]
multiple = true

[severities.SEV2]
cadence_minutes = 20

[severities.SEV4]
cadence_minutes = 240
checklist = ["Open a ticket", { title = "Tell the owner", check_back_minutes = 30 }]
""",
    )
    config = load_config(path)
    assert config.user == "alice"
    assert config.utc is True
    assert config.default_severity == "SEV3"
    assert config.role("security").name == "Security Lead"
    assert config.role("scribe").multiple
    with pytest.raises(InputError, match="unknown role"):
        config.role("planning")
    assert "planning" not in {role.key for role in config.active_roles}
    sev2 = config.severity("SEV2")
    assert sev2.cadence_minutes == 20
    assert sev2.description == build_config({}).severity("SEV2").description
    assert sev2.checklist == build_config({}).severity("SEV2").checklist
    sev4 = config.severity("SEV4")
    assert sev4.cadence_minutes == 240
    assert [(i.title, i.check_back_minutes) for i in sev4.checklist] == [
        ("Open a ticket", None),
        ("Tell the owner", 30),
    ]
    assert config.severity("SEV1").cadence_minutes == 15


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('[severities.SEV1]\ncadence_minutes = "soon"', "severities.SEV1.cadence_minutes"),
        ("[severities.SEV1]\ncadence_minutes = 0", "severities.SEV1.cadence_minutes"),
        ("[severities.SEV5]\ncadence_minutes = 10", "severities.SEV5.description"),
        ('[severities.SEV2]\nchecklist = [""]', "severities.SEV2.checklist.0.title"),
        ('[roles.security]\ndescription = "x"', "roles.security.name"),
        ('[roles.scribe]\ncolour = "red"', "roles.scribe.colour"),
        ("[roles.ic]\nenabled = false", "roles.ic"),
        ("roles = 3", "roles"),
        ("[roles]\nscribe = 3", "roles.scribe"),
        ("utc = 3", "utc"),
        ('colour = "red"', "colour"),
        ('default_severity = "SEV9"', "default_severity"),
    ],
)
def test_invalid_file_names_the_key(tmp_path: Path, text: str, key: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        load_config(path)
    message = str(caught.value)
    assert message.startswith(f"config {path}: ")
    assert f"{key}:" in message
    assert "\n" not in message


def test_invalid_toml(tmp_path: Path) -> None:
    path = write(tmp_path, "[roles.scribe\nname = ")
    with pytest.raises(InputError, match="invalid TOML"):
        load_config(path)


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b'user = "\xff"\n')
    with pytest.raises(InputError, match="cannot read config"):
        load_config(path)


def test_missing_explicit_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="config file not found"):
        load_config(tmp_path / "nope.toml")


def test_environment_names_the_default_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "[severities.SEV3]\ncadence_minutes = 45\n")
    monkeypatch.setenv("ICCONSOLE_CONFIG", str(path))
    assert default_config_path() == path
    assert load_config().severity("SEV3").cadence_minutes == 45
