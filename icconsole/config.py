"""Configuration: built-in defaults for roles, severities, cadences and checklists,
overridden or extended by a TOML file (validated by pydantic, imported only then)."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, ClassVar

from icconsole.errors import InputError
from icconsole.models import Check

COMMANDER = "ic"


Minutes = Annotated[int, Check({"ge": 1, "le": 24 * 60})]


@dataclass(frozen=True, kw_only=True)
class _Strict:
    __pydantic_config__: ClassVar[dict[str, Any]] = {"extra": "forbid"}


@dataclass(frozen=True, kw_only=True)
class RoleDef(_Strict):
    key: str
    name: str
    description: str = ""
    multiple: bool = False
    enabled: bool = True


@dataclass(frozen=True, kw_only=True)
class ChecklistItem(_Strict):
    title: Annotated[str, Check({"min_length": 1, "max_length": 200})]
    check_back_minutes: Minutes | None = None


def _checklist_item(item: Any) -> Any:
    """A checklist item as the config file may write it: its title alone, or a table."""
    return {"title": item} if isinstance(item, str) else item


@dataclass(frozen=True, kw_only=True)
class SeverityDef(_Strict):
    key: str
    description: str
    cadence_minutes: Minutes | None = None
    checklist: tuple[ChecklistItem, ...] = ()

    @property
    def level(self) -> int:
        """The number in `SEV1`; lower is more severe."""
        digits = "".join(ch for ch in self.key if ch.isdigit())
        return int(digits) if digits else 99


DEFAULT_ROLES: dict[str, dict[str, Any]] = {
    "ic": {"name": "Incident Commander", "description": "Owns the incident; decides and delegates"},
    "deputy": {"name": "Deputy", "description": "Backs up the IC; takes command if needed"},
    "scribe": {"name": "Scribe", "description": "Keeps the timeline"},
    "comms": {"name": "Communications Lead", "description": "Writes status updates"},
    "customer": {"name": "Customer Liaison", "description": "Speaks with customers and support"},
    "ops": {"name": "Operations Lead", "description": "Directs the hands-on work"},
    "planning": {"name": "Planning Lead", "description": "Tracks tasks, shifts and follow-ups"},
    "sme": {
        "name": "Subject Matter Expert",
        "description": "Knows the affected system",
        "multiple": True,
    },
}

DEFAULT_SEVERITIES: dict[str, dict[str, Any]] = {
    "SEV1": {
        "description": "Critical: customer-facing outage or data loss; all hands",
        "cadence_minutes": 15,
        "checklist": [
            "Page the on-call for the affected services",
            "Open a bridge and post its link",
            "Assign a Scribe",
            "Assign a Communications Lead",
            {"title": "Send the first internal update", "check_back_minutes": 5},
            "Post on the status page",
            "Notify the executive on-call",
        ],
    },
    "SEV2": {
        "description": "Major: a key feature degraded for many customers",
        "cadence_minutes": 30,
        "checklist": [
            "Page the on-call for the affected services",
            "Assign a Scribe",
            {"title": "Send the first internal update", "check_back_minutes": 10},
            "Post on the status page if customers are affected",
        ],
    },
    "SEV3": {
        "description": "Minor: limited impact, a workaround exists",
        "cadence_minutes": 60,
        "checklist": ["Confirm the owning team is aware", "Log the first findings"],
    },
    "SEV4": {
        "description": "Low: no customer impact; track and fix in hours",
        "cadence_minutes": None,
        "checklist": ["Open a follow-up ticket"],
    },
}


@dataclass(frozen=True, kw_only=True)
class Config(_Strict):
    """Everything configurable; `load_config` builds it from defaults plus a TOML file."""

    user: str | None = None
    roles: tuple[RoleDef, ...]
    severities: tuple[SeverityDef, ...]
    templates: dict[str, str] = field(default_factory=dict)
    keymap: dict[str, str] = field(default_factory=dict)
    default_severity: str = "SEV2"
    utc: bool = False

    @property
    def active_roles(self) -> tuple[RoleDef, ...]:
        return tuple(role for role in self.roles if role.enabled)

    def role(self, text: str) -> RoleDef:
        """Find a role by key or name, any case (`scribe`, `Scribe`, `IC`)."""
        wanted = " ".join(text.split()).casefold()
        for role in self.active_roles:
            if wanted in (role.key.casefold(), role.name.casefold()):
                return role
        choices = ", ".join(role.key for role in self.active_roles)
        raise InputError(f"unknown role {text!r} (choose from: {choices})")

    def severity(self, text: str) -> SeverityDef:
        """Find a severity by key (`SEV1`), any case, or by its number (`1`)."""
        wanted = text.strip().casefold()
        for sev in self.severities:
            if wanted in (sev.key.casefold(), str(sev.level)):
                return sev
        choices = ", ".join(sev.key for sev in self.severities)
        raise InputError(f"unknown severity {text!r} (choose from: {choices})")


def default_config_path() -> Path:
    """`$ICCONSOLE_CONFIG`, else config.toml in the platform's user config directory."""
    env = os.environ.get("ICCONSOLE_CONFIG")
    if env:
        return Path(env)
    from platformdirs import user_config_path

    return user_config_path("icconsole") / "config.toml"


def _merge(
    defaults: dict[str, dict[str, Any]], overrides: Any, section: str, source: str
) -> list[dict]:
    if not isinstance(overrides, dict):
        raise InputError(f"{source}: {section}: must be a table")
    merged = {key: dict(value) for key, value in defaults.items()}
    for key, value in overrides.items():
        if not isinstance(value, dict):
            raise InputError(f"{source}: {section}.{key}: must be a table")
        merged.setdefault(key, {}).update(value)
    return [{"key": key, **value} for key, value in merged.items()]


def default_config() -> Config:
    """The built-in defaults, built without validation: they are this module's constants,
    which the test suite checks against their validated form."""
    return Config(
        roles=tuple(RoleDef(key=key, **role) for key, role in DEFAULT_ROLES.items()),
        severities=tuple(
            SeverityDef(
                key=key,
                **{
                    **sev,
                    "checklist": tuple(
                        ChecklistItem(**_checklist_item(item)) for item in sev["checklist"]
                    ),
                },
            )
            for key, sev in sorted(DEFAULT_SEVERITIES.items())
        ),
    )


def build_config(data: dict[str, Any], source: str = "config") -> Config:
    """Defaults overridden by `data` (a parsed TOML document); errors name the key."""
    return validated_config(data, source) if data else default_config()


def validated_config(data: dict[str, Any], source: str = "config") -> Config:
    """`build_config` with every value validated, the defaults included."""
    from icconsole.validation import RecordError, validated

    data = dict(data)
    data["roles"] = _merge(DEFAULT_ROLES, data.get("roles", {}), "roles", source)
    data["severities"] = sorted(
        _merge(DEFAULT_SEVERITIES, data.get("severities", {}), "severities", source),
        key=lambda sev: sev["key"],
    )
    for sev in data["severities"]:
        if isinstance(sev.get("checklist"), list | tuple):
            sev["checklist"] = [_checklist_item(item) for item in sev["checklist"]]
    try:
        config = validated(Config, data)
    except RecordError as exc:
        raise InputError(f"{source}: {_describe(exc.errors, data)}") from None
    if not any(role.key == COMMANDER and role.enabled for role in config.roles):
        raise InputError(f"{source}: roles.{COMMANDER}: the Incident Commander cannot be removed")
    try:
        config.severity(config.default_severity)
    except InputError as exc:
        raise InputError(f"{source}: default_severity: {exc}") from None
    if config.templates:
        from icconsole.comms import check_templates

        try:
            check_templates(config.templates)
        except InputError as exc:
            raise InputError(f"{source}: {exc}") from None
    return config


def _describe(errors: list[Any], data: dict[str, Any]) -> str:
    error = errors[0]
    parts: list[str] = []
    loc = list(error["loc"])
    if loc and loc[0] in ("roles", "severities") and len(loc) > 1 and isinstance(loc[1], int):
        parts = [str(loc[0]), data[loc[0]][loc[1]]["key"], *map(str, loc[2:])]
    else:
        parts = [str(part) for part in loc]
    return f"{'.'.join(parts)}: {error['msg']}"


def load_config(path: Path | None = None) -> Config:
    """Load the config file; a missing default file means built-in defaults.
    A file named explicitly must exist."""
    explicit = path is not None
    path = path or default_config_path()
    if not path.exists():
        if explicit:
            raise InputError(f"config file not found: {path}")
        return build_config({})
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read config {path}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"config {path}: invalid TOML: {exc}") from None
    return build_config(data, source=f"config {path}")
