from django.urls import path

from evaluation.views import bilan, campaigns, diagnosis, instruments, respond

app_name = "evaluation"

urlpatterns = [
    path("instruments/", instruments.instrument_list, name="instrument_list"),
    path("instruments/<int:pk>/", instruments.instrument_detail, name="instrument_detail"),
    path("instruments/<int:pk>/copy/", instruments.instrument_copy, name="instrument_copy"),
    path("instruments/<int:pk>/edit/", instruments.instrument_edit, name="instrument_edit"),
    path("instruments/<int:pk>/sections/add/", instruments.section_add, name="section_add"),
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
    path("rls/", bilan.rls_list, name="rls_list"),
    path("rls/<int:pk>/", bilan.rls_dashboard, name="rls_dashboard"),
    path("rls/<int:pk>/bilan/", bilan.rls_report_create, name="rls_report_create"),
    path("campaigns/<int:pk>/reports/", bilan.campaign_reports, name="campaign_reports"),
    path("campaigns/<int:pk>/reports/new/", bilan.campaign_report_create, name="campaign_report_create"),
    path("reports/<int:pk>/", bilan.report_status, name="report_status"),
    path("reports/<int:pk>/file/", bilan.report_file, name="report_file"),
    path("instances/<int:pk>/diagnosis/", diagnosis.instance_diagnosis, name="instance_diagnosis"),
    path("instances/<int:pk>/diagnosis/notes/", diagnosis.instance_diagnosis_note, name="instance_diagnosis_note"),
    path("rls/<int:pk>/diagnosis/", diagnosis.rls_diagnosis, name="rls_diagnosis"),
    path("rls/<int:pk>/diagnosis/notes/", diagnosis.rls_diagnosis_note, name="rls_diagnosis_note"),
    path("diagnosis-notes/<int:pk>/delete/", diagnosis.diagnosis_note_delete, name="diagnosis_note_delete"),
]
