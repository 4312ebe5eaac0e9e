package io.cairn.expressions;

import io.cairn.core.value.AttributeValue;
import java.util.List;

/** One entry of legacy QueryFilter, ScanFilter or KeyConditions; the list is null when absent. */
public record LegacyCondition(String comparisonOperator, List<AttributeValue> attributeValueList) {}
