"""The thumbnail handler (ThumbnailFunction) against mocked S3 with real
images made by Pillow, fed SQS messages in both delivery styles."""

import io
import json

import boto3
import pytest
from moto import mock_aws
from PIL import Image

from loader import load_handler


def image_bytes(fmt, size=(1600, 900), mode="RGB"):
    buf = io.BytesIO()
    Image.new(mode, size, (200, 30, 30) if mode == "RGB" else (200, 30, 30, 128)).save(buf, fmt)
    return buf.getvalue()


def s3_event(key, bucket="uploads"):
    return {"Records": [{"s3": {"bucket": {"name": bucket}, "object": {"key": key}}}]}


def sqs(message_id, body):
    return {"messageId": message_id, "body": json.dumps(body)}


@pytest.fixture
def thumbs(monkeypatch):
    with mock_aws():
        s3 = boto3.client("s3")
        s3.create_bucket(Bucket="uploads")
        s3.create_bucket(Bucket="thumbs")
        monkeypatch.setenv("THUMBNAIL_BUCKET", "thumbs")
        monkeypatch.setenv("THUMBNAIL_SIZES", "128,512")
        yield s3, load_handler("blog.template.json", "ThumbnailFunction")


def dims(s3, key):
    body = s3.get_object(Bucket="thumbs", Key=key)["Body"].read()
    return Image.open(io.BytesIO(body)).size


def test_raw_and_enveloped_messages_make_every_size(thumbs):
    s3, fn = thumbs
    s3.put_object(Bucket="uploads", Key="uploads/trip/beach photo.jpg", Body=image_bytes("JPEG"))
    s3.put_object(Bucket="uploads", Key="uploads/logo.png", Body=image_bytes("PNG", (300, 600), "RGBA"))
    envelope = {"Type": "Notification", "Message": json.dumps(s3_event("uploads/logo.png"))}
    out = fn.handler({"Records": [
        sqs("m1", s3_event("uploads/trip/beach+photo.jpg")),
        sqs("m2", envelope),
        sqs("m3", {"Event": "s3:TestEvent"}),
    ]}, None)
    assert out == {"batchItemFailures": []}
    assert dims(s3, "thumbnails/128/trip/beach photo.jpg") == (128, 72)
    assert dims(s3, "thumbnails/512/trip/beach photo.jpg") == (512, 288)
    assert dims(s3, "thumbnails/128/logo.png") == (64, 128)
    head = s3.head_object(Bucket="thumbs", Key="thumbnails/512/logo.png")
    assert head["ContentType"] == "image/png"
    assert "immutable" in head["CacheControl"]


def test_non_images_are_skipped_and_corrupt_images_fail_their_message(thumbs):
    s3, fn = thumbs
    s3.put_object(Bucket="uploads", Key="uploads/notes.txt", Body=b"text")
    s3.put_object(Bucket="uploads", Key="uploads/broken.jpg", Body=b"not really a jpeg")
    out = fn.handler({"Records": [
        sqs("ok", s3_event("uploads/notes.txt")),
        sqs("bad", s3_event("uploads/broken.jpg")),
    ]}, None)
    assert out == {"batchItemFailures": [{"itemIdentifier": "bad"}]}
    assert s3.list_objects_v2(Bucket="thumbs").get("KeyCount") == 0


def test_writes_never_go_to_the_uploads_bucket(thumbs):
    s3, fn = thumbs
    s3.put_object(Bucket="uploads", Key="uploads/a.gif", Body=image_bytes("GIF", (50, 50)))
    fn.handler({"Records": [sqs("m", s3_event("uploads/a.gif"))]}, None)
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket="uploads")["Contents"]]
    assert keys == ["uploads/a.gif"]
