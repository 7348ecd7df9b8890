from django import template

register = template.Library()


@register.filter
def label(labels: dict, code: str) -> str:
    """`{{ labels|label:code }}`: a choice label from a dict built once per page."""
    return labels.get(code, code)
