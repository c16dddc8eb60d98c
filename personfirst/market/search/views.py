"""Public pages: search the directory, and one service's page. No sign-in."""

from __future__ import annotations

import uuid

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from personfirst.market.directory import entries, oruk
from personfirst.market.directory.models import Service, ServiceAtLocation
from personfirst.market.directory.vocabulary import Need

from . import engine
from .forms import SearchForm

ASKED = ("q", "goal", "postcode", "distance", "theme", "max_price", "only")


def search(request: HttpRequest) -> HttpResponse:
    asked = any(request.GET.get(name) for name in ASKED) or "page" in request.GET
    form = SearchForm(request.GET if asked else None)
    form.drop_unknown_values()  # an unknown theme, distance or page: the default for it, not an error
    results = None
    pages = []
    if asked and form.is_valid():
        results = engine.run(form.query())
        pages = _pages(request, results)
    return render(request, "search/search.html", {"form": form, "results": results, "pages": pages, "asked": asked})


def _pages(request: HttpRequest, results: engine.Results) -> list[dict]:
    """Links to the pages around this one (GOV.UK pagination)."""
    current, last = results.query.page, results.pages
    shown = sorted({1, last, current - 1, current, current + 1} & set(range(1, last + 1)))
    links, previous = [], 0
    for number in shown:
        if number - previous > 1:
            links.append({"ellipsis": True})
        query = request.GET.copy()
        query["page"] = number
        links.append({"number": number, "url": f"?{query.urlencode()}", "current": number == current})
        previous = number
    return links


def _unit(option) -> str:
    if not option.amount:
        return ""
    return option.get_unit_display() if option.unit else option.amount_description


def service(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    found = get_object_or_404(
        Service.objects.listed()
        .select_related("provider")
        .prefetch_related(
            "cost_options",
            "schedules",
            "service_areas",
            "languages",
            "contacts__phones",
            "attributes__term",
            Prefetch(
                "service_at_locations",
                queryset=ServiceAtLocation.objects.select_related("location").prefetch_related(
                    "location__addresses", "location__accessibility"
                ),
            ),
        ),
        pk=service_id,
    )
    needs = dict(Need.choices)
    who = [needs[a.term.code] for a in found.attributes.all() if a.link_type == "eligibility" and a.term.code in needs]
    prices = [
        {
            "option": option.option,
            "price": entries.money(option.amount),
            "unit": option.get_unit_display()
            if option.unit and option.amount
            else (option.amount_description if option.amount else ""),
            "personal_budget": option.personal_budget,
        }
        for option in found.cost_options.all()
    ]
    schedules = [
        entries.schedule_text(
            {
                "byday": s.byday,
                "opens_at": s.opens_at.strftime("%H:%M") if s.opens_at else None,
                "closes_at": s.closes_at.strftime("%H:%M") if s.closes_at else None,
                "description": s.description,
            }
        )
        for s in found.schedules.all()
    ]
    return render(
        request,
        "search/service.html",
        {"service": found, "who": who, "prices": prices, "schedules": schedules, "oruk": oruk},
    )
