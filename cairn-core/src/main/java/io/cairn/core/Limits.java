package io.cairn.core;

/**
 * Every DynamoDB limit Cairn enforces, in one place, with units last in each name.
 *
 * <p>These are DynamoDB's published limits; clients and test suites depend on the exact
 * boundaries, so a value here changes only when DynamoDB's does.
 */
public final class Limits {
  private Limits() {}

  public static final int ITEM_BYTES_MAX = 400 * 1024;
  public static final int PARTITION_KEY_BYTES_MAX = 2048;
  public static final int SORT_KEY_BYTES_MAX = 1024;
  public static final int NESTING_DEPTH_MAX = 32;

  public static final int TABLE_NAME_CHARS_MIN = 3;
  public static final int TABLE_NAME_CHARS_MAX = 255;
  public static final int INDEX_NAME_CHARS_MIN = 3;
  public static final int INDEX_NAME_CHARS_MAX = 255;
  public static final int ATTRIBUTE_NAME_BYTES_MAX = 65535;
  public static final int KEY_ATTRIBUTE_NAME_BYTES_MAX = 255;

  public static final int EXPRESSION_BYTES_MAX = 4096;
  public static final int EXPRESSION_ATTRIBUTE_NAME_CHARS_MAX = 255;
  public static final int IN_OPERANDS_MAX = 100;

  public static final int BATCH_GET_KEYS_MAX = 100;
  public static final int BATCH_GET_RESPONSE_BYTES_MAX = 16 * 1024 * 1024;
  public static final int BATCH_WRITE_REQUESTS_MAX = 25;
  public static final int BATCH_WRITE_REQUEST_BYTES_MAX = 16 * 1024 * 1024;
  public static final int TRANSACTION_ACTIONS_MAX = 100;
  public static final int TRANSACTION_BYTES_MAX = 4 * 1024 * 1024;

  /** Query and Scan stop reading after this many bytes, before the filter is applied. */
  public static final int QUERY_PAGE_BYTES_MAX = 1024 * 1024;
  public static final int PARALLEL_SCAN_SEGMENTS_MAX = 1_000_000;

  public static final int LOCAL_SECONDARY_INDEXES_MAX = 5;
  public static final int GLOBAL_SECONDARY_INDEXES_MAX = 20;
  public static final int PROJECTED_NON_KEY_ATTRIBUTES_MAX = 100;

  public static final int PARTITION_READ_UNITS_PER_SECOND_MAX = 3000;
  public static final int PARTITION_WRITE_UNITS_PER_SECOND_MAX = 1000;

  public static final int TAGS_PER_RESOURCE_MAX = 50;
  public static final int TAG_KEY_CHARS_MAX = 128;
  public static final int TAG_VALUE_CHARS_MAX = 256;
  public static final int LIST_TABLES_LIMIT_MAX = 100;

  /** A request body larger than this is refused before it is parsed (DynamoDB's HTTP limit). */
  public static final int REQUEST_BODY_BYTES_MAX = 16 * 1024 * 1024 + 64 * 1024;
  /** A decompressed request body may not exceed this either, so a gzip bomb costs bounded memory. */
  public static final int DECOMPRESSED_BODY_BYTES_MAX = REQUEST_BODY_BYTES_MAX;
  /**
   * JSON nesting accepted by the parser; deeper documents are refused before they are built. A
   * document at DynamoDB's nesting limit inside the deepest request shape (TransactWriteItems) needs
   * about 80 JSON levels, and one level past the limit must still parse so that the validator can
   * answer with DynamoDB's message.
   */
  public static final int JSON_NESTING_DEPTH_MAX = 96;

  /** One read capacity unit covers a strongly consistent read of this many bytes. */
  public static final int READ_UNIT_BYTES = 4 * 1024;
  /** One write capacity unit covers a write of this many bytes. */
  public static final int WRITE_UNIT_BYTES = 1024;
}
