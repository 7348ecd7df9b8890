"""The anonymised responses of a campaign as rows for the CSV export, under the same suppression rule as the
results page (evaluation.results)."""

from collections import Counter, defaultdict
from collections.abc import Iterator

from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from evaluation.models import Answer, Campaign, Response
from evaluation.results import hidden_groups, instance_order, sector_order, structure_of

SHUFFLE_SALT = "evaluation.results.csv-order"


def results_csv_rows(campaign: Campaign) -> Iterator[list[str]]:
    """The anonymised responses, header first: a number in a keyed shuffle (stable from one export to the next,
    unrelated to submission order), the sector (blank where its group is hidden), the instance when the campaign
    covers several, then one column per item code (section code first when two sections share an item code).
    Header only when the campaign is below its threshold."""
    structure = structure_of(campaign.instrument_id)
    items = [item for _section, section_items in structure for item in section_items]
    names = dict(campaign.instances.values_list("pk", "name"))
    several = len(names) > 1
    codes = Counter(item.code for item in items)
    yield [
        _("Response"), _("Sector"), *([_("Instance")] if several else []),
        *(i.code if codes[i.code] == 1 else f"{section.code}.{i.code}" for section, its in structure for i in its),
    ]  # fmt: skip
    responses = list(Response.objects.filter(campaign=campaign).values_list("pk", "sector", "instance_id"))
    is_group = campaign.mode == Campaign.Mode.GROUP
    if not is_group and len(responses) < campaign.min_group_size:
        return
    hidden_sectors, hidden_instances = (
        (set(), set()) if is_group else _csv_hidden(responses, campaign.min_group_size, names)
    )
    answers: dict[int, dict[int, str]] = defaultdict(dict)
    rows = Answer.objects.filter(response__campaign=campaign).values_list("response_id", "item_id", "value", "text")
    for response_id, item_id, value, text in rows.iterator(chunk_size=5000):
        answers[response_id][item_id] = value or text
    order = sorted(responses, key=lambda r: salted_hmac(SHUFFLE_SALT, f"{campaign.pk}:{r[0]}").hexdigest())
    for number, (pk, sector, instance) in enumerate(order, start=1):
        yield [
            str(number), "" if sector in hidden_sectors else sector,
            *([names.get(instance, "") if instance not in hidden_instances else ""] if several else []),
            *(answers[pk].get(item.pk, "") for item in items),
        ]  # fmt: skip


def _csv_hidden(responses: list[tuple], minimum: int, names: dict[int, str]) -> tuple[set, set]:
    """The sectors and instances whose column is left blank. One instance: the sectors hidden on the results page
    (same rule, same order, so the page and the file never hide different groups). Several: no sector at all as
    soon as one sector of one instance is below the threshold, since the pair would single out its few
    respondents, and the page's sector means minus the rows of other instances would give them back."""
    instances = Counter(instance for _pk, _sector, instance in responses)
    if len(names) < 2:
        sectors = Counter(sector for _pk, sector, _instance in responses)
        return hidden_groups({key: sectors[key] for key in sorted(sectors, key=sector_order)}, minimum), set()
    cells = Counter((sector, instance) for _pk, sector, instance in responses)
    hidden_sectors = {sector for sector, _instance in cells} if min(cells.values()) < minimum else set()
    ordered = {key: instances[key] for key in sorted(instances, key=instance_order(names))}
    return hidden_sectors, hidden_groups(ordered, minimum)
