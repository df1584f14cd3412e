"""Load GB/T 4754-2017 (门类, 大类, 中类) from org/data/gbt4754_2017.tsv."""

from django.db import migrations

from hazardledger.org.classification import load_rows


def load(apps, schema_editor):
    IndustryClass = apps.get_model("org", "IndustryClass")
    load_rows(IndustryClass)


def unload(apps, schema_editor):
    apps.get_model("org", "IndustryClass").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("org", "0002_national_classification")]
    operations = [migrations.RunPython(load, unload)]
