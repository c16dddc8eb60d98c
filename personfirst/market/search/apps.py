from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "personfirst.market.search"
    label = "search"
    verbose_name = "Directory search"

    def ready(self) -> None:
        from personfirst.core.ui import extensions
        from personfirst.market.directory import textsearch
        from personfirst.market.directory.publishing import services_written

        from . import engine, index

        textsearch.matcher = engine.matching
        services_written.connect(index.on_services_written, dispatch_uid="search-index-on-write")
        # Finding care and support, for the people whose work is about it (on their home page).
        extensions.add_panel(extensions.Panel(extensions.DASHBOARD, "search/_dashboard.html", _panel, order=50))


def _panel(user, _obj) -> dict | None:
    from personfirst.core.access import roles
    from personfirst.core.access.models import RoleName
    from personfirst.core.people.models import Person, Supporter

    # Roles whose holders look for care and support in the directory.
    if roles.holds(user, RoleName.PERSONAL_ASSISTANT) or roles.holds(user, RoleName.SCHEME_ADMINISTRATOR):
        return {"for_role": True}
    if Person.objects.filter(user=user).exists() or Supporter.objects.current().filter(user=user).exists():
        return {"for_role": False}
    return None
