from unittest import mock

import pytest
from django.db import OperationalError


@pytest.mark.django_db
def test_health_check_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": True}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_health_check_answers_503_when_the_database_does_not(client):
    with mock.patch("campaign.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] is False


@pytest.mark.django_db
def test_health_check_answers_a_probe_by_the_containers_own_address_over_plain_http(client, settings):
    settings.ALLOWED_HOSTS = ["solidarity.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz", HTTP_HOST="172.18.0.5:8000")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    # Every other page still checks the host and redirects to HTTPS.
    assert client.get("/prisoners/", HTTP_HOST="172.18.0.5:8000").status_code == 400
    assert client.get("/prisoners/", HTTP_HOST="solidarity.example.org").status_code == 301
