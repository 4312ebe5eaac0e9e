package io.cairn.endpoint.dns;

import io.cairn.core.Invariants;
import java.util.ArrayList;
import java.util.List;

/**
 * An all-or-nothing list of changes, applied in order against the zone as it is when the batch
 * arrives. The comment travels into the logs so an operator can tell who wrote what.
 */
public record ChangeBatch(String comment, List<Change> changes) {
  public static final int CHANGES_MAX = 1000;

  public ChangeBatch {
    changes = List.copyOf(changes);
    Invariants.check(!changes.isEmpty(), "empty change batch: %s", comment);
    Invariants.check(changes.size() <= CHANGES_MAX, "batch of %d changes", changes.size());
  }

  public static Builder builder(String comment) {
    return new Builder(comment);
  }

  /** Collects changes for one batch. */
  public static final class Builder {
    private final String comment;
    private final List<Change> changes = new ArrayList<>();

    private Builder(String comment) {
      this.comment = comment;
    }

    public Builder create(DnsRecord r) {
      changes.add(Change.create(r));
      return this;
    }

    public Builder delete(DnsRecord r) {
      changes.add(Change.delete(r));
      return this;
    }

    public Builder upsert(DnsRecord r) {
      changes.add(Change.upsert(r));
      return this;
    }

    /** Delete-then-create of the same record: a compare-and-set that changes nothing if it holds. */
    public Builder require(DnsRecord r) {
      changes.add(Change.delete(r));
      changes.add(Change.create(r));
      return this;
    }

    /** Compare-and-set: replaces {@code expected} (which must exist exactly) by {@code next}. */
    public Builder swap(DnsRecord expected, DnsRecord next) {
      if (expected == null) {
        changes.add(Change.create(next));
      } else {
        changes.add(Change.delete(expected));
        changes.add(Change.create(next));
      }
      return this;
    }

    public boolean isEmpty() {
      return changes.isEmpty();
    }

    public ChangeBatch build() {
      return new ChangeBatch(comment, changes);
    }
  }
}
