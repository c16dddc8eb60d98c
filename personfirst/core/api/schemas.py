"""Shapes and field types shared by several API routers.

Every input is checked strictly, so that the OpenAPI document says exactly
what is accepted: a whole number is a JSON number (not true, not "5"), true
or false is a JSON boolean (not 1, not "yes"), a date is text written
YYYY-MM-DD (not a number of seconds), and a field that may be left out of a
PATCH may not be sent as null unless null means something (see leave_out).
"""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Any

from ninja import Path, Schema
from pydantic import BeforeValidator, Field, WithJsonSchema

# A date as JSON Schema's "date" format has it (RFC 3339 full-date), in the digits 0-9 only.
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


def _date_text(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
        raise ValueError("Write the date as YYYY-MM-DD, like 2027-03-31.")
    return value


# A date sent as text, YYYY-MM-DD: pydantic would otherwise also take a number of seconds.
Date = Annotated[datetime.date, BeforeValidator(_date_text)]
# A date the service reads (and refuses in its own words): text that the document says is YYYY-MM-DD.
DateText = Annotated[str, WithJsonSchema({"type": "string", "format": "date"})]


def _whole_number(value: Any) -> Any:
    # JSON has one kind of number, so 3.0 is the whole number 3 (pydantic refuses 2.5);
    # but true and "3" are not numbers.
    if isinstance(value, bool | str):
        raise ValueError("Input should be a valid integer (a whole number, like 3)")
    return value


def whole(**bounds: Any) -> Any:
    """The type of a whole number sent as a JSON number, with its bounds (ge, le)
    inside the type, so that the document states them also when it may be null."""
    return Annotated[int, Field(**bounds), BeforeValidator(_whole_number)]


# The characters str.strip() removes (str.isspace()), written for both Python's and JSON Schema's regular expressions.
_SPACE = "".join(f"\\u{code:04x}" for code in range(0x10000) if chr(code).isspace())
# Text the validators below accept, as the document states it: no null character, and (for a
# title or a name) at least one character that is not a space.
NO_NULL = "^[^\\u0000]*$"
NOT_BLANK = f"^[^\\u0000]*[^{_SPACE}\\u0000][^\\u0000]*$"


def storable(value: str | None) -> str | None:
    """Text a database can store, as the web forms require: no null characters, valid Unicode."""
    if value is None:
        return value
    if "\x00" in value:
        raise ValueError("Null characters are not allowed.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("Text must be valid Unicode.") from None
    return value


def _documented(*, pattern: str | None, drop_default: bool, service: dict[str, Any] | None = None):
    def extra(schema: dict[str, Any]) -> None:
        if drop_default:
            schema.pop("default", None)
        if pattern:
            # Only in the document: the validators say what is wrong in words of their own.
            schema["pattern"] = pattern
        schema.update(service or {})

    return extra


def text(default: Any = ..., *, blank: bool = True, service: dict[str, Any] | None = None, **constraints: Any) -> Any:
    """A text field, checked by ``storable`` (and, with ``blank=False``, by a
    validator that refuses text of only spaces); the document says the same
    with a pattern.

    ``service`` holds constraints (such as ``{"maxLength": 5000}``) that the
    document states but the service checks, in the words the web pages use
    too (personfirst.core.validation), rather than this schema."""
    return Field(
        default,
        json_schema_extra=_documented(pattern=NO_NULL if blank else NOT_BLANK, drop_default=False, service=service),
        **constraints,
    )


def leave_out(*, is_text: bool = False, blank: bool = True, **constraints: Any) -> Any:
    """A field that may be left out, and then keeps its value, but may not be
    null: declare its type without ``| None``. The document shows it as
    optional (not in ``required``), with no default and no null."""
    pattern = (NO_NULL if blank else NOT_BLANK) if is_text else None
    return Field(None, json_schema_extra=_documented(pattern=pattern, drop_default=True), **constraints)


class Error(Schema):
    detail: str


class FieldError(Schema):
    field: str
    message: str


class ValidationErrorOut(Schema):
    detail: str
    errors: list[FieldError]


# Every operation: 401 without a valid token; 403 and 404 for an object you may not change or see.
ERRORS = {401: Error, 403: Error, 404: Error}
# Operations with parameters in the path or query: 422 when one is not valid (pk=abc).
PARAMETER_ERRORS = {422: ValidationErrorOut}
# Operations that take a body: 400 when it is not JSON at all, 413 when it is larger than the
# server reads (DATA_UPLOAD_MAX_MEMORY_SIZE), 422 when it is not valid.
BODY_ERRORS = {400: Error, 413: Error, 422: ValidationErrorOut}

# An organisation's slug in a path, as organisations.Organisation.slug (a SlugField) stores it.
Slug = Path[str, {"pattern": r"^[-a-zA-Z0-9_]+$", "max_length": 80, "description": "The organisation's slug"}]
