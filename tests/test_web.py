"""The HTTP API (in process) and the dashboard in a real browser (Debian's chromium)."""

import csv
import io
import json
import os
import shutil
import socket
import threading
import time
from importlib import resources
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cronaca.api import ingest
from cronaca.store import Store
from cronaca.web.app import create_app

XSS_TEXT = ("Il 3 marzo 2024 la Russia ha attaccato l'Ucraina. "
            "<script>window.__xss = 1</script><img src=x onerror=\"window.__xss = 2\"> "
            "Il presidente russo Vladimir Putin ha incontrato Kim Jong Un a Pyongyang.")
XSS_TITLE = "<script>window.__xss = 3</script>Titolo"
ARTIFACTS = Path(os.environ.get("CRONACA_TEST_ARTIFACTS", Path(__file__).resolve().parents[1] / "test-artifacts"))


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    d = tmp_path_factory.mktemp("web")
    base = resources.files("cronaca").joinpath("demo")
    (d / "xss.jsonl").write_text(json.dumps({"doc_id": "xss-1", "lang": "it", "pub_date": "2024-03-04",
                                             "title": XSS_TITLE, "outlet": "<b>bold outlet</b>",
                                             "text": XSS_TEXT}) + "\n")
    path = d / "s.sqlite"
    with Store(path) as s:
        ingest([Path(str(base.joinpath("rus_prk_demo.jsonl"))), d / "xss.jsonl"], s)
    return path


@pytest.fixture(scope="module")
def client(store_path):
    return TestClient(create_app(store_path, ingest_token="s3cret"))


def test_openapi_lists_the_api(client):
    spec = client.get("/openapi.json").json()
    paths = set(spec["paths"])
    for p in ("/api/v1/events", "/api/v1/stories", "/api/v1/dyads/{a}/{b}", "/api/v1/actors/{code}",
              "/api/v1/articles/{doc_id}", "/api/v1/export", "/api/v1/ingest", "/api/v1/alerts"):
        assert p in paths, p
    # no page refers to a CDN: the interactive docs (which would) are off
    assert client.get("/docs").status_code == 404


def test_events_filter_and_page(client):
    first = client.get("/api/v1/events", params={"limit": 5}).json()
    assert len(first["items"]) == 5 and first["next_offset"] == 5
    second = client.get("/api/v1/events", params={"limit": 5, "offset": 5}).json()
    assert {e["id"] for e in first["items"]}.isdisjoint(e["id"] for e in second["items"])
    aid = client.get("/api/v1/events", params={"type": "AID", "actor": "PRK", "limit": 100}).json()["items"]
    assert aid and all(e["event"] == "AID" for e in aid)
    one = client.get(f"/api/v1/events/{aid[0]['id']}").json()
    assert one["story_id"] and one["text_info"]["evidence"]
    assert client.get("/api/v1/events", params={"limit": 5000}).status_code == 422
    assert client.get("/api/v1/events", params={"since": "not-a-date"}).status_code == 422


def test_stories_dyads_actors_articles(client):
    sts = client.get("/api/v1/stories", params={"type": "SUPPORT", "since": "2024-06-19", "until": "2024-06-19"}).json()
    treaty = [s for s in sts["items"] if s["symmetric"]]
    assert treaty and len(treaty[0]["reports"]) >= 7
    assert client.get(f"/api/v1/stories/{treaty[0]['id']}").json()["id"] == treaty[0]["id"]
    d = client.get("/api/v1/dyads/RUS/PRK", params={"by": "year"}).json()
    assert d["periods"] and sum(p["stories"] for p in d["periods"]) > 5
    top = client.get("/api/v1/dyads").json()
    assert top[0]["a"] == "PRK" and top[0]["b"] == "RUS"
    actor = client.get("/api/v1/actors/PRK").json()
    assert actor["name"] == "North Korea" and actor["as_actor"] > 0
    assert client.get("/api/v1/actors/ZZZ").status_code == 404
    art = client.get("/api/v1/articles/demo-04-it").json()
    assert art["events"] and art["text"].startswith(art["events"][0]["text_info"]["evidence"][:0])
    assert client.get("/api/v1/articles/..%2F..%2Fetc%2Fpasswd").status_code == 404
    assert isinstance(client.get("/api/v1/alerts", params={"by": "month", "min_count": 2}).json(), list)


def test_export_downloads(client):
    r = client.get("/api/v1/export", params={"format": "csv", "type": "AID"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert rows and all(x["PloverEvent"] == "AID" and len(x["EventCode"]) == 3 for x in rows)
    r = client.get("/api/v1/export", params={"what": "stories", "format": "jsonl", "limit": 3})
    assert len(r.text.splitlines()) == 3


def test_ingest_is_off_without_a_token_and_guarded_with_one(store_path, tmp_path):
    body = {"articles": [{"text": "Il 5 maggio 2024 la Cina ha criticato il Giappone.", "lang": "it",
                          "doc_id": "new-1"}]}
    off = TestClient(create_app(store_path))
    assert off.post("/api/v1/ingest", json=body).status_code == 403
    copy = tmp_path / "c.sqlite"
    shutil.copy(store_path, copy)
    on = TestClient(create_app(copy, ingest_token="s3cret"))
    assert on.post("/api/v1/ingest", json=body).status_code == 401
    assert on.post("/api/v1/ingest", json=body, headers={"Authorization": "Bearer wrong"}).status_code == 401
    r = on.post("/api/v1/ingest", json=body, headers={"Authorization": "Bearer s3cret"})
    assert r.status_code == 201 and r.json()["stored"] == 1
    assert on.get("/api/v1/articles/new-1").status_code == 200
    too_many = {"articles": body["articles"] * 101}
    assert on.post("/api/v1/ingest", json=too_many, headers={"Authorization": "Bearer s3cret"}).status_code == 422


def test_pages_escape_article_text_and_send_a_strict_policy(client):
    r = client.get("/articles/xss-1")
    assert r.status_code == 200
    assert "<script>window.__xss" not in r.text and "&lt;script&gt;window.__xss = 1" in r.text
    assert "<img src=x" not in r.text and "<b>bold outlet</b>" not in r.text
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert client.get("/static/../pyproject.toml").status_code == 404
    assert client.get("/static/%2e%2e/%2e%2e/pyproject.toml").status_code == 404
    assert client.get("/articles/nope").status_code == 404


# --------------------------------------------------------------------------- browser
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(store_path):
    import uvicorn

    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(store_path), host="127.0.0.1", port=port, log_level="warning"))
    t = threading.Thread(target=srv.run, daemon=True)
    t.start()
    for _ in range(100):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    t.join(timeout=5)


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium); .ci/run installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                              args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                    "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("requestfailed", lambda r: errors.append(f"failed {r.url}"))
    pg.errors = errors  # type: ignore[attr-defined]
    yield pg
    ctx.close()


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_overview_page(page, server):
    page.goto(server + "/")
    assert page.locator("h1").inner_text() == "Overview"
    assert page.locator("#dyads tbody tr").count() >= 3
    assert "PRK – RUS" in page.locator("#dyads").inner_text()
    assert page.locator("#latest tbody tr").count() >= 5
    _shot(page, "overview")
    assert not page.errors  # type: ignore[attr-defined]


def test_dyad_page_has_a_chart_events_and_sources(page, server):
    page.goto(server + "/")
    page.locator("#dyads a", has_text="PRK – RUS").click()
    page.wait_for_url("**/dyads/PRK/RUS")
    assert page.locator("#timeline rect.coop").count() > 3
    assert page.locator("#events tbody tr").count() >= 10
    assert page.locator("#sources li").count() >= 1
    _shot(page, "dyad")
    assert not page.errors  # type: ignore[attr-defined]


def test_event_page_highlights_the_evidence_in_every_report(page, server):
    page.goto(server + "/dyads/PRK/RUS")
    row = page.locator("#events tbody tr", has_text="SUPPORT").filter(has_text="de, en, es, it").first
    row.locator("a").first.click()
    page.wait_for_url("**/events/**")
    reports = page.locator("article.report")
    assert reports.count() >= 7
    assert reports.nth(0).locator("mark").count() >= 1
    assert page.locator(".modality").count() == reports.count()
    _shot(page, "event")
    assert not page.errors  # type: ignore[attr-defined]


def test_article_actor_and_map_pages(page, server):
    page.goto(server + "/articles/demo-04-it")
    assert page.locator("#text mark").count() >= 2
    assert page.locator("#events tbody tr").count() >= 2
    _shot(page, "article")
    page.locator("#events a", has_text="PRK").first.click()
    page.wait_for_url("**/actors/PRK")
    assert "North Korea" in page.locator("h1").inner_text()
    assert page.locator("#partners tbody tr").count() >= 1
    _shot(page, "actor")
    page.goto(server + "/map")
    assert page.locator("#map circle.place").count() >= 3
    _shot(page, "map")
    assert not page.errors  # type: ignore[attr-defined]


def test_article_text_with_markup_renders_as_text(page, server):
    page.goto(server + "/articles/xss-1")
    assert page.evaluate("window.__xss") is None
    text = page.locator("#text").inner_text()
    assert "<script>window.__xss = 1</script>" in text and 'onerror="window.__xss = 2"' in text
    assert "<script>" in page.locator("#title").inner_text()
    assert page.locator("#text img").count() == 0 and page.locator("#text script").count() == 0
    # the same on the event pages of that article
    page.locator("#events a").first.click()
    page.wait_for_url("**/events/**")
    assert page.evaluate("window.__xss") is None
    _shot(page, "xss")


def test_serve_command_binds_to_localhost_by_default(store_path):
    import subprocess
    import sys
    import urllib.request

    port = _free_port()
    exe = Path(sys.executable).with_name("cronaca")
    proc = subprocess.Popen([str(exe), "serve", "--store", str(store_path), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(150):
            try:
                body = urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("the server did not answer")
        assert json.loads(body)["ingest"] == "off"
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=10)
    assert "http://127.0.0.1:" in out and "ingest off" in out
