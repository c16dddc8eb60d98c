"""Turning a submitted assessment into a draft action plan, and the other
workflows that change a plan. One transaction each.

Every change takes ``by``, the person making it: new rows record it
(``created_by``, ``written_by``, ``set_by``) and the audit trail names them
as the actor (``audit.actor.attribute_changes_to``).

Every change to a plan first takes the plan's lock (``_lock_plan``: the
organisation's row), then reads what it decides on again, so that two
changes to one plan happen one after the other. A change that finds its
action gone, or no longer as the person saw it, raises ``ConflictError``
(``personfirst.core.concurrency``) with the action as it is now, and changes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from personfirst.core.audit import bulk as audit_bulk
from personfirst.core.audit.actor import attribute_changes_to
from personfirst.core.concurrency import ConflictError, lock, refresh_locked
from personfirst.core.organisations.models import Organisation
from personfirst.core.validation import Collector
from personfirst.readiness.assessments import coproduction
from personfirst.readiness.assessments import services as readiness_services
from personfirst.readiness.assessments.models import Answer, Assessment, Item, Section

from . import library
from .models import OPEN_STATUSES, Action, ActionSource, ActionStatus, ProgressNote, Target

# The statuses a person may choose for an action in the plan ("suggested"
# is only ever set by draft_plan, and left by accepting or dropping).
CHOOSABLE_STATUSES = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.DROPPED)

# The plan page's filter: key -> label. "" is the whole plan except the
# actions set aside as not for us.
PLAN_FILTERS = {
    "": "All actions",
    "overdue": "Overdue",
    ActionStatus.NOT_STARTED.value: "Not started",
    ActionStatus.IN_PROGRESS.value: "In progress",
    ActionStatus.DONE.value: "Done",
    ActionStatus.DROPPED.value: "Not for us",
}


class NotASuggestion(ConflictError):
    """Accepting or dropping an action that is not (or no longer) waiting
    for a decision. ``current`` is the action as it is now, or None."""


def _lock_plan(organisation_id: int) -> None:
    """Hold the organisation's plan until the end of the transaction: every
    change to a plan takes this lock before it reads anything it decides on.
    (FOR NO KEY UPDATE, so rows that merely refer to the organisation can
    still be added meanwhile.) Locks are taken in one order everywhere: an
    assessment (submitting), then the plan, then its actions."""
    lock(Organisation.objects.filter(pk=organisation_id), no_key=True)


def _gone(action: Action) -> str:
    return f"‘{action.title}’ is no longer in the plan: someone else has removed it. Nothing was changed."


def _current(action: Action) -> Action:
    """Lock the plan and read ``action`` again, in place; ConflictError if it has been removed."""
    _lock_plan(action.organisation_id)
    return refresh_locked(action, _gone(action))


def scale_size(item: Item) -> int:
    """The number of points on the item's scale (its type's)."""
    return len(item.kind.scale(item.definition))


def _own_targets(organisation, instrument_key: str) -> dict[str, int]:
    return dict(
        Target.objects.filter(organisation=organisation, instrument_key=instrument_key).values_list("item_key", "level")
    )


def target_for(organisation, item: Item, current: int, instrument_key: str, own: dict[str, int] | None = None) -> int:
    """The organisation's own target for the item, or one step up."""
    if own is None:
        own = _own_targets(organisation, instrument_key)
    if item.key in own:
        return min(own[item.key], scale_size(item))
    return min(current + 1, scale_size(item))


def position_label(item: Item, position: int) -> str:
    """A point on the item's scale in words: "Statement 2: Starting the
    conversation" for numbered statements, the answer's label otherwise."""
    words = item.kind.points(item.definition)[position - 1]
    return f"Statement {position}: {first_sentence(words)}" if item.kind.numbered else words


def describe_gap(item: Item, section_title: str, answer: Answer, target: int) -> str:
    size = scale_size(item)
    current = coproduction.position(item, answer)
    if item.kind.numbered:
        return f"{section_title}: you are at statement {current} of {size} and aim for statement {target}."
    aim = item.kind.points(item.definition)[target - 1]
    return f"{section_title}: rated ‘{answer.display()}’; you aim for ‘{aim}’."


def _next_position(organisation) -> int:
    """The place after the last action of the plan (read under the plan's lock, so no two share it)."""
    return (Action.objects.filter(organisation=organisation).aggregate(m=Max("position"))["m"] or 0) + 1


def first_sentence(text: str) -> str:
    sentence = text.strip().split(". ")[0].rstrip(".")
    return sentence if len(sentence) <= 120 else sentence[:117] + "…"


def _attribute(by) -> None:
    if by is not None:
        attribute_changes_to(by)


@transaction.atomic
def draft_plan(assessment: Assessment, by=None) -> list[Action]:
    """Suggested actions for every item below its target, and the target
    dates set on milestone items. Returns the actions it creates.

    Safe to run again (after the organisation changes its targets, when the
    library grows, or for a newer assessment of the same instrument):

    - an action the organisation has decided on (accepted, done, set aside
      as not for us) is never suggested again, so nothing comes back;
    - suggestions still waiting for a decision are brought up to date: kept
      (and moved to this assessment, with a new "why") if they still fit,
      withdrawn if they do not (the item has reached its target, or the
      answer has changed);
    - a target date becomes an action once.
    """
    _attribute(by)
    organisation = assessment.organisation
    _lock_plan(organisation.pk)  # before reading: no decision on a suggestion may land in between
    instrument_key = assessment.version.instrument.key
    generated = Action.objects.filter(organisation=organisation, instrument_key=instrument_key).exclude(
        source=ActionSource.OWN
    )
    waiting = {
        (a.item_key, a.library_key): a
        for a in generated.filter(source=ActionSource.LIBRARY, status=ActionStatus.SUGGESTED).select_for_update()
    }
    decided = set(
        generated.filter(source=ActionSource.LIBRARY)
        .exclude(status=ActionStatus.SUGGESTED)
        .values_list("item_key", "library_key")
    )
    dated = set(generated.filter(source=ActionSource.TARGET_DATE).values_list("item_key", "title"))
    own_targets = _own_targets(organisation, instrument_key)
    position = _next_position(organisation)  # new actions go at the end, in the order made
    created: list[Action] = []
    updated: list[tuple[Action, Action]] = []  # (as it was, as it is now)
    kept: set[tuple[str, str]] = set()

    def new(item_key: str, **fields) -> None:
        created.append(
            Action(
                organisation=organisation,
                assessment=assessment,
                instrument_key=instrument_key,
                item_key=item_key,
                created_by=by,
                **fields,
            )
        )

    suggestions = library.Library(assessment.version)
    found = _items_with_answers(assessment)
    for section, item, answer, current in _answered_items(assessment, found):
        target = target_for(organisation, item, current, instrument_key, own_targets)
        chosen = item.kind.value(answer.response)
        if current < target:
            why = describe_gap(item, section.title, answer, target)
            for suggestion in suggestions.suggestions_for(item.key, chosen):
                key = (item.key, suggestion.key)
                if key in decided or key in kept:
                    continue
                kept.add(key)
                if key in waiting:
                    _bring_up_to_date(waiting[key], assessment, why, updated)
                    continue
                new(
                    item.key,
                    library_key=suggestion.key,
                    source=ActionSource.LIBRARY,
                    title=suggestion.title,
                    detail=suggestion.detail,
                    why=why,
                    status=ActionStatus.SUGGESTED,
                )
        # Target dates (a milestones item's answer): one action per step above the one reached.
        points = item.kind.points(item.definition)
        for level_text, date in sorted((answer.target_dates or {}).items(), key=lambda kv: int(kv[0])):
            level = int(level_text)
            if level <= current or level > len(points):
                continue
            title = f"Reach step {level}: {first_sentence(points[level - 1])}"
            if (item.key, title) in dated:
                continue
            dated.add((item.key, title))
            new(
                item.key,
                source=ActionSource.TARGET_DATE,
                title=title,
                why=f"{section.title}: the target date you set for step {level} of {len(points)}.",
                due_date=datetime.date.fromisoformat(date),
                status=ActionStatus.NOT_STARTED,
            )
    # "Don't know" (docs/scoring.md): a suggestion to find out, kept and
    # withdrawn like the library's (the answer changes: it goes).
    for section, item, _answer in _dont_know_items(assessment, found):
        key = (item.key, FIND_OUT_KEY)
        if key in decided or key in kept:
            continue
        kept.add(key)
        why = f"{section.title}: you answered ‘Don’t know’ to “{first_sentence(item.prompt)}”"
        if key in waiting:
            _bring_up_to_date(waiting[key], assessment, why, updated)
            continue
        new(
            item.key,
            library_key=FIND_OUT_KEY,
            source=ActionSource.LIBRARY,
            title=f"Find out: {first_sentence(item.prompt)}"[:200],
            detail="Ask the people who would know, then answer this question in your next assessment.",
            why=why,
            status=ActionStatus.SUGGESTED,
        )
    # In bulk, with the audit trail recording each action as one save or
    # delete at a time would (core/audit/bulk.py). Undecided, and no longer
    # fitting: withdraw them (with any notes on them).
    audit_bulk.delete([action for key, action in waiting.items() if key not in kept])
    audit_bulk.update(updated, BROUGHT_UP_TO_DATE)
    for offset, action in enumerate(created):
        action.position = position + offset
    return audit_bulk.create(created)


BROUGHT_UP_TO_DATE = ("assessment", "why", "updated_at")


def _bring_up_to_date(action: Action, assessment: Assessment, why: str, updated: list) -> None:
    """Move a suggestion still waiting to this assessment, with its new "why" (saved by the caller, in bulk)."""
    if action.assessment_id != assessment.pk or action.why != why:
        before = audit_bulk.snapshot(action)
        action.assessment = assessment
        action.why = why
        updated.append((before, action))


def on_assessment_submitted(sender, assessment: Assessment, by=None, **kwargs) -> None:
    draft_plan(assessment, by=by)


# --- Deciding on suggestions -----------------------------------------------


DECIDED = {
    ActionStatus.DROPPED: "set aside as not for us",
    ActionStatus.DONE: "accepted into the plan, and done",
}


def _suggestion(action: Action) -> Action:
    """Lock the plan and read ``action`` again, in place; NotASuggestion
    (with the action as it is now) unless it is still waiting for a decision."""
    title = action.title
    _lock_plan(action.organisation_id)
    try:
        refresh_locked(action, "")
    except ConflictError:
        raise NotASuggestion(
            f"‘{title}’ is no longer waiting for a decision: it was withdrawn when the plan was drafted again, "
            "or someone removed it. Nothing was changed."
        ) from None
    if action.status != ActionStatus.SUGGESTED:
        decided = DECIDED.get(action.status, "accepted into the plan")
        raise NotASuggestion(f"‘{title}’ had already been decided: it was {decided}. Nothing was changed.", action)
    return action


@transaction.atomic
def accept(action: Action, by) -> Action:
    """Put a suggestion into the plan, at the end, as not started.
    NotASuggestion if it is not (or no longer) waiting for a decision."""
    _attribute(by)
    _suggestion(action)
    action.status = ActionStatus.NOT_STARTED
    action.position = _next_position(action.organisation_id)
    action.save(update_fields=["status", "position", "updated_at"])
    return action


@transaction.atomic
def drop(action: Action, by) -> Action:
    """Set a suggestion aside as not for us. It stays (out of sight), so that
    drafting the plan again does not bring it back. NotASuggestion if it is
    not (or no longer) waiting for a decision."""
    _attribute(by)
    _suggestion(action)
    action.status = ActionStatus.DROPPED
    action.save(update_fields=["status", "updated_at"])
    return action


def decide(action: Action, accepted: bool, by) -> Action:
    """Accept or drop a suggestion; NotASuggestion if it has been decided or withdrawn."""
    return accept(action, by) if accepted else drop(action, by)


@dataclass(frozen=True)
class GroupDecision:
    """What deciding on a group of suggestions did."""

    decided: list[Action]  # the suggestions accepted (or set aside), in the plan's order
    skipped: int  # those no longer waiting: decided by someone else, or withdrawn meanwhile


@transaction.atomic
def decide_group(organisation, action_ids, accepted: bool, by) -> GroupDecision:
    """Accept (at the end of the plan, in their order) or set aside every
    suggestion of ``action_ids`` that is still waiting for a decision, under
    the plan's lock, in one go. The ids are those the person saw, so that a
    suggestion added meanwhile is never decided unseen. Those decided or
    withdrawn meanwhile are skipped and counted; NotASuggestion if none was
    still waiting, so that nothing is changed without the person knowing."""
    _attribute(by)
    _lock_plan(organisation.pk)
    ids = {int(pk) for pk in action_ids}
    waiting = list(
        Action.objects.select_for_update()
        .filter(organisation=organisation, pk__in=ids, status=ActionStatus.SUGGESTED)
        .order_by("position", "pk")
    )
    if not waiting:
        raise NotASuggestion(
            "None of these suggestions is waiting for a decision any more: someone else has decided on them, "
            "or they were withdrawn when the plan was drafted again. Nothing was changed."
        )
    position = _next_position(organisation.pk)
    for action in waiting:
        if accepted:
            action.status = ActionStatus.NOT_STARTED
            action.position = position
            position += 1
            action.save(update_fields=["status", "position", "updated_at"])
        else:
            action.status = ActionStatus.DROPPED
            action.save(update_fields=["status", "updated_at"])
    return GroupDecision(waiting, len(ids) - len(waiting))


# --- Changing the plan -----------------------------------------------------


def _apply_status(action: Action, status: str) -> None:
    if status == ActionStatus.DONE and action.status != ActionStatus.DONE:
        action.completed_at = timezone.now()
    elif status != ActionStatus.DONE:
        action.completed_at = None
    action.status = status


@transaction.atomic
def set_status(action: Action, status: str, by) -> Action:
    """Change the status. Done records when (once: marking a done action
    done again keeps the first date); any other status clears it.
    ConflictError if the action has been removed, or is a suggestion."""
    _attribute(by)
    _in_plan(action)
    _apply_status(action, status)
    action.save(update_fields=["status", "completed_at", "updated_at"])
    return action


@transaction.atomic
def add_own(organisation, *, title: str, by, why: str = "", owner: str = "", due_date=None) -> Action:
    """An action the organisation adds itself, at the end of the plan."""
    _attribute(by)
    _lock_plan(organisation.pk)
    return Action.objects.create(
        organisation=organisation,
        source=ActionSource.OWN,
        title=title,
        why=why,
        owner=owner,
        due_date=due_date,
        status=ActionStatus.NOT_STARTED,
        position=_next_position(organisation),
        created_by=by,
    )


EDITABLE_FIELDS = ("title", "why", "owner", "due_date")
FIELD_NAMES = {
    "title": "what you will do",
    "why": "why",
    "owner": "who will make sure it happens",
    "due_date": "the due date",
    "status": "how it is going",
}


class ChangedMeanwhile(ConflictError):
    """Someone else changed fields of an action that this person changed too.
    ``fields`` names them; ``current`` is the action as it is now."""

    def __init__(self, message: str, current: Action, fields: list[str]) -> None:
        super().__init__(message, current)
        self.fields = fields


def _in_plan(action: Action) -> Action:
    """Lock the plan and read ``action`` again, in place; ConflictError if it
    has been removed, or if it is a suggestion (decide on it first)."""
    _current(action)
    if action.status == ActionStatus.SUGGESTED:
        raise ConflictError(
            f"‘{action.title}’ is a suggestion waiting for a decision. Accept it before you change it.", action
        )
    return action


@transaction.atomic
def update(action: Action, by, *, seen: dict | None = None, **changes) -> Action:
    """Change what, why, owner, due date and status (any of them): each
    field given that differs from the action as it is now. ConflictError if
    the action has been removed, or is a suggestion.

    ``seen`` holds the values the person saw when they loaded the form. A
    field they left as they saw it is not changed (so a change someone else
    made meanwhile stays); a field they changed that someone else has also
    changed, differently, raises ChangedMeanwhile and nothing is saved.
    """
    unknown = set(changes) - {*EDITABLE_FIELDS, "status"}
    if unknown:
        raise TypeError(f"These cannot be changed: {sorted(unknown)}")
    _attribute(by)
    title = action.title
    _in_plan(action)
    if seen:
        changes = {name: value for name, value in changes.items() if name not in seen or seen[name] != value}
        clashes = [
            name for name, value in changes.items() if name in seen and getattr(action, name) not in (seen[name], value)
        ]
        if clashes:
            names = " and ".join(FIELD_NAMES[name] for name in clashes)
            raise ChangedMeanwhile(
                f"Someone else changed {names} of ‘{title}’ while you were changing it. Nothing was saved.",
                action,
                clashes,
            )
    fields = ["updated_at"]
    for name in EDITABLE_FIELDS:
        if name in changes and getattr(action, name) != changes[name]:
            setattr(action, name, changes[name])
            fields.append(name)
    if "status" in changes and changes["status"] != action.status:
        _apply_status(action, changes["status"])
        fields += ["status", "completed_at"]
    if len(fields) > 1:
        action.save(update_fields=fields)
    return action


@transaction.atomic
def remove(action: Action, by) -> None:
    """Remove the action and its notes; ConflictError if it has gone already."""
    _attribute(by)
    _current(action)
    action.delete()


@transaction.atomic
def add_note(action: Action, text: str, by) -> ProgressNote:
    """A progress note on the action; ConflictError if the action has been removed."""
    _attribute(by)
    title = action.title
    try:
        _current(action)
    except ConflictError:
        raise ConflictError(
            f"‘{title}’ has been removed from the plan by someone else, so your note was not added."
        ) from None
    return ProgressNote.objects.create(action=action, text=text, written_by=by)


@transaction.atomic
def move(action: Action, direction: int, by=None) -> None:
    """Swap an action with its neighbour in the plan (direction −1 up, +1
    down). Suggestions and actions set aside do not count: they are not
    shown in the plan's order. ConflictError if the action is no longer in
    the plan's order (removed, or set aside meanwhile)."""
    _attribute(by)
    _lock_plan(action.organisation_id)
    siblings = list(
        Action.objects.select_for_update()
        .filter(organisation=action.organisation)
        .in_plan()
        .exclude(status=ActionStatus.DROPPED)
        .order_by("position", "pk")
    )
    index = next((i for i, a in enumerate(siblings) if a.pk == action.pk), None)
    if index is None:
        current = Action.objects.filter(pk=action.pk).first()
        raise ConflictError(
            f"‘{action.title}’ is no longer in the plan's order: someone else has "
            f"{'set it aside' if current else 'removed it'}. Nothing was moved.",
            current,
        )
    other = index + direction
    if not 0 <= other < len(siblings):
        return
    this, that = siblings[index], siblings[other]
    if this.position != that.position:
        # Swap the two places (two changes in the audit trail, not the whole plan's).
        this.position, that.position = that.position, this.position
        changed = [this, that]
    else:  # two actions share a place: number the whole plan afresh
        siblings[index], siblings[other] = that, this
        changed = []
        for number, sibling in enumerate(siblings, start=1):
            if sibling.position != number:
                sibling.position = number
                changed.append(sibling)
    for sibling in changed:
        sibling.save(update_fields=["position", "updated_at"])


# --- Reading the plan ------------------------------------------------------


def plan_actions(organisation, shown: str = "", today: datetime.date | None = None):
    """The plan's actions, in order, for one of PLAN_FILTERS."""
    actions = Action.objects.filter(organisation=organisation).in_plan().select_related("organisation")
    if shown == "overdue":
        return actions.overdue(today)
    if shown in CHOOSABLE_STATUSES:
        return actions.filter(status=shown)
    return actions.exclude(status=ActionStatus.DROPPED)


def waiting(organisation):
    """Suggestions waiting for a decision, in the order they were drafted."""
    return (
        Action.objects.filter(organisation=organisation, status=ActionStatus.SUGGESTED)
        .select_related("organisation", "assessment__version")
        .order_by("assessment_id", "position", "pk")
    )


def overdue(organisation, today: datetime.date | None = None):
    return (
        Action.objects.filter(organisation=organisation, status__in=OPEN_STATUSES)
        .overdue(today)
        .select_related("organisation")
        .order_by("due_date", "position", "pk")
    )


# --- Targets ---------------------------------------------------------------


@dataclass
class TargetRow:
    """One scored item of a submitted assessment, for the targets page."""

    section: Section
    item: Item
    answer: Answer
    current: int  # position on the item's scale, 1-based
    size: int
    target: int  # the organisation's own target, or one step up
    own: bool  # the organisation has set its own target

    @property
    def at_top(self) -> bool:
        return self.current >= self.size

    @property
    def choices(self) -> list[int]:
        return list(range(self.current, self.size + 1))


def target_rows(assessment: Assessment) -> list[TargetRow]:
    organisation = assessment.organisation
    instrument_key = assessment.version.instrument.key
    own_targets = _own_targets(organisation, instrument_key)
    rows = []
    for section, item, answer, current in _answered_items(assessment):
        size = scale_size(item)
        own = item.key in own_targets
        target = max(target_for(organisation, item, current, instrument_key, own_targets), current)
        rows.append(TargetRow(section, item, answer, current, size, target, own))
    return rows


# The library key of the suggestion to find out, made for a "Don't know" answer.
FIND_OUT_KEY = "dont-know-find-out"


def _items_with_answers(assessment: Assessment) -> list[tuple]:
    """(section, item, agreed answer) for every item of the sections that
    apply that has an answer that counts, in order (read once)."""
    applies, _left_out = readiness_services.split_sections(assessment)
    answers = readiness_services.answers_for(assessment)
    return [
        (section, item, answers[item.key]) for section in applies for item in section.items.all() if item.key in answers
    ]


def _dont_know_items(assessment: Assessment, found: list[tuple] | None = None) -> Iterator[tuple]:
    """(section, item, agreed answer) for every item answered "Don't know", in order."""
    for section, item, answer in _items_with_answers(assessment) if found is None else found:
        if answer.dont_know:
            yield section, item, answer


def _answered_items(assessment: Assessment, found: list[tuple] | None = None) -> Iterator[tuple]:
    """(section, item, agreed answer, position on its scale) for every answered
    item of the sections that apply, in order."""
    for section, item, answer in _items_with_answers(assessment) if found is None else found:
        current = coproduction.position(item, answer)
        if current is not None:
            yield section, item, answer, current


@transaction.atomic
def set_targets(assessment: Assessment, levels: dict[str, int], by, seen: dict[str, int] | None = None) -> list[Action]:
    """Store the organisation's target for each item (item key -> position
    on its scale), then draft the plan again. Returns the new actions.
    Invalid (nothing saved) for a question the assessment does not have, or
    a target off its scale.

    ``seen`` holds, per item, the target the person saw when they loaded the
    page. An item whose target someone else has changed since keeps that
    change if this person left it as they saw it; if this person chose
    something else for it too, nothing is saved and ``ConflictError`` names
    those items, with the targets as they are now (item key -> level).
    """
    _attribute(by)
    organisation = assessment.organisation
    _lock_plan(organisation.pk)
    instrument_key = assessment.version.instrument.key
    sizes = {item.key: scale_size(item) for item in assessment.version.items.all()}
    problems = Collector()
    for item_key, level in levels.items():
        if item_key not in sizes:
            problems.add(item_key, f"This assessment has no question with the key ‘{item_key}’.")
        elif isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= sizes[item_key]:
            problems.add(item_key, f"Choose a target from 1 to {sizes[item_key]}: {level} is not on the scale.")
    problems.raise_if_any()
    changes = dict(levels)
    if seen:
        now = {row.item.key: row for row in target_rows(assessment)}
        clashes = []
        for item_key, level in levels.items():
            row = now.get(item_key)
            if row is None or item_key not in seen or row.target == seen[item_key] or row.target == level:
                continue
            if level == seen[item_key]:
                del changes[item_key]  # changed by someone else only: keep their target
            else:
                clashes.append(row)
        if clashes:
            names = ", ".join(f"‘{_row_name(row)}’" for row in clashes)
            raise ConflictError(
                f"Someone else changed the target for {names} while you were choosing. Nothing was saved.",
                {row.item.key: row.target for row in clashes},
            )
    own = {t.item_key: t for t in Target.objects.filter(organisation=organisation, instrument_key=instrument_key)}
    for item_key, level in changes.items():
        target = own.get(item_key)
        if target is None:
            Target.objects.create(
                organisation=organisation, instrument_key=instrument_key, item_key=item_key, level=level, set_by=by
            )
        elif target.level != level:
            target.level = level
            target.set_by = by
            target.save(update_fields=["level", "set_by", "updated_at"])
    return draft_plan(assessment, by=by)


def _row_name(row: TargetRow) -> str:
    """How the targets page names an item: its section, or the item's prompt if the section has several."""
    return row.section.title if len(row.section.items.all()) == 1 else first_sentence(row.item.prompt)
