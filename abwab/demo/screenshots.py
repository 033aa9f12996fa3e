"""Screenshots of the door desk, the dashboard, the campaign split and a meeting, at a phone's
width (390 px) and a laptop's (1366 px), in Arabic and French, written to var/screenshots/.

    .venv/bin/python -m abwab.demo.screenshots [--out DIR]

It loads the synthetic demo data into its own SQLite database (var/screenshots/demo.sqlite3, made
once and reused), serves it on a free local port for the time of the shots, and drives Debian's
chromium (never a downloaded browser). Nothing is read from or written to the main database.
"""

import argparse
import os
import sys
import time
from pathlib import Path

WIDTHS = {"phone": 390, "laptop": 1366}
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
]
LANGUAGES = ("ar", "fr")


def _setup(database: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "abwab.settings")
    os.environ.setdefault("ABWAB_DEBUG", "1")  # the demo accounts share a published password
    os.environ["REQUIRE_2FA"] = "0"
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    os.environ["SECURE_COOKIES"] = "0"
    import django

    django.setup()


def _pages() -> dict[str, tuple[str, str]]:
    """name -> (username, path) of the pages shot."""
    from abwab.campaigns.models import Campaign, Event, EventStatus, Target
    from abwab.meetings.models import Meeting

    event = Event.objects.filter(status=EventStatus.OPEN).order_by("pk").first() or (
        Event.objects.order_by("pk").first()
    )
    campaign = Campaign.objects.order_by("pk").first()
    target = (
        Target.objects.filter(campaign=campaign, territory__code="03").order_by("pk").first()
        if campaign
        else None
    )
    meeting = Meeting.objects.order_by("-pk").first() or _meeting()
    pages = {"dashboard": ("fes_meknes", "/dashboard/")}
    if event:
        pages["door"] = ("volunteer", f"/campaigns/events/{event.pk}/door/")
    if campaign and target:
        pages["split"] = ("fes_meknes", f"/campaigns/{campaign.pk}/split/{target.territory_id}/")
    elif campaign:
        pages["campaign"] = ("fes_meknes", f"/campaigns/{campaign.pk}/")
    if meeting:
        pages["meeting"] = ("admin", f"/meetings/{meeting.pk}/")
    return pages


def _meeting():
    """A meeting of the first body, when the demo holds none (the demo's own database only)."""
    from django.utils import timezone

    from abwab.meetings.models import Meeting
    from abwab.territory.models import Body

    body = Body.objects.order_by("pk").first()
    return Meeting.objects.create(body=body, starts_at=timezone.now()) if body else None


def _session(username: str) -> str:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    var = Path(os.environ.get("ABWAB_VAR_DIR", Path(__file__).resolve().parents[2] / "var"))
    parser.add_argument("--out", type=Path, default=var / "screenshots")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    _setup(args.out / "demo.sqlite3")

    from django.conf import settings
    from django.core.management import call_command
    from django.test.testcases import LiveServerThread
    from django.test.utils import override_settings

    call_command("migrate", verbosity=0)
    call_command("territory", "load", verbosity=0)
    call_command("demo", "load", verbosity=0)

    with override_settings(ALLOWED_HOSTS=["*"], DEBUG=False):
        server = LiveServerThread("localhost", static_handler=_static_handler(), port=0)
        server.daemon = True
        server.start()
        server.is_ready.wait()
        if server.error:
            raise server.error
        origin = f"http://localhost:{server.port}"
        written = []
        pages = _pages()  # read before Playwright's loop starts (Django refuses queries in it)
        sessions = {username: _session(username) for username, _path in pages.values()}
        try:
            from playwright.sync_api import sync_playwright

            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for name, (username, path) in pages.items():
                    cookie = sessions[username]
                    for language in LANGUAGES:
                        context = browser.new_context(locale=f"{language}-MA")
                        context.add_cookies(
                            [
                                {
                                    "name": settings.SESSION_COOKIE_NAME,
                                    "value": cookie,
                                    "url": origin,
                                },
                                {
                                    "name": settings.LANGUAGE_COOKIE_NAME,
                                    "value": language,
                                    "url": origin,
                                },
                            ]
                        )
                        page = context.new_page()
                        for label, width in WIDTHS.items():
                            page.set_viewport_size({"width": width, "height": 900})
                            page.goto(origin + path)
                            target = args.out / f"{name}-{language}-{label}.png"
                            page.screenshot(path=str(target), full_page=True)
                            written.append(target)
                        context.close()
                browser.close()
        finally:
            server.terminate()
    for path in written:
        print(path)
    return 0


def _static_handler():
    from django.contrib.staticfiles.handlers import StaticFilesHandler

    return StaticFilesHandler


if __name__ == "__main__":
    started = time.monotonic()
    code = main(sys.argv[1:])
    print(f"{time.monotonic() - started:.0f} s", file=sys.stderr)
    sys.exit(code)
