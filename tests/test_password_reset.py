"""A user who forgot their password gets a one-time link by e-mail (Django's mail framework)."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_reset_link_by_email_lets_the_user_choose_a_new_password(client, world, mailoutbox):
    world.rep_a.email = "directrice@popote.example.org"
    world.rep_a.save()
    response = client.post(reverse("password_reset"), {"email": "directrice@popote.example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["directrice@popote.example.org"]
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mailoutbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    new = "un-nouveau-mot-de-passe-2026"
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    world.rep_a.refresh_from_db()
    assert world.rep_a.check_password(new)
    # The link works once.
    assert client.get(link, follow=True).context["validlink"] is False


def test_unknown_address_sends_nothing_and_reveals_nothing(client, world, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "inconnu@example.org"})
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert mailoutbox == []
