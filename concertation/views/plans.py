"""Plans pages."""

from django.http import HttpRequest

from concertation.models import Instance


def instance_section(instance: Instance, request: HttpRequest) -> dict:
    """Context for this module's section of the instance page (templates/concertation/_instance_plans.html)."""
    return {}
