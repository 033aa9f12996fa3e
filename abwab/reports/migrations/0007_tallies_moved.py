"""The count tables moved to the apps that keep them (people: members and sign-ups; campaigns:
visitors): reports forgets the models, the tables stay as they are (people 0010, campaigns 0004
take them over under the same names)."""

from django.db import migrations


def move_content_types(apps, schema_editor):
    """Carry the models' content types (and so their permissions) over to their new apps."""
    content_type = apps.get_model("contenttypes", "ContentType")
    for app, model in (
        ("people", "membertally"),
        ("people", "jointally"),
        ("campaigns", "visittally"),
    ):
        if not content_type.objects.filter(app_label=app, model=model).exists():
            content_type.objects.filter(app_label="reports", model=model).update(app_label=app)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0006_join_targets"),
        ("people", "0010_tallies_moved"),
        ("campaigns", "0004_tallies_moved"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="membertally", name="territory"),
                migrations.RemoveField(model_name="visittally", name="territory"),
                migrations.DeleteModel(name="JoinTally"),
                migrations.DeleteModel(name="MemberTally"),
                migrations.DeleteModel(name="VisitTally"),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, migrations.RunPython.noop),
    ]
