"""Drives a Cairn front end with boto3; prints one JSON object of observations for the Java test."""
import json
import sys

import boto3
import botocore.exceptions

endpoint = sys.argv[1]
client = boto3.client(
    "dynamodb",
    endpoint_url=endpoint,
    region_name="us-west-2",
    aws_access_key_id="AKIDBOTO",
    aws_secret_access_key="boto/secret",
)
out = {}
tables = client.list_tables()
out["tables"] = tables["TableNames"]
out["request_id"] = tables["ResponseMetadata"]["RequestId"]
put = client.put_item(
    TableName="t",
    Item={
        "s": {"S": "x"},
        "n": {"N": "1.50"},
        "b": {"B": b"\x00\xff"},
        "l": {"L": [{"BOOL": True}, {"NULL": True}]},
        "ss": {"SS": ["a", "b"]},
    },
)
out["echo_n"] = put["Attributes"]["n"]["N"]
out["echo_b"] = list(put["Attributes"]["b"]["B"])
try:
    client.get_item(TableName="missing", Key={"k": {"S": "v"}})
    out["missing"] = "no error"
except client.exceptions.ResourceNotFoundException as e:
    out["missing"] = e.response["Error"]["Code"]
bad = boto3.client(
    "dynamodb",
    endpoint_url=endpoint,
    region_name="us-west-2",
    aws_access_key_id="AKIDBOTO",
    aws_secret_access_key="wrong",
)
try:
    bad.list_tables()
    out["wrong_secret"] = "no error"
except botocore.exceptions.ClientError as e:
    out["wrong_secret"] = e.response["Error"]["Code"]
print(json.dumps(out))
