from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from evaluation.tasks import send_due_links


class Command(BaseCommand):
    help = "Queues the personal links of the survey campaigns that open today (daily cron; the worker sends them)."

    def handle(self, *args, **options) -> None:
        # Called in this process (it only enqueues), so cron's output says at once what was queued.
        campaigns = send_due_links.call()
        message = ngettext(
            "Survey links queued for %(count)s campaign opening today.",
            "Survey links queued for %(count)s campaigns opening today.",
            campaigns,
        )
        self.stdout.write(message % {"count": campaigns})
