"""Load the default criteria set and the funding thresholds (``partners/defaults.py``)."""

from django.db import migrations

from sharaka.partners import defaults


def load(apps, schema_editor):
    defaults.load(
        apps.get_model("partners", "CriteriaSet"),
        apps.get_model("partners", "Criterion"),
        apps.get_model("partners", "FundingThreshold"),
    )


def unload(apps, schema_editor):
    apps.get_model("partners", "CriteriaSet").objects.filter(authority__isnull=True).delete()
    apps.get_model("partners", "FundingThreshold").objects.filter(authority__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
