"""Our own taxonomies (themes, who it is for), with ids that never change."""

from django.db import migrations


def create(apps, schema_editor):
    from personfirst.market.directory.vocabulary import OWN_TAXONOMIES, THEMES

    Taxonomy = apps.get_model("directory", "Taxonomy")
    TaxonomyTerm = apps.get_model("directory", "TaxonomyTerm")
    for own in OWN_TAXONOMIES:
        taxonomy, _ = Taxonomy.objects.update_or_create(
            id=own.id, defaults={"name": own.name, "description": own.description, "version": "1"}
        )
        for term_id, code, label in own.terms():
            TaxonomyTerm.objects.update_or_create(
                id=term_id,
                defaults={
                    "taxonomy": taxonomy,
                    "name": label,
                    "code": code,
                    "description": label,
                    "theme": code if own is THEMES else "",
                },
            )


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
