"""One error base, one CLI handler, one JSON error shape (eventcoder.errors).

Every user-facing exception is an EventcoderError; `eventcoder CMD` prints any of them as one line
and exits 2; the HTTP API and the dashboard's JSON endpoints answer every error with the same
body, checked here by `assert_error_shape` (as Datasette's tests/test_error_shape.py does)."""
from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from eventcoder.actors.dictionaries import DictionaryError
from eventcoder.api import ApiError, create_app, error_response
from eventcoder.cli import main
from eventcoder.dedup_eval import LabelError
from eventcoder.errors import EventcoderError, UsageError, error_body
from eventcoder.ingest.errors import IngestError
from eventcoder.leads import LeadsFileError
from eventcoder.nlp import ModelNotFound
from eventcoder.query import QueryError
from eventcoder.store import Store, StoreBusy, StoreError

KEYS = {"error", "status", "type", "input", "detail"}


def assert_error_shape(r, status: int) -> dict:
    """The one error body: `error` (a one-line reason), `status` (= the HTTP status), `type`,
    and `input` / `detail` only when there is one."""
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert set(body) <= KEYS and {"error", "status", "type"} <= set(body), body
    assert body["status"] == status and isinstance(body["type"], str) and body["type"]
    assert isinstance(body["error"], str) and body["error"] and "\n" not in body["error"]
    return body


@pytest.mark.parametrize("cls", [IngestError, StoreError, StoreBusy, QueryError, DictionaryError,
                                 LabelError, LeadsFileError, ModelNotFound, ApiError, UsageError])
def test_user_facing_errors_share_one_base(cls):
    assert issubclass(cls, EventcoderError)


def test_error_carries_message_input_and_hint():
    e = UsageError("gold.jsonl not found", input="gold.jsonl", hint="pass GOLD")
    assert str(e) == "gold.jsonl not found (pass GOLD)" and e.input == "gold.jsonl"
    assert e.exit_code == 2 and isinstance(e, ValueError)  # callers that caught ValueError still do
    i = IngestError("feed.jsonl:3", "not JSON")
    assert str(i) == "feed.jsonl:3: not JSON" and i.input == "feed.jsonl:3"
    assert error_body(400, "bad", type="QueryError") == {"error": "bad", "status": 400, "type": "QueryError"}


def test_the_cli_prints_any_eventcoder_error_as_one_line(tmp_path, capsys):
    missing = tmp_path / "nope.duckdb"
    assert main(["query", "--db", str(missing), "summary"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("eventcoder query summary: ") and "no such store" in err
    assert main(["eval", "plover-gsr", str(tmp_path / "gsr.json")]) == 2
    err = capsys.readouterr().err
    assert err == f"eventcoder eval plover-gsr: {tmp_path / 'gsr.json'} not found " \
                  f"(pass PATH or set EVENTCODER_SHARED)\n"
    bad = tmp_path / "labels.jsonl"
    bad.write_text("{oops\n", encoding="utf-8")
    assert main(["eval", "dedup", str(bad), "--articles", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("eventcoder eval dedup: ") and "labels.jsonl:1" in err


def test_a_usage_error_from_the_library_is_one_line_too(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("Russia attacked Ukraine.", encoding="utf-8")
    assert main(["code", str(tmp_path / "a.txt"), "--published", "whenever"]) == 2
    err = capsys.readouterr().err
    assert err == "eventcoder code: cannot read the date 'whenever'; give it as YYYY-MM-DD\n"
    assert main(["code", str(tmp_path / "a.txt"), "--workers", "2"]) == 2
    assert "give --out DIR" in capsys.readouterr().err
    assert main(["code", str(tmp_path / "a.txt"), "--event-model", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"eventcoder code: {tmp_path}: not an eventcoder event model")


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    st = Store(tmp_path_factory.mktemp("errors") / "errors.duckdb")
    with TestClient(create_app(st), base_url="http://127.0.0.1") as c:
        yield c
    st.close()


@pytest.mark.parametrize("path, params, status, kind", [
    ("/events", {"start": "not-a-date"}, 422, "RequestValidationError"),
    ("/actors/ZZZ", {}, 404, "ApiError"),
    ("/articles/nothing-here", {}, 404, "ApiError"),
    ("/no/such/route", {}, 404, "HTTPException"),
    ("/ui/api/events", {"sort": "bogus"}, 400, "QueryError"),
    ("/ui/api/events.csv", {"order": "sideways"}, 400, "QueryError"),
    ("/ui/api/network", {"level": "planet"}, 400, "QueryError"),
    ("/ui/api/dyad/events", {"a": "", "b": "RUS"}, 400, "QueryError"),
    ("/ui/api/events", {"start": "2025-13-45"}, 400, "QueryError"),
])
def test_api_and_dashboard_errors_have_one_shape(client, path, params, status, kind):
    body = assert_error_shape(client.get(path, params=params), status)
    assert body["type"] == kind


def test_validation_errors_keep_their_detail(client):
    body = assert_error_shape(client.post("/code", json={}), 422)
    assert body["detail"] and body["detail"][0]["loc"] == ["body", "text"]


def test_store_errors_answer_503_and_500():
    busy = error_response(StoreBusy("events.duckdb is in use by another process"))
    assert busy.status_code == 503 and busy.headers["retry-after"] == "2"
    body = json.loads(busy.body)
    assert body == {"error": "the store is busy: events.duckdb is in use by another process",
                    "status": 503, "type": "StoreBusy"}
    closed = error_response(StoreError("events.duckdb: the store is closed"))
    assert closed.status_code == 500 and json.loads(closed.body)["status"] == 500
    named = error_response(UsageError("bad value", input="--window"))
    assert json.loads(named.body)["input"] == "--window" and named.status_code == 400
