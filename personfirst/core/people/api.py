"""API: people's records. The same rules as the pages, and the same log:
every endpoint that returns any part of a record opens it through
records.open_record, which logs the read."""

from __future__ import annotations

import datetime
import uuid

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError, ValidationError
from pydantic import ConfigDict, field_validator

from personfirst.core.access.shortcuts import require
from personfirst.core.accounts.models import ApiToken
from personfirst.core.api.api import TokenAuth
from personfirst.core.api.schemas import BODY_ERRORS, ERRORS, PARAMETER_ERRORS, storable, text
from personfirst.core.organisations.models import CouncilArea

from . import records, services
from .models import Person

router = Router(tags=["People's records"], auth=TokenAuth(area=ApiToken.PEOPLE))


class PersonSummary(Schema):
    id: uuid.UUID
    given_name: str
    family_name: str
    council_area: str = Field(description="The council area's code")


class SupporterOut(Schema):
    name: str
    kind: str = Field(description="carer, family, advocate or broker")
    may_edit: bool = Field(description="May change the record, with the person")
    may_act: bool = Field(description="May act on the person's behalf")
    status: str = Field(description="current, invited, expired or ended")
    valid_until: datetime.date | None
    consent_given_at: datetime.datetime | None
    consent_by: str = Field(description="person (themselves) or practitioner (on what the person said)")
    consent_how: str


class PersonOut(Schema):
    id: uuid.UUID
    given_name: str
    family_name: str
    preferred_name: str
    date_of_birth: datetime.date | None
    email: str
    phone: str
    address: str
    what_matters: str
    council_area: str = Field(description="The council area's code")
    signs_in: bool


class PersonIn(Schema):
    model_config = ConfigDict(extra="forbid")

    council_area: str = Field(description="The council area's code: one where you are a practitioner")
    given_name: str = text(..., blank=False, min_length=1, max_length=100)
    family_name: str = text(..., blank=False, min_length=1, max_length=100)
    preferred_name: str = text("", max_length=100)
    date_of_birth: datetime.date | None = None
    email: str = Field(
        "",
        max_length=254,
        description="Blank, or an e-mail address",
        json_schema_extra={"anyOf": [{"maxLength": 0}, {"format": "email"}]},
    )
    phone: str = text("", max_length=40)
    address: str = text("", max_length=2000)
    what_matters: str = text("", max_length=10000)

    @field_validator("given_name", "family_name", "preferred_name", "phone", "address", "what_matters")
    @classmethod
    def storable_text(cls, value: str) -> str:
        return storable(value)

    @field_validator("given_name", "family_name")
    @classmethod
    def not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("Enter their name.")
        return value

    @field_validator("email")
    @classmethod
    def an_email_address(cls, value: str) -> str:
        value = value.strip()
        if value:
            try:
                validate_email(value)
            except DjangoValidationError:
                raise ValueError("Enter an e-mail address in the right format, like name@example.org.") from None
        return value

    @field_validator("date_of_birth")
    @classmethod
    def in_the_past(cls, value):
        if value is not None and value > datetime.date.today():
            raise ValueError("The date of birth must be in the past.")
        return value


class ReadOut(Schema):
    at: datetime.datetime
    who: str | None = Field(description="Their name; null once their account is closed")
    as_role: str = Field(description="Why they could read it: the person, carer, practitioner, with a reason...")
    what: str
    routine: bool
    reason: str = Field(description="Why they read it, when it was not routine")


def _out(person: Person) -> dict:
    return {
        "id": person.pk,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "preferred_name": person.preferred_name,
        "date_of_birth": person.date_of_birth,
        "email": person.email,
        "phone": person.phone,
        "address": person.address,
        "what_matters": person.what_matters,
        "council_area": person.council_area.code,
        "signs_in": person.user_id is not None,
    }


def _open(request: HttpRequest, person_id: uuid.UUID, what: str) -> Person:
    try:
        return records.open_record(request.user, person_id, what)
    except records.ReasonNeeded:
        raise HttpError(403, "Give a reason to read this record, on its page in the service, first.") from None


@router.get(
    "people",
    response={200: list[PersonSummary], **ERRORS},
    summary="People's records I may open (names only: not a read of anyone's record)",
    operation_id="list_people",
)
def list_people(request: HttpRequest):
    require(request.user, "people.view_people", None)
    return [
        {"id": p.pk, "given_name": p.given_name, "family_name": p.family_name, "council_area": p.council_area.code}
        for p in services.visible_people(request.user).order_by("family_name", "given_name", "pk")
    ]


@router.post(
    "people",
    response={201: PersonOut, **BODY_ERRORS, **ERRORS},
    summary="Create a person's record (practitioners of the area)",
    operation_id="create_person",
)
def create_person(request: HttpRequest, payload: PersonIn):
    require(request.user, "people.view_people", None)  # 404 for anyone with no records at all
    if not request.user.has_perm("people.add_person_anywhere"):
        raise PermissionDenied  # 403: a person or a supporter, who keeps no records
    area = CouncilArea.objects.filter(code=payload.council_area).first()
    if area is None or not request.user.has_perm("people.add_person", area):
        message = "Give the code of a council area where you are a practitioner."
        raise ValidationError([{"loc": ("body", "payload", "council_area"), "msg": message}])
    details = payload.dict(exclude={"council_area"})
    person = services.create_person(council_area=area, by=request.user, **details)
    return Status(201, _out(person))


@router.get(
    "people/{person_id}",
    response={200: PersonOut, **PARAMETER_ERRORS, **ERRORS},
    summary="A person's record (the read is logged, and the person can see it)",
    operation_id="get_person",
)
def get_person(request: HttpRequest, person_id: uuid.UUID):
    return _out(_open(request, person_id, "the record, through the API"))


@router.get(
    "people/{person_id}/supporters",
    response={200: list[SupporterOut], **PARAMETER_ERRORS, **ERRORS},
    summary="The people who support them (the read is logged)",
    operation_id="list_supporters",
)
def list_supporters(request: HttpRequest, person_id: uuid.UUID):
    person = _open(request, person_id, "people who support them, through the API")
    return [
        {
            "name": s.name,
            "kind": s.kind,
            "may_edit": s.may_edit,
            "may_act": s.may_act,
            "status": s.status,
            "valid_until": s.valid_until,
            "consent_given_at": s.consent_given_at,
            "consent_by": s.consent_by,
            "consent_how": s.consent_how,
        }
        for s in person.supporters.order_by("created_at", "pk")
    ]


@router.get(
    "people/{person_id}/reads",
    response={200: list[ReadOut], **PARAMETER_ERRORS, **ERRORS},
    summary="Who has looked at the record (the person, and supporters who act for them)",
    operation_id="list_record_reads",
)
def list_record_reads(request: HttpRequest, person_id: uuid.UUID):
    person = get_object_or_404(Person, pk=person_id)
    require(request.user, "people.view_reads", person)
    return [
        {
            "at": r.at,
            "who": r.user.display_name if r.user else None,
            "as_role": r.as_role,
            "what": r.what,
            "routine": r.routine,
            "reason": r.reason,
        }
        for r in person.reads.select_related("user")[:500]
    ]
