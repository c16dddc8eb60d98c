"""The one error a service raises for input it will not take.

Views and API endpoints do not check domain rules themselves: they pass
what they were given to the service, which checks it and raises
``Invalid`` listing every problem, each with the field it belongs to and a
message in the service's own words. A web page shows each message against
its field (and in the GOV.UK error summary); the API answers 422 with
``{"detail": ..., "errors": [{"field", "message"}]}``. So the same bad input
gets the same message on both.

What is left to the edges is the shape of the input: a web form parses
what was typed into boxes (a date in three boxes), and the API's schema
checks JSON types. Everything about what the input means is the service's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    """One problem: ``field`` is a path, such as ("level",) or
    ("values-and-culture", "target_dates", "3"); ``message`` says what to do."""

    field: tuple[str, ...]
    message: str

    @property
    def name(self) -> str:
        """The path written with dots, as the API reports it: "target_dates.3"."""
        return ".".join(self.field)


class Invalid(Exception):
    """Input a service will not take; nothing was changed."""

    def __init__(self, errors: Iterable[FieldError]) -> None:
        self.errors = tuple(errors)
        if not self.errors:
            raise ValueError("Invalid needs at least one error")
        super().__init__("; ".join(f"{error.name}: {error.message}" for error in self.errors))

    @classmethod
    def one(cls, field: str | tuple[str, ...], message: str) -> Invalid:
        return cls([FieldError((field,) if isinstance(field, str) else tuple(field), message)])

    def under(self, *prefix: str) -> Invalid:
        """The same errors with every field inside ``prefix``."""
        return Invalid(FieldError((*prefix, *error.field), error.message) for error in self.errors)

    def inside(self, *prefix: str) -> Invalid:
        """The errors inside ``prefix``, with the prefix taken off (the others kept as they are)."""
        size = len(prefix)
        return Invalid(
            FieldError(error.field[size:] if error.field[:size] == prefix else error.field, error.message)
            for error in self.errors
        )

    def messages(self) -> dict[str, list[str]]:
        """field name -> its messages, in order."""
        found: dict[str, list[str]] = {}
        for error in self.errors:
            found.setdefault(error.name, []).append(error.message)
        return found


class Collector:
    """Gathers FieldErrors while a service checks everything it was given,
    so that every problem is reported at once; ``raise_if_any`` ends it."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(self, field: str | tuple[str, ...], message: str) -> None:
        self.errors.append(FieldError((field,) if isinstance(field, str) else tuple(field), message))

    def extend(self, invalid: Invalid, *prefix: str) -> None:
        self.errors.extend(invalid.under(*prefix).errors)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise Invalid(self.errors)
