"""Bourque's typology (domain.md §4), derived from an instance's level, basis and member sectors."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from concertation.models.instances import BourqueType, Instance


@dataclass(frozen=True)
class BourqueDiagnosis:
    type: str
    reason: str
    overridden: bool = False

    @property
    def label(self) -> str:
        return str(BourqueType(self.type).label)


def derive_bourque_type(level: str, basis: str, sectors: set[str]) -> BourqueDiagnosis:
    """The rule, in Bourque's words: where it happens, who is involved, and its object."""
    n_sectors = len(sectors)
    if level == Instance.Level.NATIONAL:
        return BourqueDiagnosis(
            BourqueType.POLITIQUE,
            _("National level: State / community relations (recognition, funding, evaluation of organisations)."),
        )
    if level == Instance.Level.REGIONAL and basis == Instance.Basis.TERRITORIAL:
        return BourqueDiagnosis(
            BourqueType.PLANIFICATION_ORIENTATION,
            _("Regional level with a territorial basis: regional orientations, service plans and health priorities."),
        )
    if basis == Instance.Basis.THEMATIC:
        return BourqueDiagnosis(
            BourqueType.OPERATIONNEL_PROGRAMME,
            ngettext(
                "Thematic basis: agreed action around one programme, problem or clientele (%(n)s sector at the table).",
                "Thematic basis: agreed action around one programme, problem or clientele "
                "(%(n)s sectors at the table).",
                n_sectors,
            )
            % {"n": n_sectors},
        )
    if n_sectors >= 2:
        return BourqueDiagnosis(
            BourqueType.OPERATIONNEL_TERRITOIRE,
            _(
                "Local or sub-regional territorial basis with %(n)s sectors: intersectoral, population-based action "
                "on the needs of the territory."
            )
            % {"n": n_sectors},
        )
    return BourqueDiagnosis(
        BourqueType.OPERATIONNEL_PROGRAMME,
        _(
            "Territorial basis but only %(n)s sector at the table: closer to a programme partnership than to "
            "a territorial one; invite other sectors."
        )
        % {"n": n_sectors},
    )


def bourque_for(instance: Instance, sectors: set[str]) -> BourqueDiagnosis:
    if instance.bourque_override:
        return BourqueDiagnosis(
            instance.bourque_override,
            _("Chosen by a coordinator: %(reason)s") % {"reason": instance.bourque_override_reason},
            overridden=True,
        )
    return derive_bourque_type(instance.level, instance.basis, sectors)
