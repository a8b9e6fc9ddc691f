import pytest


@pytest.mark.django_db
def test_unknown_api_path_answers_json_404(client):
    response = client.get("/api/v1/staff/complaints/%C2%84/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


@pytest.mark.django_db
def test_unknown_page_answers_a_translated_404_page(client, settings):
    settings.DEBUG = False
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


def test_500_handler_renders_without_a_trace(rf):
    from portal.views import server_error

    page = server_error(rf.get("/pengaduan/lapor/"))
    assert page.status_code == 500
    assert b"Traceback" not in page.content
    api = server_error(rf.get("/api/v1/complaints/"))
    assert api["Content-Type"] == "application/json"
