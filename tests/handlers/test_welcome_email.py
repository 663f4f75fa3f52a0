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


def test_the_ses_template_bodies_keep_their_placeholders():
    import json, pathlib
    doc = json.loads((pathlib.Path(__file__).resolve().parents[2] / "out" / "blog.template.json").read_text())
    template = doc["Resources"]["WelcomeEmailTemplate"]["Properties"]["Template"]
    for part in ("HtmlPart", "TextPart"):
        assert "{{name}}" in template[part] and "{{site_url}}" in template[part]
        assert "The Global Blog" in template[part]
    assert "def handler" in handler_source("blog.template.json", "WelcomeEmailFunction")
