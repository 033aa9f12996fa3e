"""One send's worker in its own process: `python -m abwab.messaging.tests.worker <send id>`.
The kill test stops it with SIGKILL half-way, then runs it again to resume."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "abwab.settings")
    import django

    django.setup()
    from abwab.messaging.engine import send_run

    print(send_run(int(sys.argv[1])), flush=True)


if __name__ == "__main__":
    main()
