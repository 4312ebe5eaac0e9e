package io.cairn.endpoint.dns;

/** One change in a batch, with Route 53's three actions. */
public record Change(Action action, DnsRecord record) {
  public enum Action {
    /** Fails if a record with the same key exists. */
    CREATE,
    /** Fails unless a record exactly equal (TTL, weight, values) exists. */
    DELETE,
    /** Creates or replaces; never fails on content. */
    UPSERT
  }

  public static Change create(DnsRecord r) {
    return new Change(Action.CREATE, r);
  }

  public static Change delete(DnsRecord r) {
    return new Change(Action.DELETE, r);
  }

  public static Change upsert(DnsRecord r) {
    return new Change(Action.UPSERT, r);
  }

  @Override
  public String toString() {
    return action + " " + record;
  }
}
