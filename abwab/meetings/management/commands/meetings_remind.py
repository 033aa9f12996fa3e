"""Send the day-before reminders of convened meetings (run once a day, e.g. from a systemd timer
or cron at 10:00): `abwab meetings_remind`. Running it twice sends nothing twice."""

from django.core.management.base import BaseCommand

from abwab.meetings.convocations import reminders_send


class Command(BaseCommand):
    help = "Send the reminders of the meetings that start tomorrow (Africa/Casablanca)."

    def handle(self, *args, **options):
        count = reminders_send()
        self.stdout.write(f"{count}")
