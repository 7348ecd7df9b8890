"""The relations survey: who a member's organisation works with, each tie rated. Answered through the page and the
API by the same action (same refusals, nothing written on any), the respondent's organisation recorded only for
such an instrument, results that show an organisation's ratings only once enough respondents rated it, and the
demo's 2014 survey of the partners' assembly."""

import datetime
import re

import pytest
from django.utils import timezone, translation

from concertation.models import Membership
from evaluation import links
from evaluation.actions import campaigns as campaign_actions
from evaluation.actions.responses import submit_response
from evaluation.models import Answer, Campaign, Instrument, Invitation, Item, Relation, Response
from evaluation.network.graphs import Scope, relations
from evaluation.results import campaign_results
from registry.models import Territory
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
RESPONSES = "/api/v1/responses/"
JSON = "application/json"


def fr(message: str) -> str:
    with translation.override("fr"):
        return translation.gettext(message)


def fr_n(singular: str, plural: str, number: int) -> str:
    with translation.override("fr"):
        return translation.ngettext(singular, plural, number)


@pytest.fixture
def survey() -> Instrument:
    """The shipped instrument (migration 0006): one relations item and two Likert items."""
    return Instrument.objects.get(code="relations", rls__isnull=True)


def items(instrument: Instrument) -> dict[str, Item]:
    return {item.code: item for item in Item.objects.filter(section__instrument=instrument)}


def launch(world, assembly, instrument, **extra) -> Campaign:
    """Confidential unless said otherwise: a relations campaign cannot be anonymous."""
    data = {"title": "Nos liens 2026", "instrument": instrument, "instances": [assembly.instance],
            "opens_on": TODAY(), "closes_on": TODAY() + datetime.timedelta(days=14), "privacy": "confidential",
            **extra}  # fmt: skip
    return campaign_actions.create_campaign(world.coordinator, data)


def invitation(campaign: Campaign, n: int = 0) -> Invitation:
    return campaign.invitations.select_related("organization").order_by("pk")[n]


def page(campaign: Campaign, n: int = 0) -> str:
    return f"/evaluation/r/{links.token_for(invitation(campaign, n))}/"


def state() -> dict:
    return {m.__name__: m.objects.count() for m in (Response, Answer, Relation)} | {
        "used": Invitation.objects.filter(used=True).count()
    }


def row(item: Item, number: int, organization, frequency="3", usefulness="4", trust="5") -> dict:
    prefix = f"item_{item.pk}-{number}-"
    return {f"{prefix}organization": str(getattr(organization, "pk", organization or "")),
            f"{prefix}frequency": frequency, f"{prefix}usefulness": usefulness, f"{prefix}trust": trust}  # fmt: skip


def entry(organization, frequency=3, usefulness=4, trust=5) -> dict:
    return {"organization": getattr(organization, "pk", organization), "frequency": frequency,
            "usefulness": usefulness, "trust": trust}  # fmt: skip


# The shipped instrument ---------------------------------------------------------------------------------------


def test_the_fifth_shipped_instrument_asks_relations_and_the_climate(survey):
    assert (survey.title_fr, survey.title_en, survey.scoring) == (
        "Relations entre partenaires",
        "Relations between partners",
        "mean",
    )
    found = list(Item.objects.filter(section__instrument=survey).order_by("section__position", "position"))
    assert [(item.code, item.scale) for item in found] == [
        ("partenaires", "relations"),
        ("confiance-mutuelle", "likert"),
        ("entraide", "likert"),
    ]
    assert found[0].text_fr == "Avec quels organismes et partenaires votre organisation travaille-t-elle\u00a0?"
    french = [survey.title_fr, survey.description_fr, *(item.text_fr for item in found)]
    assert not [text for text in french if "'" in text or "·" in text or re.search(r"[^\u00a0][:;?!]", text)]
    assert all(item.text_en for item in found) and survey.description_en


# The page ---------------------------------------------------------------------------------------------------


def test_the_page_offers_the_rls_organisations_but_ones_own_and_says_it_is_recorded(client, world, assembly, survey):
    campaign = launch(world, assembly, survey)
    own = invitation(campaign).organization
    response = client.get(page(campaign))
    assert response.status_code == 200
    body = response.content.decode()
    assert response.context["records_organization"] and response.context["min_raters"] == 5
    partners = items(survey)["partenaires"]
    rows = [name for name in response.context["form"].fields if name.startswith(f"item_{partners.pk}-")]
    assert len(rows) == 8 * 4
    offered = dict(response.context["form"].fields[f"item_{partners.pk}-1-organization"].widget.choices)
    assert world.org_a.name in offered.values() and world.org_b.name in offered.values()
    assert own.name not in offered.values() and world.org_elsewhere.name not in offered.values()
    assert len(re.findall(r'class="relation-row[ "]', body)) == 8


def test_a_member_names_partners_through_the_page(client, world, assembly, survey):
    campaign = launch(world, assembly, survey)
    found = items(survey)
    partners, trust = found["partenaires"], found["confiance-mutuelle"]
    own = invitation(campaign).organization
    data = {**row(partners, 1, world.org_a, "4", "5", "3"), **row(partners, 3, world.org_b, "1", "2", "2"),
            f"item_{trust.pk}": "4"}  # fmt: skip
    assert client.post(page(campaign), data).status_code == 200
    response = Response.objects.get()
    assert response.organization == own and response.sector == own.sector
    named = {r.organization: (r.frequency, r.usefulness, r.trust) for r in response.relations.all()}
    assert named == {world.org_a: (4, 5, 3), world.org_b: (1, 2, 2)}
    assert {a.item.code: a.value for a in response.answers.all()} == {"confiance-mutuelle": "4"}


BAD_ROWS = [
    ("own", {}, "Name the organisations yours works with, not your own."),
    ("elsewhere", {}, "Choose an organisation of this survey’s territory from the list."),
    ("archived", {}, "Choose an organisation of this survey’s territory from the list."),
    ("org_a", {"frequency": ""}, "Say how often you work with this organisation (1 to 5)."),
    ("org_a", {"trust": "7"}, "Say how much you trust this organisation (1 to 5)."),
    ("", {}, "Choose the organisation."),
]


@pytest.mark.parametrize(("who", "change", "message"), BAD_ROWS)
def test_a_bad_row_is_refused_on_its_row_and_nothing_is_written(client, world, assembly, survey, who, change, message):
    campaign = launch(world, assembly, survey)
    partners = items(survey)["partenaires"]
    organizations = {
        "own": invitation(campaign).organization, "elsewhere": world.org_elsewhere, "org_a": world.org_a,
        "archived": OrganizationFactory(name="Ancien organisme", rls=world.rls, archived_at=timezone.now()), "": "",
    }  # fmt: skip
    bad = row(partners, 4, organizations[who])
    bad.update({f"item_{partners.pk}-4-{part}": value for part, value in change.items()})
    data = {**row(partners, 2, world.org_b), **bad}
    before = state()
    response = client.post(page(campaign), data)
    assert response.status_code == 400 and state() == before
    form = response.context["form"]
    assert form.errors[f"item_{partners.pk}-4-organization"] == [fr(message)]
    assert f"item_{partners.pk}-2-organization" not in form.errors
    # What was typed is still there.
    assert form[f"item_{partners.pk}-2-organization"].value() == str(world.org_b.pk)
    assert f'<option value="{world.org_b.pk}" selected>' in response.content.decode()


TERRITORY = "Choose an organisation of this survey’s territory from the list."
OFTEN = "Say how often you work with this organisation (1 to 5)."
TRUST = "Say how much you trust this organisation (1 to 5)."
# Digits str.isdigit() takes but int() refuses ("²") or reads as another number ("٥" is 5), a number no database
# id holds, a sign, a decimal: each refused with the sentence of an unknown organisation or a rating outside 1-5.
NOT_NUMBERS = ["²", "٥", str(10**23), "99999999999999999999999", "-3", "3.0", "3,5", " ", "1e3", "0x1f"]


@pytest.mark.parametrize("value", NOT_NUMBERS)
@pytest.mark.parametrize(("part", "message"), [("organization", TERRITORY), ("frequency", OFTEN), ("trust", TRUST)])
def test_a_row_with_something_else_than_a_number_is_refused_on_its_row(client, world, assembly, survey, part,
                                                                       message, value):  # fmt: skip
    campaign = launch(world, assembly, survey)
    partners = items(survey)["partenaires"]
    data = {**row(partners, 1, world.org_b), **row(partners, 3, world.org_a)}
    data[f"item_{partners.pk}-3-{part}"] = value
    before = state()
    response = client.post(page(campaign), data)
    assert response.status_code == 400 and state() == before
    form = response.context["form"]
    if value.strip():
        assert form.errors[f"item_{partners.pk}-3-organization"] == [fr(message)]
    else:  # blank: the organisation is missing, or the rating is
        missing = "Choose the organisation." if part == "organization" else message
        assert form.errors[f"item_{partners.pk}-3-organization"] == [fr(missing)]
    assert f"item_{partners.pk}-1-organization" not in form.errors


def test_the_same_organisation_twice_is_refused_on_the_second_row(client, world, assembly, survey):
    campaign = launch(world, assembly, survey)
    partners = items(survey)["partenaires"]
    before = state()
    response = client.post(page(campaign), {**row(partners, 1, world.org_a), **row(partners, 5, world.org_a)})
    assert response.status_code == 400 and state() == before
    assert response.context["form"].errors[f"item_{partners.pk}-5-organization"] == [
        fr("This organisation is already named above: name each one once.")
    ]


# The API ----------------------------------------------------------------------------------------------------


def answer(client, campaign: Campaign, answers: dict, n: int = 0):
    body = {"token": links.token_for(invitation(campaign, n)), "answers": answers}
    return client.post(RESPONSES, body, content_type=JSON)


def test_a_member_names_partners_through_the_api(client, world, assembly, survey):
    campaign = launch(world, assembly, survey)
    found = items(survey)
    partners = found["partenaires"]
    body = {str(partners.pk): [entry(world.org_a, 5, 5, 4), entry(world.org_b)], str(found["entraide"].pk): 3}
    response = answer(client, campaign, body)
    assert response.status_code == 201, response.content
    stored = Response.objects.get()
    # Confidential: the response keeps its link, so its respondent can correct it until the survey closes.
    assert stored.organization == invitation(campaign).organization and stored.invitation == invitation(campaign)
    assert sorted(stored.relations.values_list("organization", "frequency", "usefulness", "trust")) == sorted(
        [(world.org_a.pk, 5, 5, 4), (world.org_b.pk, 3, 4, 5)]
    )
    assert stored.answers.get().value == "3"


@pytest.mark.parametrize(
    ("entries", "position", "message"),
    [
        (lambda w, own: [entry(999_999)], 0, "Choose an organisation of this survey’s territory from the list."),
        (lambda w, own: [entry(w.org_a), entry(w.org_elsewhere)], 1,
         "Choose an organisation of this survey’s territory from the list."),
        (lambda w, own: [entry(own)], 0, "Name the organisations yours works with, not your own."),
        (lambda w, own: [entry(w.org_a), entry(w.org_a)], 1,
         "This organisation is already named above: name each one once."),
        (lambda w, own: [entry(w.org_a, frequency=0)], 0, "Say how often you work with this organisation (1 to 5)."),
        (lambda w, own: [entry(w.org_a, usefulness=6)], 0, "Say how useful this tie is to your work (1 to 5)."),
        (lambda w, own: [{"organization": w.org_a.pk, "frequency": 2, "usefulness": 2}], 0,
         "Say how much you trust this organisation (1 to 5)."),
        (lambda w, own: [entry(w.org_a, trust=True)], 0, "Say how much you trust this organisation (1 to 5)."),
        (lambda w, own: [{"frequency": 2, "usefulness": 2, "trust": 2}], 0, "Choose the organisation."),
    ],
)  # fmt: skip
def test_bad_entries_are_refused_by_position_and_nothing_is_written(client, world, assembly, survey, entries,
                                                                    position, message):  # fmt: skip
    campaign = launch(world, assembly, survey)
    partners = items(survey)["partenaires"]
    before = state()
    response = answer(client, campaign, {str(partners.pk): entries(world, invitation(campaign).organization)})
    assert response.status_code == 400
    assert response.json() == {f"item_{partners.pk}.{position}": [fr(message)]}
    assert state() == before


API_NOT_NUMBERS = [*NOT_NUMBERS, 10**23, 99999999999999999999999, 2**63, -3, 0, 3.0, 2.5, [3], {"pk": 3}]


@pytest.mark.parametrize("value", API_NOT_NUMBERS, ids=repr)
@pytest.mark.parametrize(("part", "message"), [("organization", TERRITORY), ("frequency", OFTEN), ("trust", TRUST)])
def test_an_entry_with_something_else_than_a_number_is_refused(client, world, assembly, survey, part, message,
                                                                value):  # fmt: skip
    campaign = launch(world, assembly, survey)
    partners = items(survey)["partenaires"]
    bad = entry(world.org_a)
    bad[part] = value
    before = state()
    response = answer(client, campaign, {str(partners.pk): [entry(world.org_b), bad]})
    assert response.status_code == 400, response.content
    assert response.json() == {f"item_{partners.pk}.1": [fr(message)]}
    assert state() == before


@pytest.mark.parametrize("key", ["²", "٥", str(10**23), "-1", "1.0", " ", "item_1"])
def test_an_answer_keyed_by_something_else_than_an_item_id_is_refused(client, world, assembly, survey, key):
    campaign = launch(world, assembly, survey)
    found = items(survey)
    body = {str(found["partenaires"].pk): [entry(world.org_a)], str(found["entraide"].pk): "4", key: "4"}
    if key == "٥":  # read as 5 by int(): the item whose id is 5 must not be what it answers
        body.pop(str(found["entraide"].pk))
    before = state()
    response = answer(client, campaign, body)
    assert response.status_code == 400, response.content
    assert response.json()["answers"] == [fr("One of the answers is for a question this survey does not ask.")]
    assert state() == before


def test_a_field_an_entry_does_not_have_is_refused_on_that_entry(client, world, assembly, survey):
    campaign = launch(world, assembly, survey)
    partners = items(survey)["partenaires"]
    before = state()
    response = answer(client, campaign, {str(partners.pk): [entry(world.org_b), {**entry(world.org_a), "x": 1}]})
    assert response.status_code == 400
    one = "Unknown field: %(names)s. An entry gives organization, frequency, usefulness and trust."
    many = "Unknown fields: %(names)s. An entry gives organization, frequency, usefulness and trust."
    assert response.json() == {f"item_{partners.pk}.1": [fr_n(one, many, 1) % {"names": "x"}]}
    # Several, beside another problem of the same entry.
    odd = {**entry(world.org_a, trust=9), "organisation": world.org_a.pk, "note": "souvent"}
    response = answer(client, campaign, {str(partners.pk): [odd]})
    assert response.status_code == 400
    assert response.json() == {
        f"item_{partners.pk}.0": [fr_n(one, many, 2) % {"names": "organisation, note"}, fr(TRUST)]
    }
    assert state() == before


def test_more_than_forty_organisations_or_no_list_is_refused(client, world, assembly, survey):
    campaign = launch(world, assembly, survey)
    partners = items(survey)["partenaires"]
    many = [OrganizationFactory(name=f"Partenaire {n}", rls=world.rls) for n in range(41)]
    before = state()
    response = answer(client, campaign, {str(partners.pk): [entry(o) for o in many]})
    assert response.status_code == 400
    assert response.json() == {f"item_{partners.pk}": [fr("Name at most %(max)d organisations.") % {"max": 40}]}
    response = answer(client, campaign, {str(partners.pk): "Popote roulante du Val"})
    assert response.json() == {
        f"item_{partners.pk}": [fr("Give a list of organisations, each with its three ratings.")]
    }
    assert state() == before
    # Forty is allowed.
    assert answer(client, campaign, {str(partners.pk): [entry(o) for o in many[:40]]}).status_code == 201
    assert Relation.objects.count() == 40


def test_a_confidential_response_corrected_replaces_its_ties(client, world, assembly, survey):
    campaign = launch(world, assembly, survey, privacy="confidential")
    partners = str(items(survey)["partenaires"].pk)
    assert answer(client, campaign, {partners: [entry(world.org_a), entry(world.org_b)]}).status_code == 201
    assert answer(client, campaign, {partners: [entry(world.org_b, trust=1)]}).status_code == 201
    assert list(Relation.objects.values_list("organization", "trust")) == [(world.org_b.pk, 1)]
    assert Response.objects.get().organization == invitation(campaign).organization


# Where a relations item may be asked, and what a response records -----------------------------------------


def test_the_organisation_is_recorded_only_for_an_instrument_that_asks_relations(world, assembly, instrument, survey):
    ecoute = items(instrument)["ecoute"]
    plain = launch(world, assembly, instrument, privacy="anonymous")
    submit_response(invitation(plain), {ecoute.pk: "4"})
    asking = launch(world, assembly, survey, title="Nos liens")
    submit_response(invitation(asking), {items(survey)["entraide"].pk: "4"})  # no partner named: still recorded
    assert Response.objects.get(campaign=plain).organization is None
    assert Response.objects.get(campaign=asking).organization == invitation(asking).organization


def test_a_group_campaign_cannot_ask_relations(client, world, assembly, survey):
    client.force_login(world.coordinator)
    response = client.post("/evaluation/campaigns/new/", {
        "title": "Nos liens", "instrument": survey.pk, "instances": [assembly.instance.pk], "mode": "group",
        "privacy": "anonymous", "opens_on": TODAY().isoformat(), "closes_on": "2099-01-01", "min_group_size": 5,
    })  # fmt: skip
    assert response.status_code == 400 and not Campaign.objects.exists()
    assert response.context["form"].errors["mode"] == [
        fr("This instrument asks each member which organisations theirs works with: it is answered individually, "
           "not as a group.")
    ]  # fmt: skip


PRIVACY = (
    "This instrument cannot be anonymous: its relations question records the respondent’s organisation, since a tie "
    "needs both its ends. Choose confidential."
)


def campaign_form(instrument, assembly, **extra) -> dict:
    return {"title": "Nos liens", "instrument": instrument.pk, "instances": [assembly.instance.pk],
            "mode": "individual", "privacy": "anonymous", "opens_on": TODAY().isoformat(),
            "closes_on": "2099-01-01", "min_group_size": 5, **extra}  # fmt: skip


def test_the_page_refuses_an_anonymous_relations_campaign_on_its_privacy(client, world, assembly, survey):
    client.force_login(world.coordinator)
    response = client.post("/evaluation/campaigns/new/", campaign_form(survey, assembly))
    assert response.status_code == 400
    assert not Campaign.objects.exists() and not Invitation.objects.exists()
    form = response.context["form"]
    assert form.errors["privacy"] == [fr(PRIVACY)] and not form.non_field_errors()
    assert fr(PRIVACY) in response.content.decode()
    response = client.post("/evaluation/campaigns/new/", campaign_form(survey, assembly, privacy="confidential"))
    assert response.status_code == 302
    assert Campaign.objects.get().privacy == "confidential" and Invitation.objects.exists()


def test_an_anonymous_campaign_may_ask_other_instruments(client, world, assembly, instrument):
    client.force_login(world.coordinator)
    response = client.post("/evaluation/campaigns/new/", campaign_form(instrument, assembly))
    assert response.status_code == 302 and Campaign.objects.get().privacy == "anonymous"


CAMPAIGNS = "/api/v1/campaigns/"


def test_the_api_refuses_an_anonymous_relations_campaign_and_its_change_to_anonymous(client, world, assembly,
                                                                                      survey):  # fmt: skip
    client.force_login(world.coordinator)
    body = {"instrument": survey.pk, "instances": [assembly.instance.pk], "opens_on": TODAY().isoformat(),
            "closes_on": (TODAY() + datetime.timedelta(days=14)).isoformat()}  # fmt: skip
    for privacy in ({"privacy": "anonymous"}, {}):  # anonymous is the default: left out, it is refused too
        response = client.post(CAMPAIGNS, {**body, **privacy}, content_type=JSON)
        assert response.status_code == 400
        assert response.json() == {"privacy": [fr(PRIVACY)]}
    assert not Campaign.objects.exists() and not Invitation.objects.exists()
    response = client.post(CAMPAIGNS, {**body, "privacy": "confidential"}, content_type=JSON)
    assert response.status_code == 201 and response.json()["privacy"] == "confidential"
    # Once launched, neither the privacy nor the instrument changes.
    pk = response.json()["id"]
    response = client.patch(f"{CAMPAIGNS}{pk}/", {"privacy": "anonymous"}, content_type=JSON)
    assert response.status_code == 409
    assert Campaign.objects.get().privacy == "confidential"


def test_an_anonymous_campaign_cannot_switch_to_the_relations_instrument(client, world, assembly, instrument,
                                                                         survey):  # fmt: skip
    campaign = launch(world, assembly, instrument, privacy="anonymous")
    client.force_login(world.coordinator)
    response = client.patch(f"{CAMPAIGNS}{campaign.pk}/", {"instrument": survey.pk}, content_type=JSON)
    assert response.status_code == 409
    campaign.refresh_from_db()
    assert campaign.instrument == instrument and campaign.privacy == "anonymous"


# Results ----------------------------------------------------------------------------------------------------


def test_results_count_ties_and_hide_ratings_rated_by_fewer_than_five(client, world, assembly, survey):
    campaign = launch(world, assembly, survey)
    partners = str(items(survey)["partenaires"].pk)
    often = OrganizationFactory(name="Table des aînés du Val", rls=world.rls)
    rare = OrganizationFactory(name="Maison de la famille du Val", rls=world.rls)
    for n in range(6):
        named = [entry(often, frequency=4 + n % 2)] + ([entry(rare)] if n < 2 else [])
        assert answer(client, campaign, {partners: named}, n).status_code == 201
    found = next(r for s in campaign_results(campaign).sections for r in s.items if r.relations)
    assert (found.relations.organizations, found.relations.respondents, found.relations.ties) == (6, 6, 8)
    assert [(p.name, p.raters, p.frequency) for p in found.relations.rated] == [(often.name, 6, 4.5)]
    assert found.relations.hidden == 1
    client.force_login(world.coordinator)
    body = client.get(f"/evaluation/campaigns/{campaign.pk}/results/").content.decode()
    assert often.name in body and rare.name not in body
    assert (
        f"/evaluation/network/?territory={world.rls.pk}&amp;year={campaign.opens_on.year}&amp;graph=relations" in body
    )


def test_no_figure_below_the_smallest_group(client, world, assembly, survey):
    campaign = launch(world, assembly, survey)
    partners = str(items(survey)["partenaires"].pk)
    for n in range(4):
        assert answer(client, campaign, {partners: [entry(world.org_a)]}, n).status_code == 201
    assert campaign_results(campaign).suppressed
    client.force_login(world.coordinator)
    body = client.get(f"/evaluation/campaigns/{campaign.pk}/results/").content.decode()
    assert world.org_a.name not in body


# The demo ---------------------------------------------------------------------------------------------------


def test_the_demo_assembly_mapped_its_ties_in_2014(demo):
    from evaluation import demo_data

    campaign = Campaign.objects.get(title=demo_data.RELATIONS_TITLE)
    assert campaign.opens_on.year == 2014 and campaign.instrument.code == "relations" and campaign.is_closed
    # Confidential, as the campaign actions require: each response keeps its own used link, of its organisation.
    assert campaign.privacy == Campaign.Privacy.CONFIDENTIAL
    responses = Response.objects.filter(campaign=campaign)
    linked = responses.select_related("invitation")
    assert all(r.invitation.campaign_id == campaign.pk and r.invitation.used for r in linked)
    assert all(r.invitation.organization_id == r.organization_id for r in linked)
    assert responses.count() == campaign.invitations.filter(used=True).count()
    invited = set(campaign.invitations.values_list("organization", flat=True))
    answered = set(responses.exclude(organization=None).values_list("organization", flat=True))
    assert answered <= invited and len(answered) >= 0.7 * len(invited) >= 10
    ties = Relation.objects.filter(response__campaign=campaign)
    assert ties.count() > 3 * len(answered)
    # The coordination committee's organisations are the ones named most.
    coordination = Membership.objects.active_on(campaign.opens_on).filter(instance__kind="coordination_committee")
    core = set(coordination.values_list("organization", flat=True))
    top = [pk for pk, _n in _most_named(ties)[: len(core)]]
    assert len(set(top) & core) >= len(core) - 1
    rls = Territory.objects.get(pk=campaign.rls_id)
    network = relations(Scope(rls, 2014))
    assert len(network.organizations) >= len(answered) and len(network.sources) > len(answered)
    results = campaign_results(campaign)
    found = next(r for s in results.sections for r in s.items if r.relations)
    assert found.relations.rated and found.relations.ties == len(set(ties.values_list("response__organization",
                                                                                      "organization")))  # fmt: skip


def _most_named(ties) -> list[tuple[int, int]]:
    counts: dict[int, int] = {}
    for pk in ties.values_list("organization", flat=True):
        counts[pk] = counts.get(pk, 0) + 1
    return sorted(counts.items(), key=lambda pair: -pair[1])
