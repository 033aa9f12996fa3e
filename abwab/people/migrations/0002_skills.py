from django.db import migrations

from abwab.people.reference import ensure_skills


def add_skills(apps, schema_editor):
    ensure_skills(apps.get_model("people", "Skill"))


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(add_skills, migrations.RunPython.noop)]
