"""The service answers health checks (the full API grows with the answers issue)."""

from fastapi.testclient import TestClient

from councilqa.api.app import create_app


def test_health_reports_index_state(demo_index, tmp_path, settings):
    client = TestClient(create_app(demo_index, settings))
    body = client.get("/api/health").json()
    assert body["status"] == "ok" and body["index_ready"] is True
    empty = TestClient(create_app(tmp_path / "nothing", settings)).get("/api/health").json()
    assert empty["index_ready"] is False
