from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Agreements")

    def ready(self) -> None:
        # The history pages name the agreement's own change keys (sections by code, contacts by role…).
        from agreements.models import PartyContact, SectionCode
        from core import audit

        audit.EXTRA_LABELS.update({f"section_{code}": label for code, label in SectionCode.choices})
        audit.EXTRA_LABELS.update(dict(PartyContact.Role.choices))
        audit.EXTRA_LABELS.update(
            {
                "parties": _("parties"),
                "party": _("party"),
                "negotiation_issue": _("issue negotiated"),
                "payment": _("payment"),
                "payment_paid": _("payment made"),
                "report_due": _("report due"),
                "report_submitted": _("report submitted"),
                "attachment": _("attachment"),
                "evidence": _("signed page (evidence)"),
            }
        )
