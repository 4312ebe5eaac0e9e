package io.cairn.expressions;

import io.cairn.core.value.AttributeValue;
import java.util.List;

/**
 * One entry of the legacy Expected parameter. Every field is null when absent from the request.
 */
public record ExpectedAttribute(
    AttributeValue value, Boolean exists, String comparisonOperator, List<AttributeValue> attributeValueList) {}
