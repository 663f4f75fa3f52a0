"""The welcome email handler (WelcomeEmailFunction) against mocked SES, fed
stream records shaped like the subscribers table's."""

import boto3
import pytest
from moto import mock_aws
from moto.ses.models import ses_backends

from loader import handler_source, load_handler


def record(seq, email, name=None, event="INSERT"):
    image = {"email": {"S": email}}
    if name:
        image["name"] = {"S": name}
    return {"eventID": seq, "eventName": event, "dynamodb": {"SequenceNumber": seq, "NewImage": image}}


@pytest.fixture
def welcome(monkeypatch):
    with mock_aws():
        ses = boto3.client("ses")
        ses.verify_email_identity(EmailAddress="news@example.com")
        ses.create_template(Template={
            "TemplateName": "welcome", "SubjectPart": "Welcome",
            "TextPart": "Hi {{name}}, see {{site_url}}", "HtmlPart": "<p>Hi {{name}}</p>",
        })
        monkeypatch.setenv("SENDER", "news@example.com")
        monkeypatch.setenv("TEMPLATE_NAME", "welcome")
        monkeypatch.setenv("SITE_URL", "https://d111.cloudfront.net")
        yield load_handler("blog.template.json", "WelcomeEmailFunction")


def sent():
    return ses_backends["123456789012"]["us-east-1"].sent_messages


def test_inserts_get_a_templated_email(welcome):
    out = welcome.handler({"Records": [
        record("1", "ann@example.com", "Ann"),
        record("2", "bob@example.com", event="MODIFY"),
    ]}, None)
    assert out == {"batchItemFailures": []}
    messages = sent()
    assert len(messages) == 1
    assert messages[0].destinations["ToAddresses"] == ["ann@example.com"]
    assert messages[0].template == "welcome"
    assert '"name": "Ann"' in messages[0].template_data
    assert '"site_url": "https://d111.cloudfront.net"' in messages[0].template_data


def test_failures_are_reported_per_record(welcome, monkeypatch):
    monkeypatch.setenv("TEMPLATE_NAME", "missing-template")
    failing = load_handler("blog.template.json", "WelcomeEmailFunction")
    out = failing.handler({"Records": [record("7", "ann@example.com")]}, None)
    assert out == {"batchItemFailures": [{"itemIdentifier": "7"}]}


def test_a_failure_stops_the_batch_so_later_records_are_not_sent_twice(welcome):
    # Lambda resumes a stream from the lowest reported sequence number, so
    # records after a failure come again: they must not have been sent yet.
    out = welcome.handler({"Records": [
        record("1", "ann@example.com"),
        record("2", "not-an-address"),
        record("3", "cid@example.com"),
    ]}, None)
    assert out == {"batchItemFailures": [{"itemIdentifier": "2"}]}
    assert [m.destinations["ToAddresses"] for m in sent()] == [["ann@example.com"]]


def test_a_record_without_an_email_is_skipped_not_retried(welcome):
    bad = {"eventID": "5", "eventName": "INSERT", "dynamodb": {"SequenceNumber": "5", "NewImage": {"name": {"S": "X"}}}}
    out = welcome.handler({"Records": [bad, record("6", "dee@example.com")]}, None)
    assert out == {"batchItemFailures": []}
    messages = sent()
    assert len(messages) == 1 and messages[0].destinations["ToAddresses"] == ["dee@example.com"]
    assert '"name": "there"' in messages[0].template_data


def test_the_configuration_set_is_passed_when_set(welcome, monkeypatch):
    calls = []
    monkeypatch.setenv("CONFIGURATION_SET", "blog-email")
    fn = load_handler("blog.template.json", "WelcomeEmailFunction")
    monkeypatch.setattr(fn.ses, "send_templated_email", lambda **kw: calls.append(kw) or {"MessageId": "x"})
    assert fn.handler({"Records": [record("8", "eve@example.com")]}, None) == {"batchItemFailures": []}
    assert calls[0]["ConfigurationSetName"] == "blog-email"
    assert calls[0]["Source"] == "news@example.com" and calls[0]["Template"] == "welcome"


def test_the_ses_template_bodies_keep_their_placeholders():
    import json, pathlib
    doc = json.loads((pathlib.Path(__file__).resolve().parents[2] / "out" / "blog.template.json").read_text())
    template = doc["Resources"]["WelcomeEmailTemplate"]["Properties"]["Template"]
    for part in ("HtmlPart", "TextPart"):
        assert "{{name}}" in template[part] and "{{site_url}}" in template[part]
        assert "The Global Blog" in template[part]
    assert "def handler" in handler_source("blog.template.json", "WelcomeEmailFunction")
