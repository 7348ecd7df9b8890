from django.urls import include, path

from concertation.views import instances

app_name = "concertation"

urlpatterns = [
    path("instances/", instances.instance_list, name="instance_list"),
    path("instances/new/", instances.instance_create, name="instance_create"),
    path("instances/<int:pk>/", instances.instance_detail, name="instance_detail"),
    path("instances/<int:pk>/edit/", instances.instance_edit, name="instance_edit"),
    path("instances/<int:pk>/bourque/", instances.bourque_override, name="bourque_override"),
    path("instances/<int:pk>/history/", instances.instance_history, name="instance_history"),
    path("instances/<int:pk>/members/", instances.membership_add, name="membership_add"),
    path("instances/<int:pk>/members/<int:membership_pk>/", instances.membership_edit, name="membership_edit"),
    path("instances/<int:pk>/members/<int:membership_pk>/delegate/", instances.delegation_add, name="delegation_add"),
    path("instances/<int:pk>/context/new/", instances.context_event_add, name="context_event_add"),
    path("instances/<int:pk>/context/<int:event_pk>/edit/", instances.context_event_edit, name="context_event_edit"),
    path(
        "instances/<int:pk>/context/<int:event_pk>/delete/",
        instances.context_event_delete,
        name="context_event_delete",
    ),  # fmt: skip
    path("structure/<int:rls_pk>/", instances.structure_diagram, name="structure"),
    path("", include("concertation.urls_meetings")),
    path("", include("concertation.urls_priorities")),
    path("", include("concertation.urls_plans")),
    path("", include("concertation.urls_analytics")),
]
