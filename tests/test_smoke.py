from django.urls import reverse


def test_coordinator_sees_the_organisations_of_their_rls(client, world):
    client.force_login(world.coordinator)
    response = client.get(reverse("registry:organization_list"))
    assert response.status_code == 200
    assert world.org_a.name in response.content.decode()
    assert world.org_elsewhere.name not in response.content.decode()
