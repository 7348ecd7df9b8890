from django.urls import path

from registry import imports, views

app_name = "registry"

urlpatterns = [
    path("organisations/", views.organization_list, name="organization_list"),
    path("organisations/new/", views.organization_create, name="organization_create"),
    path("organisations/<int:pk>/", views.organization_detail, name="organization_detail"),
    path("organisations/<int:pk>/edit/", views.organization_edit, name="organization_edit"),
    path("organisations/<int:pk>/propose/", views.organization_propose, name="organization_propose"),
    path("organisations/<int:pk>/propose/funding/", views.funding_propose, name="funding_propose"),
    path(
        "organisations/<int:pk>/propose/funding/<int:line_pk>/remove/",
        views.funding_propose_removal,
        name="funding_propose_removal",
    ),
    path("organisations/<int:pk>/funding-visibility/", views.funding_visibility, name="funding_visibility"),
    path("change-requests/<int:pk>/accept/", views.change_accept, name="change_accept"),
    path("change-requests/<int:pk>/refuse/", views.change_refuse, name="change_refuse"),
    path("change-requests/<int:pk>/withdraw/", views.change_withdraw, name="change_withdraw"),
    path("organisations/<int:pk>/archive/", views.organization_archive, name="organization_archive"),
    path("organisations/<int:pk>/history/", views.organization_history, name="organization_history"),
    path("organisations/<int:pk>/funding/", views.funding_add, name="funding_add"),
    path("organisations/<int:pk>/funding/<int:line_pk>/delete/", views.funding_delete, name="funding_delete"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/propose/", views.person_propose, name="person_propose"),
    path("people/<int:pk>/archive/", views.person_archive, name="person_archive"),
    path("people/<int:pk>/history/", views.person_history, name="person_history"),
    path("people/<int:pk>/affiliations/", views.affiliation_add, name="affiliation_add"),
    path("people/<int:pk>/affiliations/<int:affiliation_pk>/end/", views.affiliation_end, name="affiliation_end"),
    path("territories/", views.territory_list, name="territory_list"),
    path("territories/new/", views.territory_create, name="territory_create"),
    path("territories/<int:pk>/", views.territory_detail, name="territory_detail"),
    path("territories/<int:pk>/edit/", views.territory_edit, name="territory_edit"),
    path("territories/<int:pk>/history/", views.territory_history, name="territory_history"),
    path("import/<str:kind>/", imports.upload, name="import"),
    path("import/<str:kind>/<int:pk>/", imports.confirm, name="import_confirm"),
]
