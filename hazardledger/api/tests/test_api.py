from __future__ import annotations


class ApiTestCase:
    def test_it_answers_health(self, client):
        response = client.get("/api/v1/health")
        assert response.status_code == 200
        assert response.json() == {"status": "ok"}

    def test_it_serves_the_openapi_document(self, client):
        response = client.get("/api/v1/openapi.json")
        assert response.status_code == 200
        assert "/api/v1/health" in response.json()["paths"]

    def test_it_requires_login_for_me(self, client):
        response = client.get("/api/v1/me")
        assert response.status_code == 401
        assert response.json()["detail"] == "未登录或登录已过期"

    def test_it_reports_the_scope(self, client_for, district):
        data = client_for(district.tom).get("/api/v1/me").json()
        assert data["roles"] == ["territory_officer"]
        assert data["territory_ids"] == [district.town_a.pk]
        assert data["everything"] is False

    def test_it_serves_the_docs_from_this_server(self, client, db):
        import re

        page = client.get("/api/v1/docs").content.decode()
        assert "swagger-ui-bundle" in page
        assert not re.search(r"""(src|href)=["'](https?:)?//""", page)
