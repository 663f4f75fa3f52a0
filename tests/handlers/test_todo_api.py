"""The todo API handler (out/todo.template.json, TodoApiFunction) against a
mocked DynamoDB table shaped like the template's TodoTable."""

import json
import sys
import types

import boto3
import pytest
from moto import mock_aws

from loader import handler_source, load_handler

TABLE = "todos"


@pytest.fixture
def api(monkeypatch):
    with mock_aws():
        boto3.client("dynamodb").create_table(
            TableName=TABLE,
            AttributeDefinitions=[
                {"AttributeName": "userId", "AttributeType": "S"},
                {"AttributeName": "todoId", "AttributeType": "S"},
            ],
            KeySchema=[
                {"AttributeName": "userId", "KeyType": "HASH"},
                {"AttributeName": "todoId", "KeyType": "RANGE"},
            ],
            BillingMode="PAY_PER_REQUEST",
        )
        monkeypatch.setenv("TABLE_NAME", TABLE)
        monkeypatch.setenv("CORS_ORIGIN", "https://app.example.com")
        monkeypatch.delenv("DAX_ENDPOINT", raising=False)
        yield load_handler("todo.template.json", "TodoApiFunction")


def call(api, method, resource, user="alice", body=None, path=None, qs=None):
    event = {
        "httpMethod": method,
        "resource": resource,
        "pathParameters": path,
        "queryStringParameters": qs,
        "body": None if body is None else (body if isinstance(body, str) else json.dumps(body)),
        "requestContext": {"authorizer": {"claims": {"sub": user}} if user else None},
    }
    r = api.handler(event, None)
    return r["statusCode"], (json.loads(r["body"]) if r["body"] else None), r["headers"]


def test_the_template_inlines_real_python():
    source = handler_source("todo.template.json", "TodoApiFunction")
    compile(source, "index.py", "exec")
    assert "def handler(event, context)" in source


def test_create_get_update_delete_roundtrip(api):
    status, todo, headers = call(api, "POST", "/todos", body={"title": " Buy milk ", "dueDate": "2026-12-01"})
    assert status == 201
    assert todo["title"] == "Buy milk" and todo["done"] is False and todo["userId"] == "alice"
    assert headers["Location"] == "/todos/" + todo["todoId"]
    assert headers["Access-Control-Allow-Origin"] == "https://app.example.com"
    tid = {"todoId": todo["todoId"]}

    status, got, _ = call(api, "GET", "/todos/{todoId}", path=tid)
    assert status == 200 and got["title"] == "Buy milk"

    status, upd, _ = call(api, "PUT", "/todos/{todoId}", path=tid, body={"done": True, "dueDate": None})
    assert status == 200 and upd["done"] is True and "dueDate" not in upd

    status, body, _ = call(api, "DELETE", "/todos/{todoId}", path=tid)
    assert status == 204 and body is None
    assert call(api, "GET", "/todos/{todoId}", path=tid)[0] == 404


def test_users_see_only_their_own_todos(api):
    _, mine, _ = call(api, "POST", "/todos", body={"title": "mine"})
    call(api, "POST", "/todos", user="bob", body={"title": "bob's"})
    status, page, _ = call(api, "GET", "/todos")
    assert status == 200 and [t["title"] for t in page["items"]] == ["mine"]
    assert call(api, "GET", "/todos/{todoId}", user="bob", path={"todoId": mine["todoId"]})[0] == 404
    assert call(api, "DELETE", "/todos/{todoId}", user="bob", path={"todoId": mine["todoId"]})[0] == 404


def test_list_pages_with_a_token(api):
    for i in range(5):
        call(api, "POST", "/todos", body={"title": f"t{i}"})
    status, first, _ = call(api, "GET", "/todos", qs={"limit": "2"})
    assert status == 200 and len(first["items"]) == 2 and first["next"]
    seen = [t["todoId"] for t in first["items"]]
    token = first["next"]
    while token:
        _, page, _ = call(api, "GET", "/todos", qs={"limit": "2", "next": token})
        seen += [t["todoId"] for t in page["items"]]
        token = page["next"]
    assert len(seen) == 5 == len(set(seen))
    assert call(api, "GET", "/todos", qs={"next": "garbage"})[0] == 400
    assert call(api, "GET", "/todos", qs={"limit": "500"})[0] == 400


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "title"),
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "ok", "done": "yes"}, "done"),
        ({"title": "ok", "dueDate": "tomorrow"}, "dueDate"),
        ({"title": "ok", "dueDate": "2026-02-30"}, "dueDate"),
        ("not json", "body"),
        ([1, 2], "body"),
    ],
)
def test_invalid_input_is_a_400_naming_the_field(api, body, field):
    status, error, _ = call(api, "POST", "/todos", body=body)
    assert status == 400 and error["field"] == field


def test_errors_and_routes(api):
    assert call(api, "GET", "/todos", user=None)[0] == 401
    assert call(api, "PATCH", "/todos")[0] == 405
    assert call(api, "PUT", "/todos/{todoId}", path={"todoId": "nope"}, body={"done": True})[0] == 404
    assert call(api, "PUT", "/todos/{todoId}", path={"todoId": "x"}, body={})[0] == 400
    assert call(api, "GET", "/elsewhere")[0] == 404


def test_reads_go_through_dax_when_the_client_layer_is_attached(monkeypatch):
    calls = []

    class FakeTable:
        def get_item(self, **kw):
            calls.append(("get_item", kw))
            return {"Item": {"userId": "alice", "todoId": "t1", "title": "cached"}}

        def query(self, **kw):
            calls.append(("query", kw))
            return {"Items": []}

        def put_item(self, **kw):
            calls.append(("put_item", kw))

        def update_item(self, **kw):
            calls.append(("update_item", kw))
            return {"Attributes": {"userId": "alice", "todoId": "t1", "title": "new"}}

        def delete_item(self, **kw):
            calls.append(("delete_item", kw))

    class FakeDax:
        @staticmethod
        def resource(endpoint_url):
            calls.append(("endpoint", endpoint_url))
            return types.SimpleNamespace(Table=lambda name: FakeTable())

    monkeypatch.setitem(sys.modules, "amazondax", types.SimpleNamespace(AmazonDaxClient=FakeDax))
    monkeypatch.setenv("TABLE_NAME", TABLE)
    monkeypatch.setenv("DAX_ENDPOINT", "daxs://cluster.abc.dax-clusters.us-east-1.amazonaws.com")
    with mock_aws():
        api = load_handler("todo.template.json", "TodoApiFunction")
        status, got, _ = call(api, "GET", "/todos/{todoId}", path={"todoId": "t1"})
        assert status == 200 and got["title"] == "cached"
        assert call(api, "GET", "/todos")[0] == 200
    assert calls[0] == ("endpoint", "daxs://cluster.abc.dax-clusters.us-east-1.amazonaws.com")
    assert [c[0] for c in calls[1:]] == ["get_item", "query"]


def test_writes_go_through_dax_so_reads_see_them(monkeypatch):
    # DAX is write-through: a write through DAX updates its item cache, a
    # write around it would leave the old item cached for the item TTL.
    calls = []

    class FakeTable:
        def put_item(self, **kw):
            calls.append("put_item")

        def update_item(self, **kw):
            calls.append("update_item")
            return {"Attributes": {"userId": "alice", "todoId": "t1", "title": "new"}}

        def delete_item(self, **kw):
            calls.append("delete_item")

    class FakeDax:
        @staticmethod
        def resource(endpoint_url):
            return types.SimpleNamespace(Table=lambda name: FakeTable())

    monkeypatch.setitem(sys.modules, "amazondax", types.SimpleNamespace(AmazonDaxClient=FakeDax))
    monkeypatch.setenv("TABLE_NAME", TABLE)
    monkeypatch.setenv("DAX_ENDPOINT", "daxs://cluster.abc.dax-clusters.us-east-1.amazonaws.com")
    with mock_aws():
        api = load_handler("todo.template.json", "TodoApiFunction")
        assert call(api, "POST", "/todos", body={"title": "Buy tea"})[0] == 201
        assert call(api, "PUT", "/todos/{todoId}", path={"todoId": "t1"}, body={"title": "new"})[0] == 200
        assert call(api, "DELETE", "/todos/{todoId}", path={"todoId": "t1"})[0] == 204
    assert calls == ["put_item", "update_item", "delete_item"]


def test_without_the_client_layer_one_warning_and_dynamodb(monkeypatch, caplog):
    # An endpoint without the amazondax package: no stack trace, one line.
    monkeypatch.setitem(sys.modules, "amazondax", None)
    monkeypatch.setenv("TABLE_NAME", TABLE)
    monkeypatch.setenv("DAX_ENDPOINT", "daxs://cluster.abc.dax-clusters.us-east-1.amazonaws.com")
    with mock_aws(), caplog.at_level("INFO"):
        load_handler("todo.template.json", "TodoApiFunction")
    dax = [r for r in caplog.records if "DAX" in r.getMessage()]
    assert len(dax) == 1 and dax[0].levelname == "WARNING" and dax[0].exc_info is None
