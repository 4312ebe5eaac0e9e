package io.cairn.endpoint;

import io.cairn.core.Invariants;
import io.cairn.endpoint.dns.ChangeBatch;
import io.cairn.endpoint.dns.DnsRecord;
import io.cairn.endpoint.plan.Plan;
import io.cairn.endpoint.server.Answerer;
import io.cairn.endpoint.server.UpdateHandler;

/**
 * Every limit of the endpoint manager in one place, and the relationships between them, checked
 * at start-up: a plan's biggest batch must fit in one change batch, or an enactor would fail on
 * every cycle with a perfectly good plan.
 */
public final class EndpointLimits {
  private EndpointLimits() {}

  /** Records a plan tree has: a leaf and a weighted alias per target. */
  public static final int TREE_RECORDS_MAX = 2 * Plan.TARGETS_MAX;
  /** Lock swap (2) + tree. */
  public static final int BUILD_CHANGES_MAX = 2 + TREE_RECORDS_MAX;
  /** Lock, _active and root swaps (2 each) + a delete-and-create per weighted alias. */
  public static final int FLIP_CHANGES_MAX = 6 + 2 * Plan.TARGETS_MAX;
  /** The _active pin (2) + deletes. */
  public static final int CLEAN_CHANGES_MAX = 2 + Cleaner.DELETES_PER_BATCH_MAX;
  /** The largest record on the wire: a 255-byte name, fixed fields, a 255-character TXT. */
  public static final int RECORD_WIRE_BYTES_MAX = 255 + 10 + 1 + DnsRecord.TXT_CHARS_MAX;
  public static final int TCP_MESSAGE_BYTES_MAX = 65_535;
  /** Resolvers cache "no such name" this long; 2025 showed it must be short. */
  public static final long NEGATIVE_TTL_SECONDS_MAX = 30;

  /** Throws if any relationship between limits does not hold. */
  public static void check() {
    Invariants.check(BUILD_CHANGES_MAX <= ChangeBatch.CHANGES_MAX,
        "build batch %d > %d", BUILD_CHANGES_MAX, ChangeBatch.CHANGES_MAX);
    Invariants.check(FLIP_CHANGES_MAX <= ChangeBatch.CHANGES_MAX,
        "flip batch %d > %d", FLIP_CHANGES_MAX, ChangeBatch.CHANGES_MAX);
    Invariants.check(CLEAN_CHANGES_MAX <= ChangeBatch.CHANGES_MAX,
        "clean batch %d > %d", CLEAN_CHANGES_MAX, ChangeBatch.CHANGES_MAX);
    Invariants.check(TREE_RECORDS_MAX <= Cleaner.DELETES_PER_BATCH_MAX,
        "a whole tree (%d records) must fit in one clean batch (%d)", TREE_RECORDS_MAX,
        Cleaner.DELETES_PER_BATCH_MAX);
    Invariants.check(Answerer.NEGATIVE_TTL_SECONDS <= NEGATIVE_TTL_SECONDS_MAX,
        "negative TTL %d s > %d s", Answerer.NEGATIVE_TTL_SECONDS, NEGATIVE_TTL_SECONDS_MAX);
    for (int ttl : new int[] {ActiveRecord.TTL_SECONDS, LockRecord.TTL_SECONDS,
        FreezeRecord.TTL_SECONDS, TreeBuilder.LEAF_TTL_SECONDS}) {
      Invariants.check(ttl >= DnsRecord.TTL_SECONDS_MIN && ttl <= DnsRecord.TTL_SECONDS_MAX,
          "ttl %d s outside [%d, %d]", ttl, DnsRecord.TTL_SECONDS_MIN, DnsRecord.TTL_SECONDS_MAX);
    }
    Invariants.check(
        UpdateHandler.AXFR_RECORDS_PER_MESSAGE_MAX * RECORD_WIRE_BYTES_MAX < TCP_MESSAGE_BYTES_MAX,
        "AXFR messages of %d records may exceed 64 KB", UpdateHandler.AXFR_RECORDS_PER_MESSAGE_MAX);
  }
}
