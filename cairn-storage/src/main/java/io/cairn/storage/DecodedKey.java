package io.cairn.storage;

import io.cairn.core.value.AttributeValue;
import java.util.Optional;

/** An item key taken apart: keyspace, hash of the partition key, and the key values. */
public record DecodedKey(
    KeyspaceId keyspaceId, long hash, AttributeValue partitionKey, Optional<AttributeValue> sortKey) {}
