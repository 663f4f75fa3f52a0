"""Processes uploads: S3 notifies the queue, the queue invokes this function
with a batch of messages. Each object's metadata is read and logged; a
message that fails is reported alone (partial batch response), so only it is
retried and, after the queue's max receive count, moved to the dead-letter
queue."""

import json
import logging
import urllib.parse

import boto3

s3 = boto3.client("s3")
log = logging.getLogger()
log.setLevel(logging.INFO)


def handler(event, context):
    failures = []
    for record in event["Records"]:
        try:
            process(json.loads(record["body"]))
        except Exception:
            log.exception("message %s failed", record["messageId"])
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}


def process(message):
    # S3 sends one s3:TestEvent when the notification is configured.
    if message.get("Event") == "s3:TestEvent":
        return
    for r in message.get("Records", []):
        bucket = r["s3"]["bucket"]["name"]
        key = urllib.parse.unquote_plus(r["s3"]["object"]["key"])
        head = s3.head_object(Bucket=bucket, Key=key)
        log.info(json.dumps({
            "bucket": bucket,
            "key": key,
            "bytes": head["ContentLength"],
            "content_type": head.get("ContentType"),
        }))
