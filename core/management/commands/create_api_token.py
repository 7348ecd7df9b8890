from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from core import audit
from core.models import ApiToken, AuditEvent


class Command(BaseCommand):
    help = "Create an API token for a user and print it (it is stored hashed and cannot be shown again)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="manage.py create_api_token")

    def handle(self, *args, username: str, name: str, **options) -> None:
        try:
            user = get_user_model().objects.get(username=username, is_active=True)
        except get_user_model().DoesNotExist as error:
            raise CommandError(f"No active user named {username!r}.") from error
        token, key = ApiToken.issue(user, name)
        audit.record(None, AuditEvent.Action.TOKEN, user, {"created": [None, str(token)]}, label="manage.py")
        self.stdout.write(key)
