"""Usernames take their normalised key (NFKC, case-folded), as new ones now do at creation, so that a
look-alike spelling can no longer be a second account. Two accounts whose names fold to the same key
cannot both keep it: the migration stops and names them, for an administrator to rename one."""

from django.db import migrations

from abwab.accounts.usernames import normalise_username


class UsernameCollision(Exception):
    pass


def normalise(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    owners: dict[str, list[tuple[int, str]]] = {}
    for pk, username in User.objects.values_list("pk", "username"):
        owners.setdefault(normalise_username(username), []).append((pk, username))
    clashes = {key: names for key, names in owners.items() if len(names) > 1}
    if clashes:
        listed = "; ".join(
            f"{key!r}: " + ", ".join(f"#{pk} {name!r}" for pk, name in names)
            for key, names in sorted(clashes.items())
        )
        raise UsernameCollision(
            "These accounts' names are the same once normalised; rename all but one of each "
            f"(e.g. in the admin), then migrate again: {listed}"
        )
    for key, [(pk, username)] in owners.items():
        if key != username:
            User.objects.filter(pk=pk).update(username=key)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_attempt_kind")]

    operations = [migrations.RunPython(normalise, migrations.RunPython.noop)]
