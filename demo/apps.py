from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo network and the synthetic benchmark data: the one app that imports every domain."""

    name = "demo"
