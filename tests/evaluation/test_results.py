"""A campaign's results (evaluation.results): Wilder-style section scores and levels, A/B/C compilation,
checklists, response rate, the anonymity rule (whole campaign, groups, secondary suppression, comments, CSV),
the comparison with the previous campaign, and a query count that does not grow with the responses."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from concertation.models import Instance
from evaluation.actions.campaigns import create_campaign
from evaluation.actions.instruments import copy_instrument
from evaluation.actions.responses import record_group_answer, submit_response
from evaluation.exports import results_csv_rows
from evaluation.models import Answer, Campaign, Instrument, Item, Response, Scale, Section
from evaluation.results import Level, campaign_results, hidden_groups
from tests.evaluation.conftest import ABC, items

OPENS = datetime.date(2025, 3, 1)


def make_campaign(instrument, instances, *, opens_on=OPENS, min_group_size=3, **fields) -> Campaign:
    campaign = Campaign.objects.create(
        instrument=instrument, title=f"Bilan {opens_on.year}", rls=instances[0].rls, opens_on=opens_on,
        closes_on=opens_on + datetime.timedelta(days=30), min_group_size=min_group_size, **fields,
    )  # fmt: skip
    campaign.instances.set(instances)
    return campaign


def respond(campaign: Campaign, answers: dict, sector: str = "community", instance=None) -> Response:
    """A response as submit_response writes it (answers by item code; an open item's answer is its text)."""
    by_code = items(campaign.instrument)
    response = Response.objects.create(
        campaign=campaign, submitted_on=OPENS, sector=sector, instance=instance or campaign.instances.first()
    )
    Answer.objects.bulk_create(
        Answer(response=response, item=by_code[code], **{"text" if by_code[code].scale == Scale.TEXT else "value": v})
        for code, v in answers.items()
    )
    return response


def climate(results):
    return next(s for s in results.sections if s.section.code == "climat")


def second_instance(world, name: str = "Table des aînés du Val") -> Instance:
    return Instance.objects.create(
        name=name, kind=Instance.Kind.ASSEMBLY, basis=Instance.Basis.TERRITORIAL, level="local", rls=world.rls,
        territory=world.rls,
    )  # fmt: skip


# Section scores -----------------------------------------------------------------------------------------


def test_section_score_averages_each_respondents_own_mean(assembly, instrument):
    campaign = make_campaign(instrument, [assembly.instance])
    respond(campaign, {"ecoute": "5"})  # answered one item: their mean is 5
    respond(campaign, {"ecoute": "1", "gain": "1"})
    respond(campaign, {"ecoute": "3", "gain": "3"})

    section = climate(campaign_results(campaign))

    # Respondent means 5, 1, 3 → 3.0; the mean of all five answers would be 13 / 5 = 2.6.
    assert section.n == 3
    assert section.mean == pytest.approx(3.0)
    assert section.sd == pytest.approx(2.0)  # sample standard deviation of 5, 1, 3
    assert (section.minimum, section.maximum) == (1.0, 5.0)
    ecoute, gain = section.items
    assert (ecoute.n, ecoute.mean, gain.n, gain.mean) == (3, 3.0, 2, 2.0)
    assert [(value, count) for value, _label, count in ecoute.distribution] == [
        ("1", 1), ("2", 0), ("3", 1), ("4", 0), ("5", 1)
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("answers", "level"),
    [
        ([("5", "4"), ("4", "3"), ("4", "4")], Level.STRENGTH),  # 4.5, 3.5, 4 → exactly 4.0
        ([("2", "3"), ("4", "3"), ("3", "3")], Level.WATCH),  # 2.5, 3.5, 3 → exactly 3.0
        ([("3", "3")] * 9 + [("2", "2")], Level.CONCERN),  # 29 / 10 = 2.9
        ([("4", "4")] * 9 + [("3", "4")], Level.WATCH),  # 3.95: below 4.0 however it is rounded for display
    ],
)
def test_level_reads_the_exact_mean_against_the_instruments_thresholds(assembly, instrument, answers, level):
    campaign = make_campaign(instrument, [assembly.instance])
    for ecoute, gain in answers:
        respond(campaign, {"ecoute": ecoute, "gain": gain})

    assert climate(campaign_results(campaign)).level == level


def test_thresholds_are_the_instruments_own(assembly, instrument):
    instrument.strength_min, instrument.concern_below = Decimal("4.5"), Decimal("4.0")
    instrument.save()
    campaign = make_campaign(instrument, [assembly.instance])
    for _ in range(3):
        respond(campaign, {"ecoute": "4", "gain": "4"})

    section = climate(campaign_results(campaign))

    assert section.level == Level.WATCH
    assert section.level_label == str(Level.WATCH.label)


# A/B/C and checklists -----------------------------------------------------------------------------------


def test_abc_answers_are_compiled_per_item_condition_and_overall_without_a_score(assembly, instrument):
    instrument.scoring = Instrument.Scoring.ABC
    instrument.save()
    power = Section.objects.get(instrument=instrument, code="pouvoir")
    Item.objects.create(section=power, code="coconstruction", text_fr="Coconstruction", scale=Scale.ABC, options=ABC)
    Item.objects.create(section=power, code="role", text_fr="Rôles", scale=Scale.ABC, options=ABC)
    campaign = make_campaign(instrument, [assembly.instance])
    for egalite, coconstruction, role in ["CAB", "CAB", "CAC", "AAC", "BBA"]:
        respond(campaign, {"egalite": egalite, "coconstruction": coconstruction, "role": role})

    results = campaign_results(campaign)

    power_result = next(s for s in results.sections if s.section.code == "pouvoir")
    by_code = {r.item.code: r for r in power_result.items}
    assert [(v, count) for v, _label, count in by_code["egalite"].distribution] == [("A", 1), ("B", 1), ("C", 3)]
    assert by_code["egalite"].unfavourable  # C is the most frequent answer
    assert not by_code["coconstruction"].unfavourable  # A is
    assert by_code["role"].unfavourable  # B and C tie: the item still calls for attention
    assert power_result.abc == {"A": 6, "B": 4, "C": 5}
    assert results.abc == {"A": 6, "B": 4, "C": 5}
    assert (power_result.mean, power_result.level, power_result.n) == (None, None, 5)
    assert by_code["egalite"].distribution[0][1] == "Énoncé A"  # the statement, in the reader's language
    community = next(g for g in results.by_sector if g.key == "community")
    assert community.abc == {"pouvoir": {"A": 6, "B": 4, "C": 5}}


def test_checklist_counts_benefits_drawbacks_and_the_balance(world, assembly):
    instrument = Instrument.objects.create(
        code="bilan", title_fr="Bilan", rls=world.rls, scoring=Instrument.Scoring.CHECKLIST
    )
    benefits = Section.objects.create(instrument=instrument, code="benefices", title_fr="Bénéfices", position=1)
    drawbacks = Section.objects.create(
        instrument=instrument, code="inconvenients", title_fr="Inconvénients", position=2
    )
    balance = Section.objects.create(instrument=instrument, code="bilan", title_fr="Bilan", position=3)
    for code in ("b1", "b2", "b3"):
        Item.objects.create(section=benefits, code=code, text_fr=code, scale=Scale.YES_NO, polarity="benefit")
    for code in ("d1", "d2"):
        Item.objects.create(section=drawbacks, code=code, text_fr=code, scale=Scale.YES_NO, polarity="drawback")
    options = [{"value": v, "fr": v.upper(), "en": v} for v in ("benefits", "equal", "drawbacks")]
    Item.objects.create(section=balance, code="balance", text_fr="Bilan", scale=Scale.CHOICE, options=options)
    campaign = make_campaign(instrument, [assembly.instance])
    respond(campaign, {"b1": "yes", "b2": "yes", "b3": "no", "d1": "no", "d2": "no", "balance": "benefits"})
    respond(campaign, {"b1": "yes", "b2": "no", "b3": "no", "d1": "yes", "d2": "no", "balance": "equal"})
    respond(campaign, {"b1": "yes", "b2": "yes", "b3": "yes", "d1": "no", "d2": "no", "balance": "benefits"})
    respond(campaign, {"b1": "no", "b2": "no", "b3": "no", "balance": "drawbacks"})  # skipped the drawbacks

    results = campaign_results(campaign)

    shares = {r.item.code: r.share_yes for s in results.sections for r in s.items if r.item.scale == Scale.YES_NO}
    assert shares == {"b1": 0.75, "b2": 0.5, "b3": 0.25, "d1": pytest.approx(1 / 3), "d2": 0.0}
    assert results.benefits_ticked == pytest.approx(1.5)  # 2 + 1 + 3 + 0 over four respondents
    assert results.drawbacks_ticked == pytest.approx(1 / 3)  # over the three who answered the drawbacks
    assert results.balance.item.code == "balance"
    assert results.balance.distribution == (
        ("benefits", "BENEFITS", 2),
        ("equal", "EQUAL", 1),
        ("drawbacks", "DRAWBACKS", 1),
    )


# Response rate and group campaigns ----------------------------------------------------------------------


def test_response_rate_is_the_share_of_links_used(world, assembly, instrument):
    today = timezone.localdate()
    campaign = create_campaign(world.coordinator, {
        "title": "Bilan", "instrument": instrument, "instances": [assembly.instance], "opens_on": today,
        "closes_on": today + datetime.timedelta(days=20), "min_group_size": 5,
    })  # fmt: skip
    ecoute = items(instrument)["ecoute"]
    for invitation in campaign.invitations.order_by("pk")[:5]:
        submit_response(invitation, {ecoute.pk: "4"})

    results = campaign_results(campaign)

    assert (results.invited, results.used, results.respondents) == (8, 5, 5)
    assert results.response_rate == pytest.approx(5 / 8)
    assert not results.suppressed
    assert {g.key for g in results.by_sector} == {"community", "public"}  # the sectors the links were sent for


def test_a_group_campaign_shows_the_groups_answers_with_their_notes_and_no_rate(world, assembly, instrument):
    today = timezone.localdate()
    campaign = create_campaign(world.coordinator, {
        "title": "Bilan collectif", "instrument": instrument, "instances": [assembly.instance],
        "mode": Campaign.Mode.GROUP, "opens_on": today, "closes_on": today + datetime.timedelta(days=20),
    })  # fmt: skip
    by_code = items(instrument)
    record_group_answer(
        world.coordinator, campaign,
        {by_code["ecoute"].pk: "4", by_code["egalite"].pk: "B", by_code["commentaire"].pk: "Plus de place aux aînés"},
        {by_code["ecoute"].pk: "Unanime", by_code["egalite"].pk: "Le CISSS mène encore"},
    )  # fmt: skip

    results = campaign_results(campaign)

    assert results.is_group and not results.suppressed  # one answer, but it names no one
    assert results.response_rate is None
    assert (results.by_sector, results.by_instance) == ((), ())
    answers = {r.item.code: r for s in results.sections for r in s.items}
    assert answers["ecoute"].note == "Unanime"
    assert answers["egalite"].note == "Le CISSS mène encore"
    assert [v for v, _label, count in answers["egalite"].distribution if count] == ["B"]
    assert climate(results).mean == 4.0
    assert results.comments == ("Plus de place aux aînés",)
    assert list(results_csv_rows(campaign))[1:] == [["1", "", "4", "", "B", "Plus de place aux aînés"]]


# Suppression ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("respondents", "suppressed"), [(4, True), (5, False)])
def test_a_campaign_below_its_threshold_shows_no_figure(assembly, instrument, respondents, suppressed):
    campaign = make_campaign(instrument, [assembly.instance], min_group_size=5)
    for n in range(respondents):
        respond(campaign, {"ecoute": "4", "egalite": "A", "commentaire": f"Remarque {n}"})

    results = campaign_results(campaign)

    assert results.suppressed is suppressed
    assert results.respondents == respondents  # "n below threshold" is all that is said
    if suppressed:
        assert (results.sections, results.by_sector, results.comments, results.abc) == ((), (), (), {})
        assert results.previous is None
        assert list(results_csv_rows(campaign))[1:] == []
    else:
        assert len(results.comments) == 5


def test_hidden_groups_adds_the_smallest_shown_group_when_one_alone_is_hidden():
    assert hidden_groups({"community": 4, "public": 3, "municipal": 1}, 3) == {"public", "municipal"}
    assert hidden_groups({"a": 6, "b": 4, "c": 3, "d": 1}, 3) == {"c", "d"}
    assert hidden_groups({"a": 5, "b": 2, "c": 1}, 3) == {"b", "c"}  # two hidden: neither can be recovered
    assert hidden_groups({"a": 5, "b": 3}, 3) == set()
    assert hidden_groups({"a": 5, "b": 1}, 3) == {"a", "b"}


def sectors_4_3_1(campaign) -> None:
    for ecoute in ("5", "5", "4", "4"):
        respond(campaign, {"ecoute": ecoute, "gain": ecoute}, sector="community")
    for ecoute in ("2", "3", "1"):
        respond(campaign, {"ecoute": ecoute, "gain": ecoute}, sector="public")
    respond(campaign, {"ecoute": "1", "gain": "1"}, sector="municipal")


def test_a_small_sector_is_hidden_and_so_is_the_smallest_other_one(assembly, instrument):
    campaign = make_campaign(instrument, [assembly.instance], min_group_size=3)
    sectors_4_3_1(campaign)

    with translation.override("en"):
        results = campaign_results(campaign)

    groups = {g.key: g for g in results.by_sector}
    assert [g.key for g in results.by_sector] == ["community", "public", "municipal"]
    assert (groups["community"].suppressed, groups["community"].n) == (False, 4)
    assert groups["community"].means == {"climat": 4.5}
    assert groups["community"].label == "Community organisation"
    for hidden in ("public", "municipal"):  # municipal is 1; public (3) would give it back by subtraction
        assert groups[hidden].suppressed
        assert groups[hidden].n is None
        assert groups[hidden].means == {"climat": None}
    assert results.sector_gap == {"climat": None}


def test_the_gap_between_community_and_public_perceptions(assembly, instrument):
    campaign = make_campaign(instrument, [assembly.instance], min_group_size=3)
    for ecoute in ("5", "5", "4", "4"):
        respond(campaign, {"ecoute": ecoute}, sector="community")
    for ecoute in ("2", "3", "1"):
        respond(campaign, {"ecoute": ecoute}, sector="public")

    results = campaign_results(campaign)

    assert {g.key: g.means["climat"] for g in results.by_sector} == {"community": 4.5, "public": 2.0}
    assert results.sector_gap == {"climat": pytest.approx(2.5)}


def test_instances_are_compared_when_the_campaign_covers_several(world, assembly, instrument):
    other = second_instance(world)
    campaign = make_campaign(instrument, [assembly.instance, other], min_group_size=3)
    for _ in range(3):
        respond(campaign, {"ecoute": "5"}, instance=assembly.instance)
        respond(campaign, {"ecoute": "2"}, instance=other)

    results = campaign_results(campaign)

    assert [(g.label, g.n, g.means["climat"]) for g in results.by_instance] == [
        ("Assemblée des partenaires du Val", 3, 5.0), ("Table des aînés du Val", 3, 2.0),
    ]  # fmt: skip
    single = make_campaign(instrument, [assembly.instance], min_group_size=3)
    for _ in range(3):
        respond(single, {"ecoute": "5"})
    assert campaign_results(single).by_instance == ()


def test_comments_are_sorted_by_text_not_by_arrival(assembly, instrument):
    campaign = make_campaign(instrument, [assembly.instance])
    for text in ("Zèle", "avancer", "Bravo"):
        respond(campaign, {"ecoute": "3", "commentaire": text})

    results = campaign_results(campaign)

    assert results.comments == ("avancer", "Bravo", "Zèle")
    comment_item = next(r for s in results.sections for r in s.items if r.item.code == "commentaire")
    assert comment_item.comments == ("avancer", "Bravo", "Zèle")


# The previous campaign -----------------------------------------------------------------------------------


def test_section_means_are_compared_with_the_previous_campaign_of_the_same_lineage(world, assembly, instrument):
    earlier = make_campaign(instrument, [assembly.instance], opens_on=datetime.date(2023, 3, 1))
    for ecoute in ("3", "3", "3"):
        respond(earlier, {"ecoute": ecoute, "gain": ecoute})
    # Later, but sent to another instance only: it shares nothing with this year's campaign.
    elsewhere = make_campaign(instrument, [second_instance(world)], opens_on=datetime.date(2024, 3, 1))
    for _ in range(3):
        respond(elsewhere, {"ecoute": "1"})
    copy = copy_instrument(world.coordinator, instrument, world.rls)
    current = make_campaign(copy, [assembly.instance])
    for ecoute in ("4", "4", "4"):
        respond(current, {"ecoute": ecoute, "gain": ecoute})

    previous = campaign_results(current).previous

    assert previous.campaign == earlier
    assert previous.means["climat"] == 3.0
    assert previous.deltas == {"climat": pytest.approx(1.0)}
    assert elsewhere.pk  # later than `earlier`, yet never chosen
    assert campaign_results(current, visible=Campaign.objects.exclude(pk=earlier.pk)).previous is None


def test_no_delta_with_a_previous_campaign_below_its_threshold(assembly, instrument):
    earlier = make_campaign(instrument, [assembly.instance], opens_on=datetime.date(2023, 3, 1), min_group_size=5)
    for _ in range(4):
        respond(earlier, {"ecoute": "1"})
    current = make_campaign(instrument, [assembly.instance])
    for _ in range(3):
        respond(current, {"ecoute": "4"})

    previous = campaign_results(current).previous

    assert previous.campaign == earlier
    assert previous.deltas == {"climat": None}


# CSV export ----------------------------------------------------------------------------------------------


def test_csv_rows_are_anonymised_responses_in_a_shuffled_stable_order(assembly, instrument):
    campaign = make_campaign(instrument, [assembly.instance], min_group_size=3)
    sectors = ["community"] * 4 + ["public"] * 3 + ["municipal"]
    for n, sector in enumerate(sectors):
        respond(campaign, {"ecoute": "4", "egalite": "B", "commentaire": f"r{n}"}, sector=sector)

    with translation.override("en"):
        rows = list(results_csv_rows(campaign))

    assert rows[0] == ["Response", "Sector", "ecoute", "gain", "egalite", "commentaire"]
    body = rows[1:]
    assert [row[0] for row in body] == [str(n) for n in range(1, 9)]
    arrival = [f"r{n}" for n in range(8)]
    assert [row[5] for row in body] != arrival  # not numbered in the order the answers came in
    assert sorted(row[5] for row in body) == arrival
    by_text = {row[5]: row for row in body}
    assert [by_text[f"r{n}"][1] for n in range(8)] == ["community"] * 4 + [""] * 4  # public (3) and municipal (1)
    assert by_text["r0"][2:5] == ["4", "", "B"]
    with translation.override("en"):
        assert list(results_csv_rows(campaign)) == rows  # the same numbering from one export to the next


@pytest.mark.parametrize(
    ("public_in_first", "sectors_given"),
    [(1, False), (3, True)],  # one public member in the first instance: the pair would single them out
)
def test_csv_gives_sectors_with_several_instances_only_if_no_pair_is_small(
    world, assembly, instrument, public_in_first, sectors_given
):
    other = second_instance(world)
    campaign = make_campaign(instrument, [assembly.instance, other], min_group_size=3)
    pairs = (
        [("community", assembly.instance)] * 4 + [("public", assembly.instance)] * public_in_first
        + [("community", other)] * 3 + [("public", other)] * 4
    )  # fmt: skip
    for sector, instance in pairs:
        respond(campaign, {"ecoute": "3"}, sector=sector, instance=instance)

    with translation.override("en"):
        rows = list(results_csv_rows(campaign))

    assert rows[0][:3] == ["Response", "Sector", "Instance"]
    given = sorted((row[1], row[2]) for row in rows[1:])
    if sectors_given:
        assert given == sorted((sector, instance.name) for sector, instance in pairs)
    else:
        assert given == sorted(("", instance.name) for _sector, instance in pairs)
    # The results page still compares the sectors: each one is large enough over the whole campaign.
    assert all(not group.suppressed for group in campaign_results(campaign).by_sector)


# Query count ---------------------------------------------------------------------------------------------


def campaign_with(world, assembly, instrument, n: int) -> Campaign:
    instance = Instance.objects.create(
        name=f"Table {n}", kind=Instance.Kind.ASSEMBLY, basis=Instance.Basis.TERRITORIAL, level="local",
        rls=world.rls, territory=world.rls,
    )  # fmt: skip
    earlier = make_campaign(instrument, [assembly.instance], opens_on=datetime.date(2020 + n % 3, 1, 1))
    for _ in range(3):
        respond(earlier, {"ecoute": "3"})
    campaign = make_campaign(instrument, [assembly.instance, instance], opens_on=datetime.date(2025, 1, n))
    sectors = ["community", "public", "municipal"]
    for k in range(n):
        respond(campaign, {"ecoute": str(1 + k % 5), "gain": "4", "egalite": "ABC"[k % 3], "commentaire": f"c{k}"},
                sector=sectors[k % 3], instance=instance if k % 2 else assembly.instance)  # fmt: skip
    return Campaign.objects.get(pk=campaign.pk)


def test_the_number_of_queries_does_not_grow_with_the_responses(
    world, assembly, instrument, django_assert_max_num_queries
):
    small, large = campaign_with(world, assembly, instrument, 8), campaign_with(world, assembly, instrument, 30)

    with django_assert_max_num_queries(16) as counted:
        results = campaign_results(small)
    assert results.respondents == 8 and results.previous is not None and len(results.by_instance) == 2
    with django_assert_max_num_queries(len(counted.captured_queries)):
        results = campaign_results(large)
    assert results.respondents == 30 and len(results.comments) == 30
    with django_assert_max_num_queries(5) as counted:
        assert len(list(results_csv_rows(small))) == 9
    with django_assert_max_num_queries(len(counted.captured_queries)):
        assert len(list(results_csv_rows(large))) == 31
