#!/usr/bin/env python3
"""boto3 smoke test for a DynamoDB-compatible endpoint (Cairn or DynamoDB Local).

    python3 boto3-smoke.py http://127.0.0.1:8000

Uses both the resource and the client APIs: tables, items of every type, update expressions,
queries, scans, batch writes and gets, paginators, and a conditional-check failure. Exits non-zero
on the first mismatch with what was expected and what came back.
"""
import os
import sys
import uuid
from decimal import Decimal

import boto3
from boto3.dynamodb.conditions import Attr, Key
from botocore.config import Config
from botocore.exceptions import ClientError

STEP = "start"


def fail(message):
    print(f"boto3-smoke: FAIL at step '{STEP}': {message}", file=sys.stderr)
    sys.exit(1)


def check(condition, what, got=None):
    if not condition:
        fail(f"{what}; got: {got!r}")


def step(name):
    global STEP
    STEP = name


def main():
    if len(sys.argv) != 2:
        print("usage: boto3-smoke.py ENDPOINT_URL", file=sys.stderr)
        sys.exit(2)
    endpoint = sys.argv[1]
    for var in ("AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        os.environ[var] = "/dev/null"
    session = boto3.session.Session(
        aws_access_key_id="AKIDCAIRNTEST", aws_secret_access_key="cairn-test-secret", region_name="us-east-1")
    config = Config(retries={"max_attempts": 2, "mode": "standard"}, connect_timeout=5, read_timeout=30)
    resource = session.resource("dynamodb", endpoint_url=endpoint, config=config)
    client = session.client("dynamodb", endpoint_url=endpoint, config=config)
    print(f"boto3-smoke: boto3 {boto3.__version__} against {endpoint}")

    name = "boto3_smoke_" + uuid.uuid4().hex[:8]
    step("create_table")
    table = resource.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"}],
        BillingMode="PAY_PER_REQUEST")
    table.wait_until_exists()
    try:
        exercise(resource, client, table, name)
    finally:
        step("delete_table")
        try:
            client.delete_table(TableName=name)
        except ClientError:
            pass
    step("table gone")
    client.get_waiter("table_not_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
    check(name not in client.list_tables()["TableNames"], "deleted table not listed")
    print("boto3-smoke: OK")


def exercise(resource, client, table, name):
    step("describe_table")
    description = client.describe_table(TableName=name)["Table"]
    check(description["TableStatus"] == "ACTIVE", "table ACTIVE", description["TableStatus"])
    check([k["AttributeName"] for k in description["KeySchema"]] == ["pk", "sk"], "key schema", description["KeySchema"])

    step("put_item (resource), every type")
    item = {
        "pk": "user#1", "sk": 1, "s": "héllo", "n": Decimal("3.14"), "b": b"\x00\x01\xff",
        "bool": True, "null": None, "l": [1, "two", {"three": 3}], "m": {"nested": {"deep": [True]}},
        "ss": {"a", "b"}, "ns": {1, 2}, "bs": {b"x", b"y"},
    }
    table.put_item(Item=item)
    got = table.get_item(Key={"pk": "user#1", "sk": 1}, ConsistentRead=True).get("Item")
    check(got is not None, "item read back", got)
    check(got["s"] == "héllo" and got["n"] == Decimal("3.14"), "string and number", got)
    check(bytes(got["b"].value) == b"\x00\x01\xff", "binary", got.get("b"))
    check(got["bool"] is True and got["null"] is None, "bool and null", got)
    check(got["l"] == [1, "two", {"three": 3}] and got["m"] == {"nested": {"deep": [True]}}, "list and map", got)
    check(got["ss"] == {"a", "b"} and got["ns"] == {1, 2}, "string and number sets", got)
    check({bytes(v.value) for v in got["bs"]} == {b"x", b"y"}, "binary set", got.get("bs"))

    step("put_item ReturnValues=ALL_OLD")
    old = table.put_item(Item={"pk": "user#1", "sk": 1, "s": "replaced"}, ReturnValues="ALL_OLD")
    check(old.get("Attributes", {}).get("s") == "héllo", "old item returned", old.get("Attributes"))

    step("batch_writer")
    with table.batch_writer() as batch:
        for i in range(2, 31):
            batch.put_item(Item={"pk": "user#1", "sk": i, "even": i % 2 == 0, "payload": "x" * i})
        for i in range(1, 6):
            batch.put_item(Item={"pk": "user#2", "sk": i})

    step("query (resource)")
    result = table.query(KeyConditionExpression=Key("pk").eq("user#1") & Key("sk").between(5, 9))
    check([i["sk"] for i in result["Items"]] == [5, 6, 7, 8, 9], "between 5 and 9 ascending", result["Items"])
    result = table.query(KeyConditionExpression=Key("pk").eq("user#1"), ScanIndexForward=False, Limit=3)
    check([i["sk"] for i in result["Items"]] == [30, 29, 28], "descending with limit", result["Items"])
    check(result.get("LastEvaluatedKey") == {"pk": "user#1", "sk": 28}, "LastEvaluatedKey", result.get("LastEvaluatedKey"))
    result = table.query(KeyConditionExpression=Key("pk").eq("user#1"), FilterExpression=Attr("even").eq(True))
    check(result["Count"] == 15 and result["ScannedCount"] == 30, "filter counts", (result["Count"], result["ScannedCount"]))

    step("query paginator (client)")
    paginator = client.get_paginator("query")
    pages = list(paginator.paginate(TableName=name, KeyConditionExpression="pk = :p",
                                    ExpressionAttributeValues={":p": {"S": "user#1"}}, PaginationConfig={"PageSize": 7}))
    sks = [int(i["sk"]["N"]) for p in pages for i in p["Items"]]
    check(sks == list(range(1, 31)), "all sort keys in order across pages", sks)
    check(len(pages) >= 5, "30 items in pages of 7 need at least 5 pages", len(pages))

    step("scan paginator (client), parallel segments")
    scan_pages = client.get_paginator("scan")
    total = 0
    for segment in range(3):
        for page in scan_pages.paginate(TableName=name, Segment=segment, TotalSegments=3, PaginationConfig={"PageSize": 4}):
            total += page["Count"]
    check(total == 35, "parallel scan sees 35 items", total)
    result = table.scan(FilterExpression=Attr("pk").eq("user#2"))
    check(result["Count"] == 5, "filtered scan", result["Count"])

    step("update_item (resource)")
    result = table.update_item(
        Key={"pk": "user#1", "sk": 2},
        UpdateExpression="SET payload = :p, tags = list_append(if_not_exists(tags, :empty), :t) ADD visits :one REMOVE even",
        ExpressionAttributeValues={":p": "new", ":t": ["x"], ":empty": [], ":one": 1},
        ReturnValues="UPDATED_NEW")
    check(result["Attributes"] == {"payload": "new", "tags": ["x"], "visits": 1}, "UPDATED_NEW", result["Attributes"])

    step("conditional check failure (client)")
    try:
        client.put_item(TableName=name, Item={"pk": {"S": "user#1"}, "sk": {"N": "2"}},
                        ConditionExpression="attribute_not_exists(pk)")
        fail("put with attribute_not_exists on an existing item must fail")
    except client.exceptions.ConditionalCheckFailedException as e:
        check(e.response["Error"]["Code"] == "ConditionalCheckFailedException", "error code", e.response["Error"])
    try:
        table.delete_item(Key={"pk": "user#1", "sk": 2}, ConditionExpression=Attr("visits").gt(5))
        fail("delete with a false condition must fail")
    except ClientError as e:
        check(e.response["Error"]["Code"] == "ConditionalCheckFailedException", "error code", e.response["Error"])

    step("validation error")
    try:
        client.get_item(TableName=name, Key={"pk": {"N": "1"}, "sk": {"N": "1"}})
        fail("a key of the wrong type must be rejected")
    except ClientError as e:
        check(e.response["Error"]["Code"] == "ValidationException", "ValidationException", e.response["Error"])

    step("delete_item (resource)")
    result = table.delete_item(Key={"pk": "user#2", "sk": 1}, ReturnValues="ALL_OLD")
    check(result.get("Attributes") == {"pk": "user#2", "sk": 1}, "ALL_OLD", result.get("Attributes"))
    check("Item" not in table.get_item(Key={"pk": "user#2", "sk": 1}), "deleted")

    step("batch_get_item (client)")
    keys = [{"pk": {"S": "user#2"}, "sk": {"N": str(i)}} for i in range(1, 6)]
    result = client.batch_get_item(RequestItems={name: {"Keys": keys}})
    check(len(result["Responses"][name]) == 4 and not result.get("UnprocessedKeys"), "4 of 5 found",
          result["Responses"][name])

    step("list_tables paginator")
    names = [n for page in client.get_paginator("list_tables").paginate(PaginationConfig={"PageSize": 1})
             for n in page["TableNames"]]
    check(name in names, "table listed", names)


if __name__ == "__main__":
    main()
