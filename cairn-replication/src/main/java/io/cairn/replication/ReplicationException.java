package io.cairn.replication;

/**
 * Why a replicated write or read did not complete. A router maps {@link Kind#NOT_LEADER} and
 * {@link Kind#UNAVAILABLE} to a retry on another replica; {@link Kind#OUTCOME_UNKNOWN} to
 * InternalServerError (the write may or may not have committed, as with DynamoDB's 500s).
 */
public final class ReplicationException extends RuntimeException {
  public enum Kind {
    /** This replica is not the leader; nothing was appended. {@link #leaderHint()} may name the leader. */
    NOT_LEADER,
    /** The group could not be reached or refused the request before appending it. */
    UNAVAILABLE,
    /** The request was sent and no reply came within the deadline: it may have committed. */
    OUTCOME_UNKNOWN
  }

  private final Kind kind;
  private final String leaderHint;

  public ReplicationException(Kind kind, String message, String leaderHint, Throwable cause) {
    super(message, cause, false, false);
    this.kind = kind;
    this.leaderHint = leaderHint;
  }

  public Kind kind() {
    return kind;
  }

  /** The node the replying replica believes leads the group, or null. */
  public String leaderHint() {
    return leaderHint;
  }

  /** Whether the request certainly did not take effect, so sending it again is safe. */
  public boolean retrySafe() {
    return kind != Kind.OUTCOME_UNKNOWN;
  }
}
