"""Pages of people's records. Thin: records.open_record checks the rules
and logs the read; services.py makes the changes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from personfirst.core.access import roles
from personfirst.core.access.models import RoleName
from personfirst.core.access.shortcuts import require
from personfirst.core.accounts import invitations
from personfirst.core.ui import extensions

from . import records, services
from .forms import PersonForm, ReasonForm, RecordedConsentForm, SupporterForm, TeamAllocationForm
from .models import ConsentBy, Person, PersonInvitation, Supporter, Team


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _open(request: HttpRequest, pk, what: str, permission: str = "people.view_person"):
    """The record, with the read logged; or a redirect to give a reason first."""
    try:
        return records.open_record(request.user, pk, what, permission), None
    except records.ReasonNeeded as needed:
        return None, redirect("people:reason", pk=needed.person.pk)


def _person(request: HttpRequest, pk, permission: str) -> Person:
    """The record without reading it (for changes that show nothing of it)."""
    person = get_object_or_404(Person.objects.select_related("council_area"), pk=pk)
    require(request.user, permission, person)
    return person


def record_tabs(user, person: Person) -> list[tuple[str, str, str]]:
    """The tabs of a person's record that ``user`` may open: core's, then
    those the pillars add (core/ui/extensions.py PersonTab)."""
    is_self = person.user_id == user.pk
    tabs = [("record", "Record", "people:record", "people.view_person")]
    tabs.append(("supporters", "People who support them", "people:supporters", "people.view_person"))
    tabs.append(("reads", "Who has looked at the record", "people:reads", "people.view_reads"))
    if is_self:
        tabs[1] = ("supporters", "People who support me", "people:supporters", "people.view_person")
        tabs[2] = ("reads", "Who has looked at my record", "people:reads", "people.view_reads")
    for tab in extensions.person_tabs:
        tabs.append((tab.key, tab.label_self if is_self else tab.label, tab.url_name, tab.permission))
    return [(key, label, url) for key, label, url, permission in tabs if user.has_perm(permission, person)]


def _context(request: HttpRequest, person: Person, section: str, **extra) -> dict:
    return {
        "person": person,
        "section": section,
        "is_self": person.user_id == request.user.pk,
        "tabs": record_tabs(request.user, person),
        **extra,
    }


@login_required
def people_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "people.view_people", None)
    user = request.user
    people = list(services.visible_people(user).order_by("family_name", "given_name"))
    areas = list(roles.areas_with_role(user, RoleName.PRACTITIONER).order_by("name"))
    supported = set(Supporter.objects.current().filter(user=user).values_list("person_id", flat=True))
    context = {
        "own": next((p for p in people if p.user_id == user.pk), None),
        "supported": [p for p in people if p.pk in supported and p.user_id != user.pk],
        "areas": [(area, [p for p in people if p.council_area_id == area.pk]) for area in areas],
    }
    return render(request, "people/list.html", context)


@login_required
def create(request: HttpRequest) -> HttpResponse:
    areas = roles.areas_with_role(request.user, RoleName.PRACTITIONER).order_by("name")
    if not areas.exists():
        require(request.user, "people.add_person", None)  # refused: not a practitioner anywhere
    form = PersonForm(_posted(request), areas=areas)
    if request.method == "POST" and form.is_valid():
        area = form.cleaned_data.get("council_area") or areas.first()
        require(request.user, "people.add_person", area)
        details = {field: form.cleaned_data[field] for field in services.PERSON_FIELDS}
        person = services.create_person(council_area=area, by=request.user, **details)
        messages.success(request, f"The record of {person.full_name} has been created.")
        return redirect(person)
    return render(request, "people/create.html", {"form": form, "areas": areas})


@login_required
def record(request: HttpRequest, pk) -> HttpResponse:
    person, elsewhere = _open(request, pk, "the record")
    if elsewhere:
        return elsewhere
    user = request.user
    context = _context(
        request,
        person,
        "record",
        can_change=user.has_perm("people.change_person", person),
        can_invite=user.has_perm("people.invite_person", person) and person.user_id is None,
        supporters=person.supporters.current().select_related("user"),
    )
    return render(request, "people/record.html", context)


@login_required
def edit(request: HttpRequest, pk) -> HttpResponse:
    person, elsewhere = _open(request, pk, "the record, to change it", "people.change_person")
    if elsewhere:
        return elsewhere
    form = PersonForm(_posted(request), instance=person)
    if request.method == "POST" and form.is_valid():
        services.update_person(person, **{field: form.cleaned_data[field] for field in services.PERSON_FIELDS})
        messages.success(request, "The record has been saved.")
        return redirect(person)
    return render(request, "people/edit.html", _context(request, person, "record", form=form))


@login_required
def reason(request: HttpRequest, pk) -> HttpResponse:
    person = get_object_or_404(Person.objects.select_related("council_area"), pk=pk)
    if request.user.has_perm("people.view_person", person):
        return redirect(person)
    require(request.user, "people.give_reason", person)
    form = ReasonForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        services.give_reason(person, user=request.user, reason=form.cleaned_data["reason"])
        return redirect(person)
    # The page names no one: the reader learns whose record it is only once they give a reason.
    return render(request, "people/reason.html", {"form": form, "person_pk": person.pk})


@login_required
def supporters(request: HttpRequest, pk) -> HttpResponse:
    person, elsewhere = _open(request, pk, "people who support them")
    if elsewhere:
        return elsewhere
    user = request.user
    can_manage = user.has_perm("people.manage_supporters", person)
    by_person = person.user_id == user.pk
    form_class = SupporterForm if by_person else RecordedConsentForm
    form = form_class(_posted(request)) if can_manage else None
    if request.method == "POST":
        require(user, "people.manage_supporters", person)
        if form.is_valid():
            data = form.cleaned_data
            if by_person:
                consent = services.consent_from_the_person()
            else:
                consent = services.Consent(ConsentBy.PRACTITIONER, data["consent_how"], data.get("consent_note", ""))
            try:
                supporter = services.add_supporter(
                    person,
                    name=data["name"],
                    email=data["email"],
                    kind=data["kind"],
                    may_edit="edit" in data["abilities"],
                    may_act="act" in data["abilities"],
                    valid_until=data["last_day"],
                    consent=consent,
                    by=user,
                )
            except services.PeopleError as error:
                form.add_error("email", str(error))
            else:
                messages.success(request, f"An invitation has been sent to {supporter.email}.")
                return redirect("people:supporters", pk=person.pk)
    listed = person.supporters.select_related("user", "consent_recorded_by", "ended_by").order_by("-created_at")
    context = _context(request, person, "supporters", form=form, can_manage=can_manage, listed=listed)
    return render(request, "people/supporters.html", context)


@login_required
@require_POST
def end_supporter(request: HttpRequest, pk, supporter_id: int) -> HttpResponse:
    person = _person(request, pk, "people.manage_supporters")
    supporter = get_object_or_404(Supporter, pk=supporter_id, person=person)
    services.end_supporter(supporter, by=request.user)
    messages.success(request, f"{supporter.name} can no longer see the record.")
    return redirect("people:supporters", pk=person.pk)


@login_required
def reads(request: HttpRequest, pk) -> HttpResponse:
    # Reads the log of reads, not the record: this page is not itself logged.
    person = _person(request, pk, "people.view_reads")
    rows = person.reads.select_related("user")[:500]
    return render(request, "people/reads.html", _context(request, person, "reads", reads=rows))


@login_required
@require_POST
def invite(request: HttpRequest, pk) -> HttpResponse:
    person = _person(request, pk, "people.invite_person")
    try:
        invitation = services.invite_person(person, by=request.user)
    except services.PeopleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"An invitation to sign in has been sent to {invitation.email}.")
    return redirect(person)


def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.check_usable(PersonInvitation.find(token))
    except services.InvitationError as error:
        return invitations.problem(request, str(error))

    def accept(invitation, user):
        try:
            services.accept(invitation, user)
        except services.InvitationError as error:
            messages.error(request, str(error))

    own = invitation.supporter_id is None
    answer = invitations.Answer(
        accept=accept,
        done="You can now see your record." if own else "You can now see the record of the person you support.",
        created="Your account has been created. You can now see "
        + ("your record." if own else "the record of the person you support."),
        next_url=invitation.person.get_absolute_url(),
        confirm_template="people/accept_invitation.html",
        sign_up_template="people/sign_up.html",
    )
    return invitations.respond(request, invitation, answer)


SHOWN = 200


@login_required
def teams(request: HttpRequest, code: str) -> HttpResponse:
    """A team manager or council administrator allocates the council's
    records to its teams (decision 0012). Lists names and teams only: no
    part of a record is opened here."""
    from personfirst.core.concurrency import ConflictError
    from personfirst.core.organisations.models import CouncilArea

    area = get_object_or_404(CouncilArea, code=code)
    require(request.user, "people.allocate_teams", area)
    area_teams = list(Team.objects.filter(council_area=area))
    showing = request.GET.get("showing", "none")
    people = Person.objects.filter(council_area=area).select_related("team").order_by("family_name", "given_name", "pk")
    if showing == "none":
        people = people.filter(team__isnull=True)
    elif showing.isdigit() and any(t.pk == int(showing) for t in area_teams):
        people = people.filter(team_id=int(showing))
    else:
        showing = "all"
    total = people.count()
    listed = list(people[:SHOWN])
    form = TeamAllocationForm(request.POST if request.method == "POST" else None, people=listed, teams=area_teams)
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["team"]
        team = None if chosen == "none" else next(t for t in area_teams if str(t.pk) == chosen)
        # The team each record was in when the page was shown (a hidden field), so a move meanwhile is caught.
        by_pk = {str(p.pk): p for p in listed}
        seen = {}
        for pk in form.cleaned_data["people"]:
            was = request.POST.get(f"seen-{pk}", "")
            seen[by_pk[pk].pk] = int(was) if was.isdigit() else (None if was == "none" else by_pk[pk].team_id)
        try:
            moved = services.allocate_to_team(area, seen, team, by=request.user)
        except ConflictError as conflict:
            messages.error(request, conflict.message)
        else:
            where = team.name if team else "no team"
            messages.success(request, f"{moved} record{'' if moved == 1 else 's'} moved to {where}.")
        return redirect(f"{request.path}?showing={showing}")
    context = {
        "area": area,
        "teams": area_teams,
        "showing": showing,
        "listed": listed,
        "total": total,
        "shown_limit": SHOWN,
        "form": form,
    }
    return render(request, "people/teams.html", context)
