#!/usr/bin/env bash
# AWS CLI smoke test for a DynamoDB-compatible endpoint (Cairn or DynamoDB Local).
#
#   cli-smoke.sh http://127.0.0.1:8000
#
# Drives create-table, put-item, get-item, query, scan, update-item (with an expression and a
# failing condition), delete-item, batch-write-item, describe-table, list-tables and delete-table
# through the real `aws` command with fixed dummy credentials, and checks every output. Exits
# non-zero on the first mismatch, printing what was expected and what came back. Works with AWS CLI
# v1 and v2; the checks use python3 (always present where the AWS CLI is), not jq.
set -euo pipefail

ENDPOINT="${1:?usage: cli-smoke.sh ENDPOINT_URL}"
export AWS_ACCESS_KEY_ID=AKIDCAIRNTEST
export AWS_SECRET_ACCESS_KEY=cairn-test-secret
export AWS_DEFAULT_REGION=us-east-1
export AWS_PAGER=""
export AWS_CONFIG_FILE=/dev/null
export AWS_SHARED_CREDENTIALS_FILE=/dev/null
export AWS_EC2_METADATA_DISABLED=true
PYTHON="${PYTHON:-python3}"
TABLE="cli_smoke_$$_${RANDOM}"
STEP=""

command -v aws >/dev/null || { echo "cli-smoke: FAIL: the aws command is not on PATH" >&2; exit 2; }
command -v "$PYTHON" >/dev/null || { echo "cli-smoke: FAIL: $PYTHON is not on PATH" >&2; exit 2; }

ddb() { aws dynamodb --endpoint-url "$ENDPOINT" --output json "$@"; }

fail() { echo "cli-smoke: FAIL at step '$STEP': $*" >&2; exit 1; }

# expect JSON PY_EXPR DESCRIPTION: evaluates PY_EXPR with the parsed JSON bound to d.
expect() {
  local json="$1" expr="$2" what="$3"
  if ! "$PYTHON" -c '
import json, sys
d = json.loads(sys.argv[1]) if sys.argv[1].strip() else {}
sys.exit(0 if eval(sys.argv[2]) else 1)
' "$json" "$expr"; then
    fail "$what: expected ($expr) to hold for: $json"
  fi
}

cleanup() { ddb delete-table --table-name "$TABLE" >/dev/null 2>&1 || true; }
trap cleanup EXIT

echo "cli-smoke: $(aws --version 2>&1 | head -1) against $ENDPOINT, table $TABLE"

STEP="create-table"
out=$(ddb create-table --table-name "$TABLE" \
  --attribute-definitions AttributeName=pk,AttributeType=S AttributeName=sk,AttributeType=N \
  --key-schema AttributeName=pk,KeyType=HASH AttributeName=sk,KeyType=RANGE \
  --billing-mode PAY_PER_REQUEST)
expect "$out" "d['TableDescription']['TableName'] == '$TABLE'" "table name"
expect "$out" "[k['KeyType'] for k in d['TableDescription']['KeySchema']] == ['HASH', 'RANGE']" "key schema"
ddb wait table-exists --table-name "$TABLE"

STEP="put-item"
out=$(ddb put-item --table-name "$TABLE" --return-consumed-capacity TOTAL \
  --item '{"pk":{"S":"user#1"},"sk":{"N":"1"},"name":{"S":"Alice"},"tags":{"SS":["a","b"]},"score":{"N":"10.5"}}')
expect "$out" "d['ConsumedCapacity']['CapacityUnits'] == 1.0" "one write unit for a small item"
for sk in 2 3; do
  ddb put-item --table-name "$TABLE" --item "{\"pk\":{\"S\":\"user#1\"},\"sk\":{\"N\":\"$sk\"},\"name\":{\"S\":\"n$sk\"}}" >/dev/null
done

STEP="get-item"
out=$(ddb get-item --table-name "$TABLE" --consistent-read --key '{"pk":{"S":"user#1"},"sk":{"N":"1"}}')
expect "$out" "d['Item']['name'] == {'S': 'Alice'}" "name"
expect "$out" "sorted(d['Item']['tags']['SS']) == ['a', 'b']" "string set"
expect "$out" "d['Item']['score'] == {'N': '10.5'}" "number"

STEP="get-item with projection"
out=$(ddb get-item --table-name "$TABLE" --key '{"pk":{"S":"user#1"},"sk":{"N":"1"}}' \
  --projection-expression "#n" --expression-attribute-names '{"#n":"name"}')
expect "$out" "d['Item'] == {'name': {'S': 'Alice'}}" "projection"

STEP="query"
out=$(ddb query --table-name "$TABLE" --key-condition-expression "pk = :p AND sk >= :s" \
  --expression-attribute-values '{":p":{"S":"user#1"},":s":{"N":"2"}}')
expect "$out" "d['Count'] == 2 and [i['sk']['N'] for i in d['Items']] == ['2', '3']" "ascending range query"
out=$(ddb query --table-name "$TABLE" --key-condition-expression "pk = :p" --no-scan-index-forward \
  --expression-attribute-values '{":p":{"S":"user#1"}}')
expect "$out" "[i['sk']['N'] for i in d['Items']] == ['3', '2', '1']" "descending query"

STEP="scan"
out=$(ddb scan --table-name "$TABLE")
expect "$out" "d['Count'] == 3 and d['ScannedCount'] == 3" "scan count"
out=$(ddb scan --table-name "$TABLE" --filter-expression "attribute_exists(tags)")
expect "$out" "d['Count'] == 1 and d['ScannedCount'] == 3" "filtered scan"

STEP="update-item"
out=$(ddb update-item --table-name "$TABLE" --key '{"pk":{"S":"user#1"},"sk":{"N":"1"}}' \
  --update-expression "SET #n = :v, score = score + :inc ADD visits :one REMOVE tags" \
  --expression-attribute-names '{"#n":"name"}' \
  --expression-attribute-values '{":v":{"S":"Bob"},":inc":{"N":"1.5"},":one":{"N":"1"}}' \
  --return-values ALL_NEW)
expect "$out" "d['Attributes']['name'] == {'S': 'Bob'}" "SET"
# DynamoDB Local prints 12.0, DynamoDB 12: compare the value, not the spelling.
expect "$out" "__import__('decimal').Decimal(d['Attributes']['score']['N']) == 12" "SET with +"
expect "$out" "d['Attributes']['visits'] == {'N': '1'}" "ADD"
expect "$out" "'tags' not in d['Attributes']" "REMOVE"

STEP="update-item with a failing condition"
set +e
err=$(ddb update-item --table-name "$TABLE" --key '{"pk":{"S":"user#1"},"sk":{"N":"1"}}' \
  --update-expression "SET #n = :v" --condition-expression "#n = :expected" \
  --expression-attribute-names '{"#n":"name"}' \
  --expression-attribute-values '{":v":{"S":"Carol"},":expected":{"S":"Nobody"}}' 2>&1 >/dev/null)
rc=$?
set -e
[ "$rc" -ne 0 ] || fail "a failing condition must make the command fail"
grep -q ConditionalCheckFailedException <<<"$err" || fail "expected ConditionalCheckFailedException, got: $err"

STEP="delete-item"
out=$(ddb delete-item --table-name "$TABLE" --key '{"pk":{"S":"user#1"},"sk":{"N":"1"}}' --return-values ALL_OLD)
expect "$out" "d['Attributes']['name'] == {'S': 'Bob'}" "old item returned"
out=$(ddb get-item --table-name "$TABLE" --key '{"pk":{"S":"user#1"},"sk":{"N":"1"}}')
expect "$out" "'Item' not in d" "item gone"

STEP="batch-write-item"
req=$("$PYTHON" -c '
import json, sys
t = sys.argv[1]
print(json.dumps({t: [{"PutRequest": {"Item": {"pk": {"S": "user#2"}, "sk": {"N": str(i)}, "v": {"S": "x" * i}}}} for i in range(1, 4)]
                     + [{"DeleteRequest": {"Key": {"pk": {"S": "user#1"}, "sk": {"N": "2"}}}}]}))' "$TABLE")
out=$(ddb batch-write-item --request-items "$req")
expect "$out" "not d.get('UnprocessedItems')" "nothing unprocessed"
out=$(ddb scan --table-name "$TABLE" --select COUNT)
expect "$out" "d['Count'] == 4" "1 left of user#1 plus 3 of user#2"

STEP="describe-table"
out=$(ddb describe-table --table-name "$TABLE")
expect "$out" "d['Table']['TableName'] == '$TABLE' and d['Table']['TableStatus'] == 'ACTIVE'" "active"
expect "$out" "d['Table']['TableArn'].endswith(':table/$TABLE')" "ARN"
expect "$out" "d['Table']['BillingModeSummary']['BillingMode'] == 'PAY_PER_REQUEST'" "billing mode"

STEP="list-tables"
out=$(ddb list-tables)
expect "$out" "'$TABLE' in d['TableNames']" "table listed"

STEP="delete-table"
out=$(ddb delete-table --table-name "$TABLE")
expect "$out" "d['TableDescription']['TableName'] == '$TABLE'" "deleted table described"
ddb wait table-not-exists --table-name "$TABLE"
out=$(ddb list-tables)
expect "$out" "'$TABLE' not in d['TableNames']" "table gone"
trap - EXIT

echo "cli-smoke: OK"
