from django.urls import path, re_path

from agreements.views import agreements, follow_up, register

app_name = "agreements"

urlpatterns = [
    path("", register.agreement_list, name="agreement_list"),
    path("dashboard/", register.dashboard, name="dashboard"),
    path("dependence/<int:pk>/", register.dependence, name="dependence"),
    path("new/", agreements.agreement_create, name="agreement_create"),
    path("<int:pk>/", agreements.agreement_detail, name="agreement_detail"),
    path("<int:pk>/edit/", agreements.agreement_edit, name="agreement_edit"),
    path("<int:pk>/sections/", agreements.sections_edit, name="sections_edit"),
    path("<int:pk>/parties/new/", agreements.party_add, name="party_add"),
    path("<int:pk>/transition/", agreements.agreement_transition, name="transition"),
    path("<int:pk>/amend/", agreements.amend, name="amend"),
    path("<int:pk>/versions/<int:number>/", agreements.version_detail, name="version_detail"),
    path("<int:pk>/versions/diff/", agreements.version_diff, name="version_diff"),
    path("<int:pk>/history/", agreements.agreement_history, name="agreement_history"),
    re_path(r"^(?P<pk>[0-9]+)/document\.(?P<extension>pdf|docx)$", agreements.agreement_document, name="document"),
    path("<int:pk>/negotiation/new/", follow_up.issue_add, name="issue_add"),
    path("<int:pk>/funding/new/", follow_up.amount_add, name="amount_add"),
    path("<int:pk>/payments/new/", follow_up.payment_add, name="payment_add"),
    path("<int:pk>/reports/new/", follow_up.report_add, name="report_add"),
    path("<int:pk>/attachments/new/", follow_up.attachment_add, name="attachment_add"),
    path("parties/<int:pk>/remove/", agreements.party_remove, name="party_remove"),
    path("parties/<int:pk>/contacts/new/", agreements.contact_add, name="contact_add"),
    path("contacts/<int:pk>/remove/", agreements.contact_remove, name="contact_remove"),
    path("negotiation/<int:pk>/", follow_up.issue_edit, name="issue_edit"),
    path("funding/<int:pk>/delete/", follow_up.amount_delete, name="amount_delete"),
    path("payments/<int:pk>/paid/", follow_up.payment_paid, name="payment_paid"),
    path("reports/<int:pk>/submit/", follow_up.report_submit, name="report_submit"),
    path("attachments/<int:pk>/", follow_up.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/delete/", follow_up.attachment_delete, name="attachment_delete"),
    path("attachments/<int:pk>/confidential/", follow_up.attachment_confidential, name="attachment_confidential"),
]
