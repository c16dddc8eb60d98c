from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "personfirst.readiness.progress"
    label = "progress"

    def ready(self) -> None:
        from personfirst.core.ui import extensions

        # The link to the organisation's history, beside its profile.
        extensions.add_panel(
            extensions.Panel(
                extensions.ORGANISATION_SIDE,
                "progress/_organisation_side.html",
                lambda user, organisation: (
                    {"organisation": organisation}
                    if user.has_perm("readiness.view_assessments", organisation)
                    else None
                ),
                order=10,
            )
        )
