"""Count the members already there (databases created before the counts were kept)."""

from django.db import migrations


def count_members(apps, schema_editor):
    from abwab.reports.services import recount

    recount(
        apps.get_model("people", "Membership"),
        apps.get_model("reports", "MemberTally"),
        apps.get_model("reports", "JoinTally"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("people", "0007_import_row_order_index"),
    ]

    operations = [migrations.RunPython(count_members, migrations.RunPython.noop)]
