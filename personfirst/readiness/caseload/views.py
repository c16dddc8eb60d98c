"""The development worker's caseload page. Thin: the rows come from
caseload.rows, access from the rules module."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from personfirst.core.access import rules as access
from personfirst.core.access.shortcuts import require

from . import rows
from .forms import FilterForm

COLUMNS = ("name", "score", "assessed", "overdue")
SORTED_BY = {
    ("name", "ascending"): "name, A to Z",
    ("name", "descending"): "name, Z to A",
    ("score", "ascending"): "latest score, lowest first",
    ("score", "descending"): "latest score, highest first",
    ("assessed", "ascending"): "date last assessed, longest ago first",
    ("assessed", "descending"): "date last assessed, most recent first",
    ("overdue", "descending"): "overdue actions, most first",
    ("overdue", "ascending"): "overdue actions, fewest first",
}


def _sort_headers(request: HttpRequest, sort: str, order: str) -> dict[str, dict[str, str]]:
    """For each sortable column: the link that sorts by it (keeping the
    filters) and its aria-sort. A second click on a column reverses it."""
    headers = {}
    for column in COLUMNS:
        params = request.GET.copy()
        params["sort"] = column
        active = column == sort
        if active:
            params["order"] = "ascending" if order == "descending" else "descending"
        else:
            params["order"] = rows.SORTS[column]
        headers[column] = {"url": f"?{params.urlencode()}", "aria_sort": order if active else "none"}
    return headers


@login_required
def caseload_page(request: HttpRequest) -> HttpResponse:
    require(request.user, "caseload.view_caseload", None)
    user = request.user
    sort = request.GET.get("sort")
    sort = sort if sort in rows.SORTS else rows.DEFAULT_SORT
    order = request.GET.get("order")
    order = order if order in rows.ORDERS else rows.SORTS[sort]
    form = FilterForm(request.GET or None, type_choices=rows.type_choices(user))
    filters = form.filters()
    context = {
        "form": form,
        "filters": filters,
        "rows": rows.rows_for(user, filters, sort, order),
        "total": access.shared_organisations(user).count(),
        "support_organisations": rows.support_organisations(user),
        "sort": sort,
        "order": order,
        "sorted_by": SORTED_BY[sort, order],
        "headers": _sort_headers(request, sort, order),
    }
    return render(request, "caseload/caseload.html", context)
