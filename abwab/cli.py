"""The `abwab` console script: manage.py, installed on the PATH."""

import os
import sys


def main() -> None:
    """Run a Django management command with Abwab's settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "abwab.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
