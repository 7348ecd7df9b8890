"""Every write a page offers has an API twin, and every page that only reads refuses a POST.

Each URL of the pages is listed below exactly once: as a write with the API operation that does the same thing
(through the same action), as a page-only write with the reason it has no twin, or as a read. A new page URL that
is not listed fails this module, so a write cannot land in the pages without its API operation (or a reason).
"""

import re

import pytest
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator

from tests.factories import UserFactory

# Page URL name → the API operations that do the same writes ("{}" stands for any path parameter).
WRITES = {
    "registry:organization_create": ["POST /api/v1/organizations/"],
    "registry:organization_edit": ["PATCH /api/v1/organizations/{}/"],
    "registry:organization_archive": ["DELETE /api/v1/organizations/{}/", "POST /api/v1/organizations/{}/restore/"],
    "registry:funding_add": ["POST /api/v1/organizations/{}/funding/"],
    "registry:funding_delete": ["DELETE /api/v1/organizations/{}/funding/{}/"],
    "registry:organization_propose": ["POST /api/v1/change-requests/"],
    "registry:funding_propose": ["POST /api/v1/change-requests/"],
    "registry:funding_propose_removal": ["POST /api/v1/change-requests/"],
    "registry:person_propose": ["POST /api/v1/change-requests/"],
    "registry:change_accept": ["POST /api/v1/change-requests/{}/accept/"],
    "registry:change_refuse": ["POST /api/v1/change-requests/{}/refuse/"],
    "registry:change_withdraw": ["POST /api/v1/change-requests/{}/withdraw/"],
    "registry:funding_visibility": ["PATCH /api/v1/organizations/{}/"],
    "registry:person_create": ["POST /api/v1/people/"],
    "registry:person_edit": ["PATCH /api/v1/people/{}/"],
    "registry:person_archive": ["DELETE /api/v1/people/{}/", "POST /api/v1/people/{}/restore/"],
    "registry:affiliation_add": ["POST /api/v1/people/{}/affiliations/"],
    "registry:affiliation_end": ["POST /api/v1/people/{}/affiliations/{}/end/"],
    "registry:territory_create": ["POST /api/v1/territories/"],
    "registry:territory_edit": ["PATCH /api/v1/territories/{}/"],
    "concertation:instance_create": ["POST /api/v1/instances/"],
    "concertation:instance_edit": ["PATCH /api/v1/instances/{}/"],
    "concertation:bourque_override": ["PATCH /api/v1/instances/{}/"],
    "concertation:membership_add": ["POST /api/v1/memberships/"],
    "concertation:membership_edit": ["PATCH /api/v1/memberships/{}/"],
    "concertation:delegation_add": ["POST /api/v1/memberships/{}/delegations/"],
    "concertation:context_event_add": ["POST /api/v1/instances/{}/timeline/"],
    "concertation:context_event_edit": ["PATCH /api/v1/instances/{}/timeline/{}/"],
    "concertation:context_event_delete": ["DELETE /api/v1/instances/{}/timeline/{}/"],
    "concertation:meeting_create": ["POST /api/v1/meetings/"],
    "concertation:meeting_edit": ["PATCH /api/v1/meetings/{}/"],
    "concertation:meeting_convene": ["POST /api/v1/meetings/{}/convene/"],
    "concertation:meeting_set_status": ["POST /api/v1/meetings/{}/status/"],
    "concertation:meeting_approve_previous": ["POST /api/v1/meetings/{}/approve-previous/"],
    "concertation:agenda_item_add": ["POST /api/v1/meetings/{}/agenda-items/"],
    "concertation:agenda_item_edit": ["PATCH /api/v1/meetings/{}/agenda-items/{}/"],
    "concertation:agenda_item_move": ["POST /api/v1/meetings/{}/agenda-items/{}/move/"],
    "concertation:agenda_item_delete": ["DELETE /api/v1/meetings/{}/agenda-items/{}/"],
    "concertation:meeting_minutes": ["POST /api/v1/meetings/{}/minutes/"],
    "concertation:meeting_attendance": ["POST /api/v1/meetings/{}/attendance/"],
    "concertation:decision_add": ["POST /api/v1/meetings/{}/decisions/"],
    "concertation:decision_edit": ["PATCH /api/v1/meetings/{}/decisions/{}/"],
    "concertation:decision_delete": ["DELETE /api/v1/meetings/{}/decisions/{}/"],
    "concertation:follow_up_add": ["POST /api/v1/meetings/{}/follow-ups/"],
    "concertation:follow_up_edit": ["PATCH /api/v1/meetings/{}/follow-ups/{}/"],
    "concertation:follow_up_status": ["PATCH /api/v1/meetings/{}/follow-ups/{}/"],
    "concertation:exercise_create": ["POST /api/v1/priority-exercises/"],
    "concertation:candidate_add": ["POST /api/v1/priority-exercises/{}/candidates/"],
    "concertation:candidate_propose": ["POST /api/v1/priority-exercises/{}/proposals/"],
    "concertation:candidate_edit": ["PATCH /api/v1/priority-exercises/{}/candidates/{}/"],
    "concertation:candidate_remove": ["DELETE /api/v1/priority-exercises/{}/candidates/{}/"],
    "concertation:workshop_add": ["POST /api/v1/priority-exercises/{}/workshops/"],
    "concertation:workshop_select": ["POST /api/v1/priority-exercises/{}/workshops/{}/selections/"],
    "concertation:round_open": ["POST /api/v1/priority-exercises/{}/open-round/"],
    "concertation:round_close": ["POST /api/v1/priority-exercises/{}/close-round/"],
    "concertation:ballot_cast": ["POST /api/v1/priority-exercises/{}/ballots/"],
    "concertation:demarche_create": ["POST /api/v1/demarches/"],
    "concertation:demarche_edit": ["PATCH /api/v1/demarches/{}/"],
    "concertation:demarche_delete": ["DELETE /api/v1/demarches/{}/"],
    "concertation:stage_edit": ["PATCH /api/v1/demarches/{}/stages/{}/"],
    "concertation:plan_create": ["POST /api/v1/action-plans/"],
    "concertation:plan_edit": ["PATCH /api/v1/action-plans/{}/"],
    "concertation:plan_delete": ["DELETE /api/v1/action-plans/{}/"],
    "concertation:objective_create": ["POST /api/v1/action-plans/{}/objectives/"],
    "concertation:objective_edit": ["PATCH /api/v1/action-plans/{}/objectives/{}/"],
    "concertation:objective_delete": ["DELETE /api/v1/action-plans/{}/objectives/{}/"],
    "concertation:action_create": ["POST /api/v1/action-plans/{}/objectives/{}/actions/"],
    "concertation:action_edit": ["PATCH /api/v1/action-plans/{}/actions/{}/"],
    "concertation:action_delete": ["DELETE /api/v1/action-plans/{}/actions/{}/"],
    "concertation:indicator_create": ["POST /api/v1/action-plans/{}/objectives/{}/indicators/"],
    "concertation:indicator_edit": ["PATCH /api/v1/action-plans/{}/indicators/{}/"],
    "concertation:indicator_delete": ["DELETE /api/v1/action-plans/{}/indicators/{}/"],
    "agreements:agreement_create": ["POST /api/v1/agreements/"],
    "agreements:agreement_edit": ["PATCH /api/v1/agreements/{}/"],
    "agreements:sections_edit": ["PATCH /api/v1/agreements/{}/sections/"],
    "agreements:party_add": ["POST /api/v1/agreements/{}/parties/"],
    "agreements:party_remove": ["DELETE /api/v1/agreements/{}/parties/{}/"],
    "agreements:contact_add": ["POST /api/v1/agreements/{}/contacts/"],
    "agreements:contact_remove": ["DELETE /api/v1/agreements/{}/contacts/{}/"],
    "agreements:transition": ["POST /api/v1/agreements/{}/transition/"],
    "agreements:amend": ["POST /api/v1/agreements/{}/amendments/"],
    "agreements:issue_add": ["POST /api/v1/agreements/{}/negotiation/"],
    "agreements:issue_edit": ["PATCH /api/v1/agreements/{}/negotiation/{}/"],
    "agreements:amount_add": ["POST /api/v1/agreements/{}/funding/"],
    "agreements:amount_delete": ["DELETE /api/v1/agreements/{}/funding/{}/"],
    "agreements:payment_add": ["POST /api/v1/agreements/{}/payments/"],
    "agreements:payment_paid": ["POST /api/v1/agreements/{}/payments/{}/paid/"],
    "agreements:report_add": ["POST /api/v1/agreements/{}/reports/"],
    "agreements:report_submit": ["POST /api/v1/agreements/{}/reports/{}/submit/"],
    "agreements:attachment_add": ["POST /api/v1/agreements/{}/attachments/"],
    "agreements:attachment_delete": ["DELETE /api/v1/agreements/{}/attachments/{}/"],
    "agreements:attachment_confidential": ["PATCH /api/v1/agreements/{}/attachments/{}/"],
    "evaluation:instrument_copy": ["POST /api/v1/instruments/{}/copy/"],
    "evaluation:instrument_edit": ["PATCH /api/v1/instruments/{}/"],
    "evaluation:section_add": ["POST /api/v1/instruments/{}/sections/"],
    "evaluation:item_add": ["POST /api/v1/instruments/{}/items/"],
    "evaluation:item_edit": ["PATCH /api/v1/instruments/{}/items/{}/"],
    "evaluation:item_delete": ["DELETE /api/v1/instruments/{}/items/{}/"],
    "evaluation:campaign_create": ["POST /api/v1/campaigns/"],
    "evaluation:campaign_edit": ["PATCH /api/v1/campaigns/{}/"],
    "evaluation:campaign_remind": ["POST /api/v1/campaigns/{}/remind/"],
    "evaluation:campaign_close": ["POST /api/v1/campaigns/{}/close/"],
    "evaluation:campaign_release": ["POST /api/v1/campaigns/{}/release/"],
    "evaluation:campaign_group_answer": ["POST /api/v1/campaigns/{}/group-answer/"],
    "evaluation:respond": ["POST /api/v1/responses/"],
    "evaluation:instance_diagnosis_note": ["POST /api/v1/instances/{}/diagnosis/notes/"],
    "evaluation:rls_diagnosis_note": ["POST /api/v1/rls/{}/diagnosis/notes/"],
    "evaluation:diagnosis_note_delete": ["DELETE /api/v1/diagnosis-notes/{}/"],
    "evaluation:rls_report_create": ["POST /api/v1/reports/"],
    "evaluation:campaign_report_create": ["POST /api/v1/reports/"],
}

# Page-only writes, with the reason they have no API twin.
PAGE_ONLY = {
    "login": "signing in opens a browser session; the API authenticates with personal tokens",
    "logout": "closes the browser session",
    "password_change": "credentials are changed by their owner in a signed-in browser session, never with a token",
    "password_reset": "the reset e-mail leads back to the browser",
    "password_reset_confirm": "the reset link is followed in the browser",
    "token_create": "a token cannot mint tokens: credentials are managed in a signed-in browser session",
    "token_revoke": "idem: a token is revoked from the profile page (or by the administrator)",
    "set_language": "the interface language of the pages; the API answers in the Accept-Language of each request",
    "concertation:calendar_feed_issue": "the feed's secret address is a credential, shown once in a signed-in "
    "browser session (like a token)",
    "concertation:calendar_feed_revoke": "idem: revoked from the calendar page (audited action)",
    "registry:import": "a bulk import is a dry run a person reviews before confirming; API clients write the same "
    "records one by one through /organizations, /people and /territories",
    "registry:import_confirm": "the second step of the same reviewed import",
}

# Pages that only read: a POST answers 405.
READS = {
    "home", "password_change_done", "password_reset_done", "password_reset_complete", "profile", "healthz",
    "public_organization",
    "registry:organization_list", "registry:organization_detail", "registry:organization_history",
    "registry:person_list", "registry:person_detail", "registry:person_history",
    "registry:territory_list", "registry:territory_detail", "registry:territory_history",
    "concertation:calendar", "concertation:calendar_feed", "concertation:concertation_load",
    "concertation:demarche_detail", "concertation:demarche_history", "concertation:exercise_detail",
    "concertation:exercise_history", "concertation:exercise_results", "concertation:instance_analytics",
    "concertation:instance_detail", "concertation:instance_history", "concertation:instance_list",
    "concertation:meeting_detail", "concertation:meeting_docx", "concertation:meeting_history",
    "concertation:meeting_ics", "concertation:meeting_pdf", "concertation:plan_detail", "concertation:plan_history",
    "concertation:plan_progress", "concertation:structure",
    "agreements:agreement_list", "agreements:dashboard", "agreements:dependence", "agreements:agreement_detail",
    "agreements:version_detail", "agreements:version_diff", "agreements:agreement_history", "agreements:document",
    "agreements:attachment_download", "public_agreement",
    "evaluation:instrument_list", "evaluation:instrument_detail", "evaluation:instrument_history",
    "evaluation:campaign_list", "evaluation:campaign_detail", "evaluation:campaign_history",
    "evaluation:campaign_results", "evaluation:campaign_results_csv",
    "evaluation:instance_diagnosis", "evaluation:rls_diagnosis",
    "evaluation:rls_list", "evaluation:rls_dashboard", "evaluation:campaign_reports", "evaluation:report_status",
    "evaluation:report_file", "evaluation:network", "evaluation:network_graphml", "evaluation:network_csv",
    "evaluation:network_instances",
}  # fmt: skip


def page_urls() -> dict[str, URLPattern]:
    """Every named URL of the pages (the API and the back office excluded), by namespaced name."""

    def walk(patterns, namespace, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if route.startswith(("api/", "admin/")):
                    continue
                yield from walk(pattern.url_patterns, pattern.namespace or namespace, route)
            elif pattern.name:
                yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern

    return dict(walk(get_resolver().url_patterns, None, ""))


def api_operations() -> set[str]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        f"{method.upper()} {re.sub(r'{[^}]+}', '{}', path)}"
        for path, operations in schema["paths"].items()
        for method in operations
    }


def test_every_page_url_is_classified_once():
    names = set(page_urls())
    listed = [*WRITES, *PAGE_ONLY, *READS]
    assert len(listed) == len(set(listed)), "a URL is listed twice"
    assert names - set(listed) == set(), "new page URLs: list each as a write with its API twin, page-only, or a read"
    assert set(listed) - names == set(), "listed URLs that no longer exist"


def test_every_page_write_has_its_api_operation():
    operations = api_operations()
    missing = {name: op for name, ops in WRITES.items() for op in ops if op not in operations}
    assert missing == {}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(READS))
def test_read_pages_refuse_a_post(name):
    pattern = page_urls()[name]
    request = RequestFactory().post("/")
    request.user = UserFactory(is_superuser=True)
    route = pattern.pattern
    names = route.converters if hasattr(route, "converters") else route.regex.groupindex
    kwargs = dict.fromkeys(names, 0)
    response = pattern.callback(request, **kwargs)
    assert response.status_code == 405
