from django.core.management.base import BaseCommand, CommandParser

from evaluation.diagnosis.docs import DOC_PATH, render


class Command(BaseCommand):
    help = (
        "Renders the diagnosis rules table (docs/diagnosis-rules.md) from the code: printed, or written with --write."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--write", action="store_true", help=f"Write the document to {DOC_PATH}.")

    def handle(self, *args, **options) -> None:
        text = render()
        if options["write"]:
            DOC_PATH.write_text(text, encoding="utf-8")
            self.stdout.write(f"{DOC_PATH}\n")
        else:
            self.stdout.write(text, ending="")
