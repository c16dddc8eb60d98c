from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "personfirst.core.people"
    label = "people"
    verbose_name = "People's records"

    def ready(self) -> None:
        from personfirst.core.api.api import api
        from personfirst.core.audit import registry

        from . import api as endpoints
        from .models import Person, Supporter

        # No free text of a person's record in the change log: the fields
        # holding what people typed are recorded as changed, never their values.
        registry.register("people.Person", withhold=list(Person.PERSONAL_FIELDS))
        registry.register("people.Supporter", withhold=list(Supporter.PERSONAL_FIELDS))
        registry.register("people.Team")
        registry.register("people.PersonInvitation", exclude=["token_hash"], withhold=["email"])
        api.add_router("/", endpoints.router)
