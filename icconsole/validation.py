"""Where records meet pydantic: checking values into a record, and a record into JSON-ready
values. Imported only when a record is written, imported or exported."""

from __future__ import annotations

from functools import cache
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError

from icconsole.errors import InputError

R = TypeVar("R")


class RecordError(InputError):
    """A value a record refuses: the message names the field and what is wrong with it."""

    def __init__(self, exc: ValidationError) -> None:
        self.errors = described(exc)
        super().__init__(first_error(self.errors))


# Records are dataclasses, for which pydantic words an unknown field differently than for
# its models (the JSON file's own envelope): one wording for both.
_MESSAGES = {"unexpected_keyword_argument": "Extra inputs are not permitted"}


def described(exc: ValidationError) -> list[dict[str, Any]]:
    """pydantic's errors, worded alike for records and models."""
    return [{**error, "msg": _MESSAGES.get(error["type"], error["msg"])} for error in exc.errors()]


def first_error(errors: list[dict[str, Any]]) -> str:
    """`field: what is wrong`, for the first of the errors."""
    error = errors[0]
    where = ".".join(str(part) for part in error["loc"])
    return f"{where}: {error['msg']}" if where else error["msg"]


@cache
def adapter(kind: type) -> TypeAdapter:
    """The validator and serializer of one record type, built once."""
    return TypeAdapter(kind)


def validated(kind: type[R], values: dict[str, Any]) -> R:
    """A `kind` from `values`, checked and converted; `RecordError` if a value is refused."""
    try:
        return adapter(kind).validate_python(values)
    except ValidationError as exc:
        raise RecordError(exc) from None


def jsonable(record: Any) -> Any:
    """A record as plain JSON values (times as ISO 8601 strings, enums as their values)."""
    return adapter(type(record)).dump_python(record, mode="json")
