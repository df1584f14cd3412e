"""The shipped taxonomy of work-safety specialties; the district admin may add more."""

from django.db import migrations

SPECIALTIES = [
    ("hazchem", "危险化学品"),
    ("construction", "建筑施工"),
    ("fire", "消防"),
    ("electrical", "电气"),
    ("special_equipment", "特种设备"),
    ("metallurgy_trade", "冶金工贸"),
    ("transport", "交通运输"),
    ("occupational_health", "职业卫生"),
    ("mining", "非煤矿山"),
    ("gas", "燃气"),
    ("fireworks", "烟花爆竹"),
    ("emergency", "应急救援"),
]


def add(apps, schema_editor):
    Specialty = apps.get_model("experts", "Specialty")
    for order, (code, name) in enumerate(SPECIALTIES, start=1):
        Specialty.objects.get_or_create(code=code, defaults={"name": name, "order": order * 10})


def remove(apps, schema_editor):
    Specialty = apps.get_model("experts", "Specialty")
    Specialty.objects.filter(code__in=[code for code, _name in SPECIALTIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("experts", "0001_initial")]

    operations = [migrations.RunPython(add, remove)]
