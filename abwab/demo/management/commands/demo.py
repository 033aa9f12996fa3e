"""`abwab demo load` (idempotent synthetic data) and `abwab demo serve` (print logins, serve).

Both create the demo accounts, a superuser among them, with one published password: they run only
while debugging (`make demo` sets ABWAB_DEBUG=1), or with `--force`, never on a production database
by mistake."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from abwab.demo import seed
from abwab.demo.supervise import KeptRunning


class Command(BaseCommand):
    help = "Load the synthetic Fès-Meknès demo, or serve it."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser(
            "load", help="load synthetic demo data (running it twice adds nothing)"
        )
        serve = sub.add_parser("serve", help="print the demo logins and serve on 127.0.0.1")
        serve.add_argument("--port", type=int, default=8000)
        serve.add_argument(
            "--language",
            choices=["fr", "ar"],
            default="fr",
            help="language of the table of demo logins (a terminal shows French best)",
        )
        for action in (load, serve):
            action.add_argument(
                "--force",
                action="store_true",
                help="run even without ABWAB_DEBUG=1 (creates accounts with a known password)",
            )

    def handle(self, *args, action, **options):
        if not settings.DEBUG and not options.get("force"):
            raise CommandError(
                _(
                    "The demo creates accounts, a superuser among them, whose password is "
                    "published: it runs only with ABWAB_DEBUG=1. To load it into this database "
                    "anyway, add --force."
                )
            )
        _structure, logins = seed.seed_structure()
        if action == "load":
            summary = seed.seed_people()
            self.stdout.write(f"Demo data ready: {summary}; {seed.seed_campaign()}")
            return
        port = options["port"]
        self.stdout.write(self.style.SUCCESS(f"\nAbwab demo on http://127.0.0.1:{port}/"))
        self.stdout.write(f"Every demo account has the password: {seed.DEMO_PASSWORD}")
        if not settings.REQUIRE_2FA:
            self.stdout.write(
                "Two-factor login is off in this demo (REQUIRE_2FA=0); production asks national and regional roles for it."
            )
        for line in seed.login_table(logins, options.get("language", "fr")):
            self.stdout.write(line)
        self.stdout.write(
            "Background worker: started beside the server (abwab worker), restarted if it exits.\n"
        )
        with KeptRunning():
            call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
