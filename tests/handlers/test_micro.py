"""The micro services' handlers: the stream/queue consumer against mocked
DynamoDB, and the catalog API against an in-memory Redis double."""

import base64
import json
import sys
import types

import boto3
import pytest
from moto import mock_aws

from loader import load_handler


@pytest.fixture
def consumer(monkeypatch):
    with mock_aws():
        boto3.client("dynamodb").create_table(
            TableName="events",
            AttributeDefinitions=[{"AttributeName": "source", "AttributeType": "S"}, {"AttributeName": "id", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "source", "KeyType": "HASH"}, {"AttributeName": "id", "KeyType": "RANGE"}],
            BillingMode="PAY_PER_REQUEST",
        )
        monkeypatch.setenv("TABLE_NAME", "events")
        yield load_handler("micro/notifications.template.json", "ConsumerFunction")


def kinesis(seq, payload):
    return {"eventSource": "aws:kinesis", "eventSourceARN": "arn:aws:kinesis:us-east-1:1:stream/order-events",
            "kinesis": {"sequenceNumber": seq, "data": base64.b64encode(json.dumps(payload).encode()).decode()}}


def sqs(message_id, body):
    return {"eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:us-east-1:1:shop-signups", "messageId": message_id, "body": body}


def test_records_stream_and_queue_events_once(consumer):
    event = {"Records": [kinesis("1", {"order": 7}), sqs("m1", json.dumps({"user": "ann"})), sqs("m2", "plain text")]}
    assert consumer.handler(event, None) == {"batchItemFailures": []}
    assert consumer.handler(event, None) == {"batchItemFailures": []}  # redelivery is harmless
    items = boto3.resource("dynamodb").Table("events").scan()["Items"]
    assert len(items) == 3
    by_id = {i["id"]: i for i in items}
    assert by_id["1"]["source"] == "order-events" and by_id["1"]["payload"] == {"order": 7}
    assert by_id["m1"]["source"] == "shop-signups" and by_id["m1"]["payload"] == {"user": "ann"}
    assert by_id["m2"]["payload"] == {"raw": "plain text"}


def test_fractional_numbers_and_nested_maps_are_recorded_exactly(consumer):
    # Realistic events: prices with cents, nested maps and lists, a float in a
    # signup. boto3 refuses Python floats ("Float types are not supported"),
    # so the consumer must parse JSON numbers as Decimal.
    from decimal import Decimal
    order = {"orderId": "o-1001", "total": 59.97, "currency": "EUR",
             "lines": [{"sku": "tea-01", "qty": 3, "price": 19.99, "discount": {"rate": 0.15, "code": "WINTER"}}],
             "shipping": {"address": {"city": "Lyon", "geo": {"lat": 45.764, "lon": 4.8357}}, "cost": 0.0}}
    signup = {"user": "ann", "score": 0.875, "meta": {"referrer": None, "tags": ["beta", 1.5e-3]}}
    event = {"Records": [kinesis("10", order), sqs("m10", json.dumps(signup))]}
    assert consumer.handler(event, None) == {"batchItemFailures": []}
    by_id = {i["id"]: i for i in boto3.resource("dynamodb").Table("events").scan()["Items"]}
    payload = by_id["10"]["payload"]
    assert payload["total"] == Decimal("59.97")
    assert payload["lines"][0]["price"] == Decimal("19.99")
    assert payload["lines"][0]["discount"]["rate"] == Decimal("0.15")
    assert payload["shipping"]["address"]["geo"] == {"lat": Decimal("45.764"), "lon": Decimal("4.8357")}
    assert by_id["m10"]["payload"]["score"] == Decimal("0.875")
    assert by_id["m10"]["payload"]["meta"]["tags"] == ["beta", Decimal("0.0015")]


def test_non_finite_numbers_are_kept_as_raw_text(consumer):
    # NaN and Infinity are not JSON and DynamoDB has no such number: the
    # message is recorded as text instead of failing the batch forever.
    event = {"Records": [sqs("m11", '{"price": NaN}')]}
    assert consumer.handler(event, None) == {"batchItemFailures": []}
    item = boto3.resource("dynamodb").Table("events").get_item(Key={"source": "shop-signups", "id": "m11"})["Item"]
    assert item["payload"] == {"raw": '{"price": NaN}'}


def test_failures_are_reported_per_record(consumer, monkeypatch):
    monkeypatch.setenv("TABLE_NAME", "missing-table")
    broken = load_handler("micro/notifications.template.json", "ConsumerFunction")
    out = broken.handler({"Records": [kinesis("9", {}), sqs("m9", "{}")]}, None)
    assert out == {"batchItemFailures": [{"itemIdentifier": "9"}, {"itemIdentifier": "m9"}]}


class FakeRedis:
    """The few redis-py calls the catalog handler makes."""

    def __init__(self, **kwargs):
        assert kwargs["ssl"] is True
        self.data, self.sets = {}, {}

    def ping(self):
        return True

    def get(self, k):
        return self.data.get(k)

    def mget(self, keys):
        return [self.data.get(k) for k in keys]

    def set(self, k, v):
        self.data[k] = v

    def sadd(self, k, v):
        self.sets.setdefault(k, set()).add(v)

    def srem(self, k, v):
        self.sets.get(k, set()).discard(v)

    def smembers(self, k):
        return set(self.sets.get(k, set()))

    def delete(self, k):
        return 1 if self.data.pop(k, None) is not None else 0

    def pipeline(self):
        parent, ops = self, []

        class Pipe:
            def set(self, *a):
                ops.append(("set", a))

            def sadd(self, *a):
                ops.append(("sadd", a))

            def execute(self):
                for name, a in ops:
                    getattr(parent, name)(*a)

        return Pipe()


@pytest.fixture
def catalog(monkeypatch):
    monkeypatch.setitem(sys.modules, "redis", types.SimpleNamespace(Redis=FakeRedis))
    monkeypatch.setenv("REDIS_HOST", "cache.local")
    monkeypatch.setenv("SERVICE_NAME", "catalog")
    monkeypatch.setenv("SERVICE_VERSION", "2.1.0")
    return load_handler("micro/catalog.template.json", "ApiFunction")


def call(api, method, resource, body=None, item_id=None):
    r = api.handler({"httpMethod": method, "resource": resource, "pathParameters": {"id": item_id} if item_id else None,
                     "body": None if body is None else json.dumps(body)}, None)
    return r["statusCode"], (json.loads(r["body"]) if r["body"] else None)


def test_catalog_items_roundtrip(catalog):
    assert call(catalog, "GET", "/health") == (200, {"service": "catalog", "version": "2.1.0", "status": "ok"})
    status, item = call(catalog, "POST", "/items", {"name": "Lamp", "attributes": {"price": 30}})
    assert status == 201 and item["name"] == "Lamp"
    assert call(catalog, "GET", "/items/{id}", item_id=item["id"])[1]["attributes"] == {"price": 30}
    assert call(catalog, "PUT", "/items/{id}", {"name": "Desk"}, item_id="desk-1")[0] == 200
    assert sorted(i["name"] for i in call(catalog, "GET", "/items")[1]["items"]) == ["Desk", "Lamp"]
    assert call(catalog, "DELETE", "/items/{id}", item_id="desk-1")[0] == 204
    assert call(catalog, "GET", "/items/{id}", item_id="desk-1")[0] == 404
    assert call(catalog, "POST", "/items", {"name": ""})[0] == 400
    assert call(catalog, "PATCH", "/items")[0] == 405


def test_catalog_without_the_redis_layer_reports_degraded(monkeypatch):
    monkeypatch.setitem(sys.modules, "redis", None)
    monkeypatch.setenv("REDIS_HOST", "cache.local")
    api = load_handler("micro/catalog.template.json", "ApiFunction")
    assert call(api, "GET", "/health")[0] == 503
    assert call(api, "GET", "/items")[0] == 500
