"""Item types: each kind of question a definition file can hold is one class.

An item (a question) has a type, such as ``ladder`` or ``rating``. Its
class, a subclass of ``ItemType`` registered here, is the one place that
knows everything about that kind of question:

- how it is written in a definition file: its own keys and how they are
  checked (``keys``, ``read``), and how another file names one of its
  answers (``read_point``: an action library's ``for``);
- its **scale**: its answers from the lowest to the highest, each at a
  position 1, 2, … n (``scale``, ``position``, ``response_at``). This is the
  one definition of "position on a scale" that co-production flags, plan
  targets, the crosswalk and insight use. A scale never depends on the
  order in which a file lists anything it does not mean as an order (a
  rating's options are placed by their scores);
- how an answer is scored (``score``, an exact fraction from 0 to 100);
- how it is answered: the choices and form fields of its page
  (``form_fields``, ``template_name``) and the one check of what was given,
  for the web pages and the API alike (``clean``, raising
  ``personfirst.core.validation.Invalid``);
- how its answers and its scale's points are put into words for pages and
  reports (``display``: "Level 2 of 4"; ``answer_in_full``: the chosen
  statement or option in full; ``place``: "Statement 2 of 4";
  ``answer_details``: more lines, such as a milestone's target dates;
  ``points``, ``numbered``).

Adding a type is one module: a subclass, registered with ``@register``,
with its tests (and a template if its page needs more than its fields one
after another). The types every pillar may use are in this package
(``ladder``, ``rating``); a pillar registers its own (readiness registers
``milestones`` in readiness/assessments/milestones.py).

The extension point, for a pillar with definition files of its own (the
self-directed-support questionnaires, for one):

1. Write a subclass of ``ItemType`` (or of ``Ladder``/``Rating``) in the
   pillar, with a unique ``name``, its own ``keys`` and ``read`` (how its
   keys are checked, reported on ``checker`` by line), and what differs of
   ``scale``/``value``/``score``/``choices``/``clean_answer``/``display``/
   ``statement``. Decorate it with ``@register``; import its module where
   the pillar's file checker is imported, so it is registered before a file
   is read.
2. Check the pillar's own file format with a ``files.NodeChecker``
   subclass (its top level and groups) and call ``read_item(checker, node,
   seen, types=(...))`` for each item, with ``types`` naming the types that
   format allows (so an instrument never accepts a questionnaire's type,
   nor the other way round). ``checker.raise_problems()`` then raises
   ``DefinitionFileError`` with every problem as ``FILE:LINE: message``.
3. Store the ``ItemDefinition`` (dataclasses.asdict) beside the pillar's
   own models, and rebuild it to score, show and check answers; answers
   are checked by ``item.kind.clean(item, given)``, which raises
   ``personfirst.core.validation.Invalid`` for the web page and the API alike.

Tests that register a type of their own take it away again with
``unregister``.

No database and no HTTP in here. An item is an ``ItemDefinition``, as read
from a file or as stored (readiness's ``Item.definition``); an answer is a
``Response`` (a level, an option or "not relevant").
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, ClassVar

from django import forms
from yaml.nodes import Node

from personfirst.core.validation import Collector, FieldError, Invalid

from . import evidence
from .files import Entry, NodeChecker, did_you_mean, line_of, names_of

# Every item can be answered "Not relevant to us" (unless a type says
# otherwise): the web forms send it as this key, so no option may have it.
NOT_RELEVANT_KEY = "not-relevant"
NOT_RELEVANT_LABEL = "Not relevant to us"
# An item may also offer "Don't know" (ItemDefinition.dont_know), sent as this key.
DONT_KNOW_KEY = "dont-know"
DONT_KNOW_LABEL = "Don’t know"
MAX_ITEM_KEY = 80
MAX_NOTES = 5000

# The keys every item has, whatever its type; each type adds its own (ItemType.keys).
COMMON_KEYS = {"key": True, "type": True, "prompt": True, "guidance": False}
# ... and after the types' keys, in the order the docs list them:
LAST_KEYS = {"comments": False, "evidence": False}

# A date as YYYY-MM-DD, in the digits 0 to 9 only.
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)

Number = int | float | Fraction
Value = int | str  # a point on a scale: a level (1, 2, …) or an option's key


def exact(value: Number) -> Fraction:
    """A number as a fraction; a float counts as its shortest decimal form (33.3 → 333/10)."""
    if isinstance(value, Fraction | int):
        return Fraction(value)
    return Fraction(str(value))


# -- Items and answers ------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    key: str
    label: str
    score: int | float


@dataclass(frozen=True)
class ItemDefinition:
    """One item as its definition file gives it, every default filled in."""

    key: str
    type: str
    prompt: str
    guidance: str = ""
    levels: tuple[str, ...] = ()  # ladder and milestones: lowest readiness first
    options: tuple[Option, ...] = ()  # rating: the effective options (defaults filled in), as listed
    comments: bool = False
    # Anything else a type reads from its own keys (none of the shipped types
    # has any). Left out of a definition's canonical form while it is empty.
    settings: Mapping[str, Any] = field(default_factory=dict, hash=False)
    # Who the item is for (a format's own condition, such as a readiness
    # condition; None: everyone), and the answers it offers besides its
    # choices. Left out of the canonical form while they are the defaults.
    condition: Mapping[str, Any] | None = field(default=None, hash=False)
    not_relevant: bool = True  # offers "Not relevant to us"
    dont_know: bool = False  # offers "Don't know"

    @property
    def kind(self) -> ItemType:
        return item_type(self.type)


@dataclass(frozen=True)
class Response:
    """An answer as scoring and scales see it."""

    level: int | None = None
    option: str | None = None
    not_relevant: bool = False
    dont_know: bool = False  # recorded, never scored (docs/scoring.md)
    text: str = ""  # a context question's free-text answer; never scored


# -- The registry -------------------------------------------------------------------

_TYPES: dict[str, ItemType] = {}


def register(cls: type[ItemType]) -> type[ItemType]:
    """Class decorator: make an item type known by its ``name``."""
    if not getattr(cls, "name", ""):
        raise ValueError(f"{cls.__name__} has no name")
    if cls.name in _TYPES and type(_TYPES[cls.name]) is not cls:
        raise ValueError(f"two item types are called {cls.name!r}")
    _TYPES[cls.name] = cls()
    return cls


def unregister(name: str) -> None:
    """Forget a type (for tests that register one of their own)."""
    _TYPES.pop(name, None)


def item_type(name: str) -> ItemType:
    try:
        return _TYPES[name]
    except KeyError:
        raise ValueError(f"unknown item type {name!r}; the known types are {names_of(list(_TYPES))}") from None


def type_names() -> tuple[str, ...]:
    """Every registered type, in the order they were registered."""
    return tuple(_TYPES)


def item_keys(types: Sequence[str] | None = None) -> dict[str, bool]:
    """Every key an item may have (True: required of every item), in the order the docs list them."""
    keys = dict(COMMON_KEYS)
    for kind in (_TYPES[name] for name in types or _TYPES):
        for name in kind.keys:
            keys.setdefault(name, False)
    return keys | LAST_KEYS


# -- The base class -------------------------------------------------------------------


class ItemType:
    """What one kind of item is. Subclasses set the class attributes and
    override what differs; see ladder.py and rating.py."""

    name: ClassVar[str] = ""
    # Its own keys in a definition file (True: required), beyond COMMON_KEYS and LAST_KEYS.
    keys: ClassVar[Mapping[str, bool]] = {}
    # What it takes instead of another type's keys, for messages: "uses levels".
    uses: ClassVar[str] = ""
    comments_by_default: ClassVar[bool] = False
    # The answer fields it takes: "level", "option", "target_dates" (Response and the stored answer).
    answer_fields: ClassVar[tuple[str, ...]] = ()
    # True: its points are numbered statements, spoken of as "statement 2 of 4" or
    # "step 2"; False: named answers, spoken of by their label ("Partly met").
    numbered: ClassVar[bool] = False
    # How the section page shows its fields (core/ui/templates/items/).
    template_name: ClassVar[str] = "items/item.html"
    # False for a question that is asked for context only: never scored, never
    # in a plan, and not counted as unanswered in progress (context.py).
    scored: ClassVar[bool] = True

    # -- In a definition file ---------------------------------------------------------

    def read(self, checker: NodeChecker, fields: Mapping[str, Entry], node: Node, name: str | None) -> dict[str, Any]:
        """Check this type's own keys (``fields`` holds those present) and
        return what they give, as ItemDefinition's fields (levels, options,
        settings). ``name`` is the item's type as written, or None when it is
        not known (then only the keys present are checked, nothing is missing)."""
        return {}

    def read_point(self, checker: NodeChecker, item: ItemDefinition, node: Node, where: str) -> Value | None:
        """One of this item's answers as another file names it (an action
        library's ``for``), reported to ``checker`` when it is not one."""
        checker.problem(line_of(node), f"'{item.key}' is a {item.type} item, which has no answers to list in {where}")
        return None

    def points_wanted(self, item: ItemDefinition) -> str:
        """How another file lists some of this item's answers, for messages."""
        return "a list of answers"

    def top_phrase(self, item: ItemDefinition, value: Value) -> str:
        """ "level 4 is the highest level of 'x'": the words for the top of the scale."""
        return f"{value} is the highest answer to '{item.key}'"

    # -- The scale -------------------------------------------------------------------

    def scale(self, item: ItemDefinition) -> tuple[Value, ...]:
        """Its answers from the lowest to the highest; () for an item with no scale."""
        return ()

    def value(self, response: Response | None) -> Value | None:
        """The point on the scale this answer chose, or None (not relevant, not answered)."""
        return None

    def position(self, item: ItemDefinition, response: Response | None) -> int | None:
        """The answer's place on the item's scale, 1 the lowest, or None."""
        if response is None or response.not_relevant:
            return None
        value = self.value(response)
        scale = self.scale(item)
        return scale.index(value) + 1 if value is not None and value in scale else None

    def response_at(self, item: ItemDefinition, position: int) -> Response:
        """The answer at a position (1 the lowest) of the item's scale."""
        raise ValueError(f"{item.key}: a {self.name} item has no scale")

    def points(self, item: ItemDefinition) -> tuple[str, ...]:
        """Each point of the scale in words, lowest first."""
        return ()

    # -- Scores ------------------------------------------------------------------------

    def score(self, item: ItemDefinition, response: Response | None) -> Fraction | None:
        """The answer's score from 0 to 100, exactly; None for no score."""
        return None

    # -- Answering ----------------------------------------------------------------------

    def choices(self, item: ItemDefinition) -> list[tuple[str, str]]:
        """The answers people choose from on the page (value, words), as the file lists them."""
        return []

    def choice(self, response: Response | None) -> str:
        """The chosen answer as the page's radio button value."""
        if response is None:
            return ""
        if response.not_relevant:
            return NOT_RELEVANT_KEY
        if response.dont_know:
            return DONT_KNOW_KEY
        value = self.value(response)
        return "" if value is None else str(value)

    def from_choice(self, item: ItemDefinition, choice: str) -> dict[str, Any]:
        """What a radio button value gives, as raw answer fields for ``clean``."""
        return {}

    def clean(self, item: ItemDefinition, given: Mapping[str, Any]) -> dict[str, Any]:
        """The one check of an answer, for the web pages and the API alike.

        ``given`` holds raw answer fields (level, option, not_relevant,
        notes, target_dates; any may be left out). Returns every field,
        ready to store, or raises Invalid naming each problem by its field.
        """
        problems = Collector()
        cleaned: dict[str, Any] = {
            "level": None,
            "option": "",
            "not_relevant": bool(given.get("not_relevant")),
            "dont_know": bool(given.get("dont_know")),
            "notes": "",
            "target_dates": {},
            "text": "",
        }
        for name in ("level", "option", "target_dates", "text"):
            if _given(given.get(name)) and name not in self.answer_fields:
                problems.add(name, self.refusal(item, name))
        chosen = any(_given(given.get(name)) for name in ("level", "option", "text"))
        if cleaned["not_relevant"] and not item.not_relevant:
            problems.add("not_relevant", f"This question cannot be answered ‘{NOT_RELEVANT_LABEL}’: choose an answer.")
        if cleaned["dont_know"] and not item.dont_know:
            problems.add("dont_know", f"This question does not offer ‘{DONT_KNOW_LABEL}’: choose an answer.")
        if problems:
            pass  # an answer this item does not take: say only that
        elif cleaned["not_relevant"] and cleaned["dont_know"]:
            problems.add("dont_know", f"Choose ‘{DONT_KNOW_LABEL}’ or ‘{NOT_RELEVANT_LABEL}’, not both.")
        elif cleaned["dont_know"] and chosen:
            problems.add("dont_know", f"Choose an answer or ‘{DONT_KNOW_LABEL}’, not both.")
        elif cleaned["not_relevant"] and chosen:
            problems.add("not_relevant", f"Choose an answer or ‘{NOT_RELEVANT_LABEL}’, not both.")
        else:
            cleaned.update(self.clean_answer(item, given, problems))
        cleaned.update(evidence.clean(item.settings, given, lambda: self.at_top(item, cleaned), problems))
        notes = given.get("notes") or ""
        notes = notes.strip() if isinstance(notes, str) else notes
        if not isinstance(notes, str):
            problems.add("notes", "Notes must be text.")
        elif len(notes) > MAX_NOTES:
            problems.add("notes", f"Notes must be {MAX_NOTES:,} characters or fewer")
        else:
            cleaned["notes"] = notes
        problems.raise_if_any()
        return cleaned

    def clean_answer(self, item: ItemDefinition, given: Mapping[str, Any], problems: Collector) -> dict[str, Any]:
        """This type's own answer fields, checked (problems added to ``problems``)."""
        return {}

    def at_top(self, item: ItemDefinition, cleaned: Mapping[str, Any]) -> bool:
        """Whether a checked answer is the highest point of the item's scale (evidence's date achieved)."""
        response = Response(cleaned.get("level"), cleaned.get("option") or None, bool(cleaned.get("not_relevant")))
        position = self.position(item, response)
        return position is not None and position == len(self.scale(item))

    def takes(self, item: ItemDefinition) -> str:
        """What it is answered with, for messages: "a level (1 to 4)"."""
        return "an answer"

    def refusal(self, item: ItemDefinition, name: str) -> str:
        """The message for an answer field this type does not take."""
        if name == "target_dates":
            return "This question does not take target dates."
        if name == "text":
            return "This question does not take a written answer."
        words = {"level": "a level", "option": "an option", "we_option": "a second rating"}.get(name, name)
        return f"This question takes {self.takes(item)}, not {words}."

    # The section page: one radio group (the choices and "not relevant"), any
    # fields of the type's own, and a box for notes. Field names follow
    # field_name(), so that a service's error lands on its field.

    def field_name(self, item: ItemDefinition, path: tuple[str, ...] = ()) -> str:
        """The form field that holds (or shows the error for) a part of the answer."""
        if path[:1] == ("notes",):
            return f"notes-{item.key}"
        return evidence.field_name(item.key, path) or f"item-{item.key}"

    def form_fields(self, item: ItemDefinition) -> dict[str, forms.Field]:
        fields: dict[str, forms.Field] = {
            self.field_name(item): AnswerChoiceField(
                label=item.prompt,
                help_text=item.guidance,
                choices=[*self.choices(item), *self.extra_choices(item)],
                widget=forms.RadioSelect,
                required=False,
            )
        }
        fields |= self.own_form_fields(item)
        fields |= evidence.form_fields(item.key, item.settings)
        fields[self.field_name(item, ("notes",))] = forms.CharField(
            label="Comments, ideas and actions" if item.comments else "Notes (optional)",
            required=False,
            # The service checks the length (MAX_NOTES); the browser is told it too.
            widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_NOTES}),
        )
        return fields

    def extra_choices(self, item: ItemDefinition) -> list[tuple[str, str]]:
        """The answers offered beside the item's own: "Don't know", "Not relevant to us"."""
        extra = [(DONT_KNOW_KEY, DONT_KNOW_LABEL)] if item.dont_know else []
        return extra + ([(NOT_RELEVANT_KEY, NOT_RELEVANT_LABEL)] if item.not_relevant else [])

    def own_form_fields(self, item: ItemDefinition) -> dict[str, forms.Field]:
        """Fields of this type's own, between the choices and the notes."""
        return {}

    def form_initial(self, item: ItemDefinition, stored: Mapping[str, Any]) -> dict[str, Any]:
        """The form's initial data for a stored answer's fields."""
        response = Response(
            stored.get("level"),
            stored.get("option") or None,
            bool(stored.get("not_relevant")),
            bool(stored.get("dont_know")),
            stored.get("text") or "",
        )
        initial = {self.field_name(item, ("notes",)): stored.get("notes", "")}
        initial |= evidence.form_initial(item.key, item.settings, stored)
        choice = self.choice(response)
        if choice:
            initial[self.field_name(item)] = choice
        return initial

    def form_values(self, item: ItemDefinition, cleaned: Mapping[str, Any]) -> dict[str, Any]:
        """Raw answer fields, for ``clean``, from a form's cleaned data."""
        choice = cleaned.get(self.field_name(item)) or ""
        values: dict[str, Any] = {"notes": cleaned.get(self.field_name(item, ("notes",))) or ""}
        values |= evidence.form_values(item.key, item.settings, cleaned)
        if choice == NOT_RELEVANT_KEY:
            values["not_relevant"] = True
        elif choice == DONT_KNOW_KEY:
            values["dont_know"] = True
        elif choice:
            values |= self.from_choice(item, choice)
        return values

    # -- In words -------------------------------------------------------------------------

    def display(self, item: ItemDefinition, response: Response | None) -> str:
        """An answer in a few words: "Level 2 of 4", "Partly met", "Not relevant"."""
        if response is None:
            return "Not answered"
        if response.not_relevant:
            return "Not relevant"
        if response.dont_know:
            return DONT_KNOW_LABEL
        return "Not answered"

    def statement(self, item: ItemDefinition, response: Response | None) -> str:
        """The full statement an answer chose, where it has one ("" otherwise)."""
        return ""

    def answer_in_full(self, item: ItemDefinition, response: Response | None) -> str:
        """The answer in the words it was chosen by, as results and check-answers
        pages show it: a ladder's whole statement, a rating's option label,
        "Not relevant to us" or "Not answered"."""
        if response is not None and response.not_relevant:
            return NOT_RELEVANT_LABEL
        if response is not None and response.dont_know:
            return DONT_KNOW_LABEL
        if response is None or self.value(response) is None:
            return "Not answered"
        return self.statement(item, response) or self.display(item, response)

    def answer_details(self, item: ItemDefinition, stored: Mapping[str, Any]) -> list[str]:
        """Lines about a stored answer beyond the choice (a milestone's target
        dates), for results and check-answers pages; [] for most types."""
        return []

    def describe(self, item: ItemDefinition, stored: Mapping[str, Any]) -> list[str]:
        """Every line about a stored answer beyond the choice: its type's
        (answer_details), then its evidence and date achieved."""
        return [*self.answer_details(item, stored), *evidence.details(stored)]

    def place(self, item: ItemDefinition, response: Response | None) -> str:
        """Where a chosen answer sits, for a line under it ("Statement 2 of 4");
        "" for named answers, whose label says it all."""
        position = self.position(item, response)
        if not self.numbered or position is None:
            return ""
        return f"Statement {position} of {len(self.scale(item))}"


def _given(value: Any) -> bool:
    """A field counts as given unless it is left out, null, "" or an empty mapping."""
    return value is not None and value != "" and value != {}


class AnswerChoiceField(forms.ChoiceField):
    """A radio group whose value the service checks (ItemType.clean), so
    that the page and the API say the same about an answer that is not
    one of the choices."""

    def valid_value(self, value: str) -> bool:
        return True


# -- Reading an item from a definition file ------------------------------------------------


def read_item(
    checker: NodeChecker,
    node: Node,
    seen: dict[str, int],
    *,
    types: Sequence[str] | None = None,
    unknown: Callable[[str], str | None] | None = None,
) -> ItemDefinition | None:
    """Check one item of a definition file: the keys every item has, then its
    type's own keys (checked by its class). ``seen`` maps item keys to the
    line they were first given on (keys must be unique across the file);
    ``types`` limits the types allowed (default: all registered);
    ``unknown`` may give a format's own message for a key it knows is
    misplaced (None: the usual one)."""
    allowed = tuple(types or type_names())
    spec = item_keys(allowed)

    def unknown_key(name: str) -> str:
        message = unknown(name) if unknown else None
        return message or checker.unknown_key(name, "this item", spec)

    fields = checker.fields(node, line_of(node), "this item", spec, unknown=unknown_key)
    if fields is None:
        return None
    key = checker.key(fields.get("key"), "item", MAX_ITEM_KEY)
    if key is not None:
        if key in seen:
            checker.problem(
                fields["key"].line,
                f"item key '{key}' is already used on line {seen[key]}; "
                "item keys must be unique across the whole instrument",
            )
        else:
            seen[key] = fields["key"].line
    type_name = checker.entry_text(fields.get("type"), "type")
    if type_name is not None and type_name not in allowed:
        checker.problem(
            fields["type"].line,
            f"unknown item type '{type_name}'{did_you_mean(type_name, allowed)}; use one of: {names_of(allowed)}",
        )
        type_name = None
    prompt = checker.entry_text(fields.get("prompt"), "prompt")
    guidance = checker.entry_text(fields.get("guidance"), "guidance")

    own = {name: entry for name, entry in fields.items() if name not in COMMON_KEYS and name not in LAST_KEYS}
    read: dict[str, Any] = {}
    if type_name is not None:
        kind = item_type(type_name)
        for name, entry in own.items():
            if name not in kind.keys:
                holders = [other for other in allowed if name in item_type(other).keys]
                checker.problem(
                    entry.line, f"{name} are only for {_and(holders)} items; a {type_name} item {kind.uses}"
                )
        read = kind.read(checker, {n: e for n, e in own.items() if n in kind.keys}, node, type_name)
    else:
        # The type is missing or unknown: still check each key with a type that has it.
        for name, entry in own.items():
            holder = next(other for other in allowed if name in item_type(other).keys)
            read |= item_type(holder).read(checker, {name: entry}, node, None)

    comments = type_name is not None and item_type(type_name).comments_by_default
    if "comments" in fields:
        given = checker.true_or_false(fields["comments"], "comments")
        comments = comments if given is None else given
    if "evidence" in fields and checker.true_or_false(fields["evidence"], "evidence"):
        read["settings"] = {**read.get("settings", {}), evidence.SETTING: True}

    return ItemDefinition(
        key=key,
        type=type_name,
        prompt=prompt,
        guidance=guidance or "",
        levels=read.get("levels", ()),
        options=read.get("options", ()),
        comments=comments,
        settings=read.get("settings", {}),
    )


def _and(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _or(names: Collection[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def holders_of(key: str) -> list[str]:
    """The registered types that have this key of their own."""
    return [name for name, kind in _TYPES.items() if key in kind.keys]


# -- Dates given with an answer ---------------------------------------------------------


def iso_date(value: Any) -> datetime.date | None:
    """A date, or text written YYYY-MM-DD with the digits 0 to 9 that is a real date; else None."""
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return None
    return None


__all__ = [
    "FieldError",
    "Invalid",
    "ItemDefinition",
    "ItemType",
    "Option",
    "Response",
    "exact",
    "item_keys",
    "item_type",
    "read_item",
    "register",
    "type_names",
    "unregister",
]
