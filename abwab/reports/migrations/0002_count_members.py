"""Was: count the members already there. Now done by 0003, once the province sums exist."""

from django.db import migrations


def count_members(apps, schema_editor):
    pass  # see 0003


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("people", "0007_import_row_order_index"),
    ]

    operations = [migrations.RunPython(count_members, migrations.RunPython.noop)]
