import pytest


@pytest.mark.django_db
def test_home_page_is_served(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"PersonFirst" in response.content


def test_demo_users_can_sign_in(world, client):
    for user in (world.admin, world.member, world.worker, world.commissioner, world.platform):
        response = client.post("/account/sign-in/", {"username": user.email, "password": world.password})
        assert response.status_code == 302, user.email
        assert response["Location"] == "/dashboard/"
        client.post("/account/sign-out/")
