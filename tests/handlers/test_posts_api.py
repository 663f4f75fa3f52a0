"""The blog API handler (out/blog.template.json, PostsApiFunction) against
mocked tables shaped like the template's global tables."""

import json

import boto3
import pytest
from moto import mock_aws

from loader import load_handler


@pytest.fixture
def api(monkeypatch):
    with mock_aws():
        ddb = boto3.client("dynamodb")
        ddb.create_table(
            TableName="posts",
            AttributeDefinitions=[
                {"AttributeName": a, "AttributeType": "S"} for a in ("slug", "kind", "publishedAt")
            ],
            KeySchema=[{"AttributeName": "slug", "KeyType": "HASH"}],
            GlobalSecondaryIndexes=[{
                "IndexName": "byDate",
                "KeySchema": [
                    {"AttributeName": "kind", "KeyType": "HASH"},
                    {"AttributeName": "publishedAt", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }],
            BillingMode="PAY_PER_REQUEST",
        )
        ddb.create_table(
            TableName="subscribers",
            AttributeDefinitions=[{"AttributeName": "email", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "email", "KeyType": "HASH"}],
            BillingMode="PAY_PER_REQUEST",
        )
        monkeypatch.setenv("POSTS_TABLE", "posts")
        monkeypatch.setenv("SUBSCRIBERS_TABLE", "subscribers")
        monkeypatch.setenv("POSTS_BY_DATE_INDEX", "byDate")
        yield load_handler("blog.template.json", "PostsApiFunction")


def call(api, method, resource, body=None, path=None, qs=None):
    r = api.handler({
        "httpMethod": method, "resource": resource, "pathParameters": path,
        "queryStringParameters": qs,
        "body": None if body is None else (body if isinstance(body, str) else json.dumps(body)),
    }, None)
    return r["statusCode"], json.loads(r["body"]), r["headers"]


def publish(api, slug, title="T"):
    return call(api, "POST", "/api/posts", body={"slug": slug, "title": title, "body": "Hello " + slug, "tags": ["a", "a", "b"]})


def test_publish_then_read(api):
    status, post, headers = publish(api, "hello-world")
    assert status == 201 and post["tags"] == ["a", "b"] and headers["Cache-Control"] == "no-store"
    status, again, _ = publish(api, "hello-world", "New title")
    assert status == 200 and again["publishedAt"] == post["publishedAt"]
    status, got, headers = call(api, "GET", "/api/posts/{slug}", path={"slug": "hello-world"})
    assert status == 200 and got["title"] == "New title" and got["body"] == "Hello hello-world"
    assert headers["Cache-Control"] == "public, max-age=300"
    assert call(api, "GET", "/api/posts/{slug}", path={"slug": "missing"})[0] == 404
    assert call(api, "GET", "/api/posts/{slug}", path={"slug": "Bad Slug"})[0] == 404


def test_list_is_newest_first_and_pages(api):
    for slug in ("one", "two", "three"):
        publish(api, slug)
    status, page, headers = call(api, "GET", "/api/posts", qs={"limit": "2"})
    assert status == 200 and headers["Cache-Control"] == "public, max-age=60"
    assert [p["slug"] for p in page["posts"]] == ["three", "two"]
    assert "body" not in page["posts"][0]
    status, rest, _ = call(api, "GET", "/api/posts", qs={"limit": "2", "next": page["next"]})
    assert [p["slug"] for p in rest["posts"]] == ["one"]
    assert call(api, "GET", "/api/posts", qs={"limit": "0"})[0] == 400
    assert call(api, "GET", "/api/posts", qs={"next": "x"})[0] == 400


@pytest.mark.parametrize("body, field", [
    ({"title": "t", "body": "b"}, "slug"),
    ({"slug": "Not Valid", "title": "t", "body": "b"}, "slug"),
    ({"slug": "ok", "body": "b"}, "title"),
    ({"slug": "ok", "title": "t", "body": ""}, "body"),
    ({"slug": "ok", "title": "t", "body": "b", "tags": "x"}, "tags"),
])
def test_publishing_validates(api, body, field):
    status, error, _ = call(api, "POST", "/api/posts", body=body)
    assert status == 400 and error["field"] == field


def subscriber(email):
    return boto3.resource("dynamodb").Table("subscribers").get_item(Key={"email": email}).get("Item")


def link_event(email, token):
    # As API Gateway's REST proxy passes a click on the emailed link.
    return {"resource": "/api/subscribers/confirm", "path": "/api/subscribers/confirm", "httpMethod": "GET",
            "headers": {"Accept": "text/html"}, "pathParameters": None, "body": None, "isBase64Encoded": False,
            "queryStringParameters": {"email": email, "token": token}}


def confirm_event(email, token):
    # As API Gateway's REST proxy passes the page's form (base64, as it
    # encodes form posts through CloudFront).
    import base64
    from urllib.parse import urlencode
    body = base64.b64encode(urlencode({"email": email, "token": token}).encode()).decode()
    return {"resource": "/api/subscribers/confirm", "path": "/api/subscribers/confirm", "httpMethod": "POST",
            "headers": {"Content-Type": "application/x-www-form-urlencoded"}, "pathParameters": None,
            "body": body, "isBase64Encoded": True, "queryStringParameters": None}


def test_opening_the_link_shows_a_button_and_changes_nothing(api):
    call(api, "POST", "/api/subscribers", body={"email": "reader@example.com"})
    token = subscriber("reader@example.com")["token"]
    shown = api.handler(link_event("reader@example.com", token), None)
    assert shown["statusCode"] == 200 and shown["headers"]["Cache-Control"] == "no-store"
    assert 'method=post action=/api/subscribers/confirm' in shown["body"]
    assert 'name=token value="%s"' % token in shown["body"]
    assert subscriber("reader@example.com")["status"] == "pending"
    bad = api.handler(link_event("<b>@example.com", token), None)
    assert bad["statusCode"] == 400 and "<b>" not in bad["body"]


def test_subscribing_is_pending_until_confirmed(api):
    status, out, _ = call(api, "POST", "/api/subscribers", body={"email": " Reader@Example.com ", "name": "Ann"})
    assert status == 202 and out["status"] == "pending" and out["email"] == "reader@example.com"
    item = subscriber("reader@example.com")
    assert item["status"] == "pending" and item["name"] == "Ann"
    token = item["token"]
    assert len(token) >= 40
    # Subscribing again neither reveals the address nor mints a new link.
    status, out, _ = call(api, "POST", "/api/subscribers", body={"email": "reader@example.com"})
    assert status == 202 and out["status"] == "pending"
    assert subscriber("reader@example.com")["token"] == token
    assert call(api, "POST", "/api/subscribers", body={"email": "nope"})[0] == 400
    assert call(api, "POST", "/api/subscribers", body="{")[0] == 400


def test_the_emailed_token_confirms_once(api):
    call(api, "POST", "/api/subscribers", body={"email": "reader@example.com"})
    token = subscriber("reader@example.com")["token"]
    wrong = api.handler(confirm_event("reader@example.com", "x" * 43), None)
    assert wrong["statusCode"] == 400 and subscriber("reader@example.com")["status"] == "pending"
    ok = api.handler(confirm_event("Reader@example.com", token), None)
    assert ok["statusCode"] == 200 and ok["headers"]["Content-Type"].startswith("text/html")
    assert ok["headers"]["Cache-Control"] == "no-store"
    item = subscriber("reader@example.com")
    assert item["status"] == "confirmed" and "token" not in item and "confirmedAt" in item
    again = api.handler(confirm_event("reader@example.com", token), None)
    assert again["statusCode"] == 200 and "Already confirmed" in again["body"]
    unknown = api.handler(confirm_event("nobody@example.com", token), None)
    assert unknown["statusCode"] == 400
    missing = api.handler({**confirm_event("reader@example.com", token), "body": None, "isBase64Encoded": False}, None)
    assert missing["statusCode"] == 400
    escaped = api.handler(confirm_event("<b>@example.com", token), None)
    assert escaped["statusCode"] == 400 and "<b>" not in escaped["body"]


def test_unknown_routes(api):
    assert call(api, "GET", "/api/other")[0] == 404
    assert call(api, "DELETE", "/api/posts")[0] == 405


def not_found_event(path):
    # CloudFront's failover request, as API Gateway's REST proxy passes it.
    return {"resource": "/api/not-found/{proxy+}", "path": "/api/not-found/" + path, "httpMethod": "GET",
            "pathParameters": {"proxy": path}, "queryStringParameters": None, "body": None,
            "headers": {"Host": "abc123.execute-api.us-east-1.amazonaws.com"}, "isBase64Encoded": False}


def test_missing_site_files_get_the_sites_404_page(api, monkeypatch):
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="site")
    monkeypatch.setenv("SITE_BUCKET", "site")
    handler = load_handler("blog.template.json", "PostsApiFunction")
    fallback = handler.handler(not_found_event("no/such/page.html"), None)
    assert fallback["statusCode"] == 404 and "Not found" in fallback["body"]
    s3.put_object(Bucket="site", Key="404.html", Body=b"<h1>Lost? Try the archive.</h1>")
    page = handler.handler(not_found_event("no/such/page.html"), None)
    assert page["statusCode"] == 404
    assert page["body"] == "<h1>Lost? Try the archive.</h1>"
    assert page["headers"]["Content-Type"].startswith("text/html")
    # The API's own errors stay JSON.
    status, out, headers = call(handler, "GET", "/api/posts/{slug}", path={"slug": "missing"})
    assert status == 404 and out == {"error": "post not found"} and headers["Content-Type"] == "application/json"
