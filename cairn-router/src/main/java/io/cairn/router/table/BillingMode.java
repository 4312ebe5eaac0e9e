package io.cairn.router.table;

/** How a table pays for capacity; the names are DynamoDB's wire values. */
public enum BillingMode {
  PROVISIONED,
  PAY_PER_REQUEST
}
