"""`abwab sms_listen`: stay bound to the SMSC and record delivery receipts and people's replies as
they come, so a STOP is honoured at once even when no send is running. Run it as a service beside
the worker when ABWAB_SMS_URL is an smpp:// URL (an HTTP gateway posts to the callback instead)."""

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from abwab.messaging.sms.channel import SmsChannel, sms_listen


class Command(BaseCommand):
    help = "Stay bound to the SMSC and record delivery receipts and replies (STOP) as they come."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=float, help="stop after this long (default: never)")

    def handle(self, *args, seconds=None, verbosity=1, **options):
        handled = sms_listen(SmsChannel(), seconds=seconds)
        if verbosity:
            message = ngettext(
                "%(count)d receipt or reply recorded.",
                "%(count)d receipts and replies recorded.",
                handled,
            )
            self.stdout.write(message % {"count": handled})
