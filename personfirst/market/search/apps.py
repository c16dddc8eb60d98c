from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "personfirst.market.search"
    label = "search"
    verbose_name = "Directory search"

    def ready(self) -> None:
        from personfirst.market.directory import textsearch
        from personfirst.market.directory.publishing import services_written

        from . import engine, index

        textsearch.matcher = engine.matching
        services_written.connect(index.on_services_written, dispatch_uid="search-index-on-write")
