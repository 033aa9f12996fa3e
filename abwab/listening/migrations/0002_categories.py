from django.db import migrations

from abwab.listening.reference import ensure_categories


def add(apps, schema_editor):
    ensure_categories(apps.get_model("listening", "Category"))


class Migration(migrations.Migration):
    dependencies = [("listening", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
