"""Bourque's typology (domain.md §4), read from an instance's object and level, and its kind for a joint committee.

Bourque types partnership by three variables: where it happens (level), who is involved, and its object
(seed 001, Tableau 2). The object decides the type; the level only confirms it: a population-based table of a
whole region is still *operationnel par territoire* (Bourque lists "local, MRC, sous-région, région" for it),
not planning. An instance that follows one bilateral agreement (a joint committee, or the object "agreement")
is Duperré's *partenariat de gestion*, one dimension of operational partnership, not one of Bourque's types.
Without a stated object there is no reading: the result says so and asks for it.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from concertation.models.instances import BourqueObject, BourqueType, Instance

INSUFFICIENT_EVIDENCE = "insufficient_evidence"
PARTENARIAT_GESTION = "partenariat_gestion"

OBJ = BourqueObject

EXTRA_LABELS = {
    PARTENARIAT_GESTION: gettext_lazy("Management partnership (Duperré)"),
    INSUFFICIENT_EVIDENCE: gettext_lazy("Insufficient evidence"),
}
L = Instance.Level
OPERATIONAL_LEVELS = (L.REGIONAL, L.SUBREGIONAL, L.LOCAL)


@dataclass(frozen=True)
class Reading:
    """One row of the reading table: an object, the levels where Bourque places it, the type and why."""

    object: str
    levels: tuple[str, ...]
    type: str
    reason: Promise


READING: tuple[Reading, ...] = (
    Reading(OBJ.POLITICAL, (L.NATIONAL,), BourqueType.POLITIQUE, gettext_lazy(
        "Political relations between the State and community organisations (recognition, funding, evaluation).")),
    Reading(OBJ.PLANNING, (L.REGIONAL,), BourqueType.PLANIFICATION_ORIENTATION, gettext_lazy(
        "Regional orientations and planning: service plans, health and well-being priorities.")),
    Reading(OBJ.PROGRAMME, tuple(L.values), BourqueType.OPERATIONNEL_PROGRAMME, gettext_lazy(
        "Agreed action around one programme, problem or clientele, bilateral or multilateral.")),
    Reading(OBJ.POPULATION, OPERATIONAL_LEVELS, BourqueType.OPERATIONNEL_TERRITOIRE, gettext_lazy(
        "Agreed, multilateral action on the needs of the whole population of a territory (territorial "
        "partnership).")),
    Reading(OBJ.AGREEMENT, tuple(L.values), PARTENARIAT_GESTION, gettext_lazy(
        "Follows one agreement between directors: Duperré's management partnership, a dimension of operational "
        "partnership rather than one of Bourque's types.")),
)  # fmt: skip
SOURCE = gettext_lazy("Bourque, CÉRIS working paper, typology of partnership (Tableau 2); Duperré (1992)")


@dataclass(frozen=True)
class BourqueDiagnosis:
    type: str
    reason: str
    overridden: bool = False
    # False when the level is not one where Bourque places the type read from the object: worth a second look.
    typical: bool = True

    @property
    def label(self) -> str:
        if self.type in EXTRA_LABELS:
            return str(EXTRA_LABELS[self.type])
        return str(BourqueType(self.type).label)

    @property
    def is_known(self) -> bool:
        return self.type != INSUFFICIENT_EVIDENCE


def derive_bourque_type(level: str, bourque_object: str, kind: str = "", basis: str = "") -> BourqueDiagnosis:
    """The type an instance's object gives, checked against its level (READING); a joint committee is always
    management partnership. `basis` only shapes the question asked when the object is missing."""
    if kind == Instance.Kind.JOINT_COMMITTEE:
        reason = _("A joint committee follows an agreement between its parties: Duperré's management partnership.")
        return BourqueDiagnosis(PARTENARIAT_GESTION, reason)
    reading = next((row for row in READING if row.object == bourque_object), None)
    if reading is None:
        return BourqueDiagnosis(INSUFFICIENT_EVIDENCE, _missing_object(basis))
    if level in reading.levels:
        return BourqueDiagnosis(reading.type, str(reading.reason))
    where = ", ".join(str(L(value).label).lower() for value in reading.levels)
    here = str(L(level).label).lower() if level in L.values else "?"
    note = _(
        "Bourque places this type at the %(levels)s level, and this instance is %(level)s: check its level or its "
        "object."
    ) % {"levels": where, "level": here}
    return BourqueDiagnosis(reading.type, f"{reading.reason} {note}", typical=False)


def _missing_object(basis: str) -> str:
    ask = _(
        "Say the instance's object (the population of a territory, a programme or clientele, regional planning, "
        "political relations, or an agreement) to read its type: the level alone does not tell it."
    )
    if basis == Instance.Basis.THEMATIC:
        hint = _("Its thematic basis suggests a programme.")
    elif basis == Instance.Basis.TERRITORIAL:
        hint = _("Its territorial basis suggests the population of a territory.")
    else:
        return ask
    return f"{ask} {hint}"


def territorial_note(sectors: set[str]) -> str:
    """Territorial partnership gathers at least public institutions and community organisations (seed 001 §3.3.2):
    a remark on who sits at the table, never a change of type."""
    if {"public", "community"} <= sectors:
        return ""
    return _(
        "Territorial partnership gathers at least the territory's public institutions and community organisations; "
        "invite the sectors missing from the table."
    )


def bourque_for(instance: Instance, sectors: set[str] | None = None) -> BourqueDiagnosis:
    """The instance's type: the coordinator's justified choice if there is one, else the reading. `sectors` (of
    the current members) only adds a remark to a territorial reading."""
    if instance.bourque_override:
        return BourqueDiagnosis(
            instance.bourque_override,
            _("Chosen by a coordinator: %(reason)s") % {"reason": instance.bourque_override_reason},
            overridden=True,
        )
    diagnosis = derive_bourque_type(instance.level, instance.bourque_object, instance.kind, instance.basis)
    note = territorial_note(sectors) if sectors is not None else ""
    if diagnosis.type == BourqueType.OPERATIONNEL_TERRITOIRE and note:
        return BourqueDiagnosis(diagnosis.type, f"{diagnosis.reason} {note}", typical=diagnosis.typical)
    return diagnosis
