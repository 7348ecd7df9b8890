from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from agreements.reminders import send_reminders


class Command(BaseCommand):
    help = "E-mails the agreements' reminders (end approaching, report due or late) and expires past agreements."

    def handle(self, *args, **options) -> None:
        sent = send_reminders()
        self.stdout.write(
            _(
                "%(end)s end-date reminders, %(due)s reports due, %(late)s reports late (%(messages)s e-mails); "
                "%(expired)s agreements expired."
            )
            % {
                "end": sent.end_approaching,
                "due": sent.report_due,
                "late": sent.report_late,
                "messages": sent.messages,
                "expired": sent.expired,
            }  # fmt: skip
        )
