# URL patterns of the analytics pages (names are used as "concertation:NAME").
from django.urls import path

from concertation.views import analytics

urlpatterns: list = [
    path("instances/<int:pk>/analytics/", analytics.instance_analytics, name="instance_analytics"),
    path("analytics/load/", analytics.concertation_load, name="concertation_load"),
]
