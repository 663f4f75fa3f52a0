"""The welcome email handler (WelcomeEmailFunction) against mocked SES, fed
stream records shaped like the subscribers table's."""

import json

import boto3
import pytest
from moto import mock_aws
from moto.ses.models import ses_backends

from loader import handler_source, load_handler


def image(email, status, name=None, token=None):
    out = {"email": {"S": email}, "status": {"S": status}, "subscribedAt": {"S": "2026-11-29T19:00:00.000Z"}}
    if name:
        out["name"] = {"S": name}
    if token:
        out["token"] = {"S": token}
    return out


def record(seq, event, new, old=None):
    # The shape of a DynamoDB stream record (NEW_AND_OLD_IMAGES) as Lambda delivers it.
    dynamodb = {"Keys": {"email": new["email"]}, "NewImage": new, "SequenceNumber": seq,
                "SizeBytes": 120, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    if old:
        dynamodb["OldImage"] = old
    return {"eventID": seq, "eventName": event, "eventVersion": "1.1", "eventSource": "aws:dynamodb",
            "awsRegion": "us-east-1", "dynamodb": dynamodb,
            "eventSourceARN": "arn:aws:dynamodb:us-east-1:123456789012:table/subs/stream/2026-11-29T00:00:00.000"}


TOKEN = "Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmE"


@pytest.fixture
def welcome(monkeypatch):
    with mock_aws():
        ses = boto3.client("ses")
        ses.verify_email_identity(EmailAddress="news@example.com")
        for name in ("welcome", "confirm"):
            ses.create_template(Template={
                "TemplateName": name, "SubjectPart": name,
                "TextPart": "Hi {{name}}, see {{site_url}}", "HtmlPart": "<p>Hi {{name}}</p>",
            })
        ses.create_configuration_set(ConfigurationSet={"Name": "blog-events"})
        monkeypatch.setenv("SENDER", "news@example.com")
        monkeypatch.setenv("TEMPLATE_NAME", "welcome")
        monkeypatch.setenv("CONFIRM_TEMPLATE_NAME", "confirm")
        monkeypatch.setenv("CONFIGURATION_SET", "blog-events")
        monkeypatch.setenv("SITE_URL", "https://d111.cloudfront.net")
        yield load_handler("blog.template.json", "WelcomeEmailFunction")


def sent():
    return ses_backends["123456789012"]["us-east-1"].sent_messages


def test_a_new_subscriber_gets_a_confirmation_link_not_a_welcome(welcome):
    out = welcome.handler({"Records": [record("1", "INSERT", image("ann+blog@example.com", "pending", "Ann", TOKEN))]}, None)
    assert out == {"batchItemFailures": []}
    [message] = sent()
    assert message.destinations["ToAddresses"] == ["ann+blog@example.com"]
    assert message.template == "confirm"
    data = json.loads(message.template_data)
    assert data["name"] == "Ann"
    assert data["confirm_url"] == ("https://d111.cloudfront.net/api/subscribers/confirm?"
                                   "email=ann%2Bblog%40example.com&token=" + TOKEN)


def test_confirming_sends_the_welcome_once(welcome):
    pending = image("bob@example.com", "pending", token=TOKEN)
    confirmed = image("bob@example.com", "confirmed")
    out = welcome.handler({"Records": [
        record("2", "MODIFY", confirmed, pending),
        # Later changes of a confirmed subscriber send nothing.
        record("3", "MODIFY", confirmed, confirmed),
        record("4", "REMOVE", confirmed, confirmed),
    ]}, None)
    assert out == {"batchItemFailures": []}
    [message] = sent()
    assert message.template == "welcome"
    assert json.loads(message.template_data) == {
        "name": "there", "email": "bob@example.com", "site_url": "https://d111.cloudfront.net"}


def pending(seq, email):
    return record(seq, "INSERT", image(email, "pending", token=TOKEN))


def test_a_failure_is_reported_and_stops_the_batch(welcome, monkeypatch):
    monkeypatch.setenv("CONFIRM_TEMPLATE_NAME", "missing-template")
    failing = load_handler("blog.template.json", "WelcomeEmailFunction")
    out = failing.handler({"Records": [
        pending("7", "ann@example.com"),
        record("8", "MODIFY", image("bob@example.com", "confirmed"), image("bob@example.com", "pending")),
    ]}, None)
    # Record 8 comes again with 7 (Lambda resumes from 7), so it is not sent now.
    assert out == {"batchItemFailures": [{"itemIdentifier": "7"}]}
    assert sent() == []


def test_a_failure_stops_the_batch_so_later_records_are_not_sent_twice(welcome):
    # Lambda resumes a stream from the lowest reported sequence number, so
    # records after a failure come again: they must not have been sent yet.
    out = welcome.handler({"Records": [
        pending("1", "ann@example.com"),
        pending("2", "not-an-address"),
        pending("3", "cid@example.com"),
    ]}, None)
    assert out == {"batchItemFailures": [{"itemIdentifier": "2"}]}
    assert [m.destinations["ToAddresses"] for m in sent()] == [["ann@example.com"]]


def test_a_record_without_an_email_is_skipped_not_retried(welcome):
    bad = {"eventID": "5", "eventName": "INSERT", "dynamodb": {"SequenceNumber": "5", "NewImage": {"name": {"S": "X"}}}}
    out = welcome.handler({"Records": [bad, pending("6", "dee@example.com")]}, None)
    assert out == {"batchItemFailures": []}
    messages = sent()
    assert len(messages) == 1 and messages[0].destinations["ToAddresses"] == ["dee@example.com"]
    assert '"name": "there"' in messages[0].template_data


def test_the_configuration_set_is_passed_when_set(welcome, monkeypatch):
    calls = []
    monkeypatch.setenv("CONFIGURATION_SET", "blog-email")
    fn = load_handler("blog.template.json", "WelcomeEmailFunction")
    monkeypatch.setattr(fn.ses, "send_templated_email", lambda **kw: calls.append(kw) or {"MessageId": "x"})
    confirm = record("8", "MODIFY", image("eve@example.com", "confirmed"), image("eve@example.com", "pending"))
    assert fn.handler({"Records": [confirm]}, None) == {"batchItemFailures": []}
    assert calls[0]["ConfigurationSetName"] == "blog-email"
    assert calls[0]["Source"] == "news@example.com" and calls[0]["Template"] == "welcome"


def test_the_ses_template_bodies_keep_their_placeholders():
    import json, pathlib
    doc = json.loads((pathlib.Path(__file__).resolve().parents[2] / "out" / "blog.template.json").read_text())
    template = doc["Resources"]["WelcomeEmailTemplate"]["Properties"]["Template"]
    for part in ("HtmlPart", "TextPart"):
        assert "{{name}}" in template[part] and "{{site_url}}" in template[part]
        assert "The Global Blog" in template[part]
    confirm = doc["Resources"]["ConfirmEmailTemplate"]["Properties"]["Template"]
    # Text bodies are not HTML: the link must not be entity-escaped.
    assert "{{{confirm_url}}}" in confirm["TextPart"]
    assert 'href="{{confirm_url}}"' in confirm["HtmlPart"]
    assert "def handler" in handler_source("blog.template.json", "WelcomeEmailFunction")
