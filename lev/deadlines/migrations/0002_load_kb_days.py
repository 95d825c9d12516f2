"""Load the shipped KB-gelijkgestelde dagen (data/kb_days.json); existing dates are left alone."""

from datetime import date

from django.db import migrations


def load(apps, schema_editor):
    from lev.deadlines.calendar_data import read_data_file

    KBDay = apps.get_model("deadlines", "KBDay")
    alias = schema_editor.connection.alias
    for entry in read_data_file():
        KBDay.objects.using(alias).get_or_create(
            date=date.fromisoformat(entry["date"]),
            defaults={
                "description": entry["description"],
                "source": entry.get("source", ""),
                "verified": bool(entry.get("verified", False)),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
