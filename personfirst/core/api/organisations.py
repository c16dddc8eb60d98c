"""API: who am I, my organisations, an organisation's profile."""

from __future__ import annotations

from enum import Enum

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.errors import ValidationError
from pydantic import ConfigDict, field_validator

from personfirst.core.access import roles as access
from personfirst.core.access.models import MEMBERSHIP_ROLES, RoleName
from personfirst.core.access.shortcuts import require
from personfirst.core.organisations.choices import TYPES_THAT_GIVE_ACCESS, OrganisationType, ServiceKind
from personfirst.core.organisations.models import Organisation

from .schemas import BODY_ERRORS, ERRORS, PARAMETER_ERRORS, Slug, leave_out, storable, whole

router = Router(tags=["Organisations"])

OrgTypeCode = Enum("OrgTypeCode", {code: code for code in OrganisationType.values}, type=str)
ServiceCode = Enum("ServiceCode", {code: code for code in ServiceKind.values}, type=str)


class MembershipOut(Schema):
    slug: str
    name: str
    role: str


class RoleOut(Schema):
    role: str = Field(description="The role's code, such as commissioner or development_worker")
    label: str
    organisation: str | None = Field(None, description="The organisation's slug, for a role over one")
    council_area: str | None = Field(None, description="The council area's code, for a role over one")
    valid_from: str
    valid_until: str | None = None


class MeOut(Schema):
    email: str
    full_name: str
    platform_administrator: bool
    memberships: list[MembershipOut]
    roles: list[RoleOut] = Field(description="Every role you hold now, memberships included")


class AreaOut(Schema):
    code: str
    name: str


class OrganisationOut(Schema):
    slug: str
    name: str
    type: str
    type_label: str
    paid_staff: int
    volunteers: int
    size_band: str = Field(
        description="micro, small, medium or large, counting paid staff and volunteers together: "
        "fewer than 10 people, 10 to 49, 50 to 249, 250 or more (organisations.choices.SizeBand)"
    )
    council_area: AreaOut
    services: list[str]
    description: str


class OrganisationSummary(Schema):
    slug: str
    name: str
    type: str
    relationship: str = Field(description="member, admin, shared (with your support organisation) or platform")


class OrganisationPatch(Schema):
    # A misspelt field, or a body that is not an object, is an error, not a silent no-op.
    # Send only what changes; a field that is left out keeps its value, and none may be null.
    model_config = ConfigDict(extra="forbid")

    name: str = leave_out(is_text=True, blank=False, min_length=1, max_length=200)
    type: OrgTypeCode = leave_out()
    paid_staff: whole(ge=0, le=1_000_000) = leave_out()
    volunteers: whole(ge=0, le=1_000_000) = leave_out()
    services: list[ServiceCode] = leave_out(max_length=len(ServiceKind.values))
    description: str = leave_out(is_text=True, max_length=Organisation.DESCRIPTION_MAX_LENGTH)

    @field_validator("name", "description")
    @classmethod
    def storable_text(cls, value: str) -> str:
        # As the web forms do: a database cannot store these, so refuse them here.
        return storable(value)

    @field_validator("name")
    @classmethod
    def not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("Enter the organisation's name.")
        return value


def _out(organisation: Organisation) -> dict:
    return {
        "slug": organisation.slug,
        "name": organisation.name,
        "type": organisation.org_type,
        "type_label": organisation.get_org_type_display(),
        "paid_staff": organisation.paid_staff,
        "volunteers": organisation.volunteers,
        "size_band": organisation.size_band.value,
        "council_area": {"code": organisation.council_area.code, "name": organisation.council_area.name},
        "services": list(organisation.services),
        "description": organisation.description,
    }


@router.get("me", response={200: MeOut, **ERRORS}, summary="Who am I", operation_id="me")
def me(request: HttpRequest):
    user = request.user
    grants = access.current_grants(user).select_related("organisation", "council_area").order_by("role", "pk")
    return {
        "email": user.email,
        "full_name": user.full_name,
        "platform_administrator": any(g.role == RoleName.PLATFORM_ADMIN for g in grants),
        "memberships": [
            {"slug": g.organisation.slug, "name": g.organisation.name, "role": _MEMBERSHIP_CODES[g.role]}
            for g in sorted(grants, key=lambda g: g.organisation.name if g.organisation else "")
            if g.role in MEMBERSHIP_ROLES
        ],
        "roles": [
            {
                "role": g.role,
                "label": g.get_role_display(),
                "organisation": g.organisation.slug if g.organisation else None,
                "council_area": g.council_area.code if g.council_area else None,
                "valid_from": g.valid_from.isoformat(),
                "valid_until": g.valid_until.isoformat() if g.valid_until else None,
            }
            for g in grants
        ],
    }


# The API's words for membership roles (as before roles were stored).
_MEMBERSHIP_CODES = {RoleName.ORGANISATION_MEMBER: "member", RoleName.ORGANISATION_ADMIN: "admin"}


@router.get(
    "organisations",
    response={200: list[OrganisationSummary], **ERRORS},
    summary="Organisations I can see",
    operation_id="list_organisations",
)
def list_organisations(request: HttpRequest):
    grants = access.current_grants(request.user).filter(role__in=MEMBERSHIP_ROLES)
    roles = {
        organisation_id: _MEMBERSHIP_CODES[role]
        for organisation_id, role in grants.values_list("organisation_id", "role")
    }
    platform = access.is_platform_admin(request.user)
    result = []
    for organisation in access.visible_organisations(request.user).order_by("name"):
        relationship = roles.get(organisation.pk) or ("platform" if platform else "shared")
        result.append(
            {
                "slug": organisation.slug,
                "name": organisation.name,
                "type": organisation.org_type,
                "relationship": relationship,
            }
        )
    return result


def _get(request: HttpRequest, slug: str, permission: str) -> Organisation:
    organisation = get_object_or_404(Organisation.objects.select_related("council_area"), slug=slug)
    require(request.user, permission, organisation)
    return organisation


@router.get(
    "organisations/{slug}",
    response={200: OrganisationOut, **PARAMETER_ERRORS, **ERRORS},
    summary="An organisation's profile",
    operation_id="get_organisation",
)
def get_organisation(request: HttpRequest, slug: Slug):
    return _out(_get(request, slug, "organisations.view_organisation"))


@router.patch(
    "organisations/{slug}",
    response={200: OrganisationOut, **BODY_ERRORS, **ERRORS},
    summary="Change an organisation's profile (its administrators only)",
    description="Send only what changes: a field you leave out keeps its value, and none may be null. "
    "Only a platform administrator can make an organisation a council or a support and development "
    "organisation, or change one (422 on `type` for anyone else).",
    operation_id="update_organisation",
)
def update_organisation(request: HttpRequest, slug: Slug, payload: OrganisationPatch):
    organisation = _get(request, slug, "organisations.change_organisation")
    changes = payload.dict(exclude_unset=True)
    for field in ("name", "paid_staff", "volunteers", "description"):
        if field in changes:
            setattr(organisation, field, changes[field].strip() if field == "name" else changes[field])
    if "type" in changes:
        new_type = payload.type.value
        gives_access = {new_type, organisation.org_type} & TYPES_THAT_GIVE_ACCESS
        if new_type != organisation.org_type and gives_access and not access.is_platform_admin(request.user):
            message = (
                "Only a platform administrator can make an organisation a council or a support and "
                "development organisation, or change one."
            )
            raise ValidationError([{"loc": ("body", "payload", "type"), "msg": message}])
        organisation.org_type = new_type
    if "services" in changes:
        organisation.services = sorted({service.value for service in payload.services})
    organisation.save()
    return _out(organisation)
