# URL patterns of the plans pages (names are used as "concertation:NAME").
from django.urls import path

from concertation.views import plans

urlpatterns: list = [
    path("instances/<int:pk>/demarches/new/", plans.demarche_create, name="demarche_create"),
    path("demarches/<int:pk>/", plans.demarche_detail, name="demarche_detail"),
    path("demarches/<int:pk>/edit/", plans.demarche_edit, name="demarche_edit"),
    path("demarches/<int:pk>/delete/", plans.demarche_delete, name="demarche_delete"),
    path("demarches/<int:pk>/history/", plans.demarche_history, name="demarche_history"),
    path("demarches/stages/<int:pk>/edit/", plans.stage_edit, name="stage_edit"),
    path("instances/<int:pk>/plans/new/", plans.plan_create, name="plan_create"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/progress/", plans.plan_progress, name="plan_progress"),
    path("plans/<int:pk>/edit/", plans.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/delete/", plans.plan_delete, name="plan_delete"),
    path("plans/<int:pk>/history/", plans.plan_history, name="plan_history"),
    path("plans/<int:pk>/objectives/new/", plans.objective_create, name="objective_create"),
    path("plans/objectives/<int:pk>/edit/", plans.objective_edit, name="objective_edit"),
    path("plans/objectives/<int:pk>/delete/", plans.objective_delete, name="objective_delete"),
    path("plans/objectives/<int:pk>/actions/new/", plans.action_create, name="action_create"),
    path("plans/objectives/<int:pk>/indicators/new/", plans.indicator_create, name="indicator_create"),
    path("plans/actions/<int:pk>/edit/", plans.action_edit, name="action_edit"),
    path("plans/actions/<int:pk>/delete/", plans.action_delete, name="action_delete"),
    path("plans/indicators/<int:pk>/edit/", plans.indicator_edit, name="indicator_edit"),
    path("plans/indicators/<int:pk>/delete/", plans.indicator_delete, name="indicator_delete"),
]
