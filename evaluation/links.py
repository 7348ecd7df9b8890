"""Personal survey links: `<invitation id>.<HMAC of the id and the invitation's nonce>`. The HMAC uses the
site's secret key, so a link cannot be guessed or forged, and a reminder sends the same link again without the
platform keeping it (only the nonce is stored)."""

import secrets

from django.utils.crypto import constant_time_compare, salted_hmac

from evaluation.models import Invitation

SALT = "maillage.evaluation.invitation"


def new_nonce() -> str:
    return secrets.token_hex(16)


def token_for(invitation: Invitation) -> str:
    return f"{invitation.pk}.{salted_hmac(SALT, f'{invitation.pk}:{invitation.nonce}').hexdigest()}"


def find_invitation(token: str) -> Invitation | None:
    """The invitation the link belongs to, or None for a link that is malformed, forged or unknown."""
    pk, _, signature = (token or "").partition(".")
    # ASCII digits of a 64-bit id only: int() of other "digits" (², or thousands of them) raises.
    if not (pk.isascii() and pk.isdigit()) or len(pk) > 18 or not signature:
        return None
    invitation = Invitation.objects.select_related("campaign__instrument").filter(pk=int(pk)).first()
    if invitation is None or not constant_time_compare(token, token_for(invitation)):
        return None
    return invitation
