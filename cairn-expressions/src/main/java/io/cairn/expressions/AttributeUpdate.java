package io.cairn.expressions;

import io.cairn.core.value.AttributeValue;

/**
 * One entry of the legacy AttributeUpdates parameter. {@code action} is "PUT", "ADD" or "DELETE"
 * (null means PUT, DynamoDB's default); {@code value} is null when absent.
 */
public record AttributeUpdate(AttributeValue value, String action) {}
