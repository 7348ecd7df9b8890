from django.urls import path

from evaluation.views import campaigns, instruments, respond

app_name = "evaluation"

urlpatterns = [
    path("instruments/", instruments.instrument_list, name="instrument_list"),
    path("instruments/<int:pk>/", instruments.instrument_detail, name="instrument_detail"),
    path("instruments/<int:pk>/copy/", instruments.instrument_copy, name="instrument_copy"),
    path("instruments/<int:pk>/edit/", instruments.instrument_edit, name="instrument_edit"),
    path("instruments/<int:pk>/items/add/", instruments.item_add, name="item_add"),
    path("instruments/<int:pk>/history/", instruments.instrument_history, name="instrument_history"),
    path("items/<int:pk>/edit/", instruments.item_edit, name="item_edit"),
    path("items/<int:pk>/delete/", instruments.item_delete, name="item_delete"),
    path("campaigns/", campaigns.campaign_list, name="campaign_list"),
    path("campaigns/new/", campaigns.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", campaigns.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/remind/", campaigns.campaign_remind, name="campaign_remind"),
    path("campaigns/<int:pk>/close/", campaigns.campaign_close, name="campaign_close"),
    path("campaigns/<int:pk>/release/", campaigns.campaign_release, name="campaign_release"),
    path("campaigns/<int:pk>/group-answer/", campaigns.campaign_group_answer, name="campaign_group_answer"),
    path("campaigns/<int:pk>/results/", campaigns.campaign_results, name="campaign_results"),
    path("campaigns/<int:pk>/results.csv", campaigns.campaign_results_csv, name="campaign_results_csv"),
    path("campaigns/<int:pk>/history/", campaigns.campaign_history, name="campaign_history"),
    path("r/<str:token>/", respond.respond, name="respond"),
]
