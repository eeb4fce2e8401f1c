"""Load the competence catalogue and the sectors' default requirements
(``partners/selection_defaults.py``)."""

from django.db import migrations

from sharaka.partners import selection_defaults


def load(apps, schema_editor):
    selection_defaults.load(
        apps.get_model("partners", "Competence"), apps.get_model("partners", "SectorRequirement")
    )


def unload(apps, schema_editor):
    apps.get_model("partners", "SectorRequirement").objects.filter(authority__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("partners", "0003_selection")]

    operations = [migrations.RunPython(load, unload)]
