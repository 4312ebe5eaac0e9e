package io.cairn.replication;

import io.cairn.replication.ReplicationException.Kind;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.RaftException;

/** Turns Ratis replies and failures into bytes or a {@link ReplicationException}. */
final class Replies {
  private Replies() {}

  static byte[] content(RaftClientReply reply, String what) {
    if (reply.isSuccess()) {
      return reply.getMessage().getContent().toByteArray();
    }
    NotLeaderException notLeader = reply.getNotLeaderException();
    if (notLeader != null) {
      String hint = notLeader.getSuggestedLeader() == null ? null : notLeader.getSuggestedLeader().getId().toString();
      throw new ReplicationException(Kind.NOT_LEADER, what + ": not the leader", hint, notLeader);
    }
    RaftException error = reply.getException();
    // Leader not ready, stepping down, a log replica refusing, a read-index failure: nothing was
    // appended on these paths.
    throw new ReplicationException(Kind.UNAVAILABLE, what + ": " + error, null, error);
  }

  static boolean refusedBeforeAppend(Throwable cause) {
    return cause instanceof org.apache.ratis.protocol.exceptions.LeaderSteppingDownException
        || cause instanceof org.apache.ratis.protocol.exceptions.LeaderNotReadyException
        || cause instanceof org.apache.ratis.protocol.exceptions.ServerNotReadyException
        || cause instanceof org.apache.ratis.protocol.exceptions.GroupMismatchException;
  }

  static ReplicationException failure(Throwable error, String what, boolean appended) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof ReplicationException replication) {
      return replication;
    }
    if (cause instanceof TimeoutException) {
      return new ReplicationException(appended ? Kind.OUTCOME_UNKNOWN : Kind.UNAVAILABLE,
          what + ": no reply within the deadline", null, cause);
    }
    if (cause instanceof NotLeaderException notLeader) {
      String hint = notLeader.getSuggestedLeader() == null ? null : notLeader.getSuggestedLeader().getId().toString();
      return new ReplicationException(Kind.NOT_LEADER, what + ": not the leader", hint, cause);
    }
    if (refusedBeforeAppend(cause)) {
      // A leader handing over (leader balancing), not yet ready, or a replica that does not host
      // the group yet refuses a request before appending it: certainly not applied, so the
      // client may send it again (ServiceUnavailable, not InternalServerError).
      return new ReplicationException(Kind.UNAVAILABLE, what + ": " + cause, null, cause);
    }
    return new ReplicationException(appended ? Kind.OUTCOME_UNKNOWN : Kind.UNAVAILABLE, what + ": " + cause, null, cause);
  }
}
