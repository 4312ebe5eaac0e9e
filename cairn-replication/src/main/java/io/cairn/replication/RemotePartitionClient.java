package io.cairn.replication;

import io.cairn.core.Invariants;
import io.cairn.core.id.PartitionId;
import io.cairn.partition.WriteCommand;
import io.cairn.partition.WriteOutcome;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.client.impl.RaftClientImpl;
import org.apache.ratis.client.impl.UnorderedAsync;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.util.TimeDuration;

/**
 * A router's way to partitions on other nodes: one Ratis client per partition group, over gRPC.
 * Writes and strong reads go to the leader; the Ratis client follows NotLeader replies (with the
 * leader they suggest) and retries, every {@link ReplicationOptions#clientRetrySleepMs()}, until
 * {@link ReplicationOptions#writeDeadlineMs()}. A retried write keeps its call id, so the
 * leader's retry cache applies it at most once even across a leader change.
 */
public final class RemotePartitionClient implements PartitionClient {

  /** Where a partition's replicas are: the router's routing cache. */
  @FunctionalInterface
  public interface ReplicaDirectory {
    List<ReplicaPeer> replicas(PartitionId partitionId);
  }

  private final ReplicaDirectory directory;
  private final ReplicationOptions options;
  /**
   * Between attempts on a partition whose replica does not host it yet. A storage node creates a
   * division within one reconcile round (200 ms) of its placement, plus ~150 ms per group; each
   * attempt builds a new client, which is not free.
   */
  static final long GROUP_WAIT_SLEEP_MS = 200;

  /**
   * A partition's Ratis client, the replicas it was built for, and their names ({@code id@address})
   * to compare with the directory's.
   */
  private record Connection(RaftClient client, List<ReplicaPeer> replicas, java.util.Set<String> peers) {}

  private final Map<PartitionId, Connection> clients = new ConcurrentHashMap<>();
  /**
   * Per partition, the highest log index of a write this router has had acknowledged. An
   * eventually consistent read asks its replica to have applied at least that far, so a router's
   * clients read their own writes through it even from a lagging follower (which refuses, and the
   * read goes to the leader). DynamoDB promises less; a client spread over many routers by DNS
   * gets only DynamoDB's promise.
   */
  private final Map<PartitionId, Long> acknowledgedIndex = new ConcurrentHashMap<>();
  /** Longest an eventually consistent read waits for the replica it picked (see {@link #staleRead}). */
  static final long STALE_READ_ATTEMPT_MS = 300;
  /** Partitions whose membership a failed eventually consistent read asked to check. */
  private final java.util.Set<PartitionId> membershipChecks = ConcurrentHashMap.newKeySet();
  /** Partitions that have answered through this client at least once (see {@link #untilHosted}). */
  private final java.util.Set<PartitionId> answered = ConcurrentHashMap.newKeySet();

  public RemotePartitionClient(ReplicaDirectory directory, ReplicationOptions options) {
    this.directory = directory;
    this.options = options;
  }

  private RaftClient client(PartitionId partitionId) {
    return connection(partitionId).client();
  }

  private Connection connection(PartitionId partitionId) {
    return clients.computeIfAbsent(partitionId, id -> {
      RaftProperties properties = new RaftProperties();
      RaftConfigKeys.Rpc.setType(properties, SupportedRpcType.GRPC);
      RaftClientConfigKeys.Rpc.setRequestTimeout(properties,
          TimeDuration.valueOf(options.clientRequestTimeoutMs(), TimeUnit.MILLISECONDS));
      int attempts = (int) Math.max(1, options.writeDeadlineMs() / options.clientRetrySleepMs());
      List<ReplicaPeer> replicas = directory.replicas(id);
      org.apache.ratis.protocol.RaftGroup group = PartitionGroups.group(id, replicas);
      RaftClient client = RaftClient.newBuilder()
          .setProperties(properties)
          .setRaftGroup(group)
          .setRetryPolicy(staleReadsOnce(RetryPolicies.retryUpToMaximumCountWithFixedSleep(attempts,
              TimeDuration.valueOf(options.clientRetrySleepMs(), TimeUnit.MILLISECONDS))))
          .build();
      return new Connection(client, List.copyOf(replicas), peerNames(group));
    });
  }

  /**
   * {@code policy}, except that a stale read is never retried: it is for one named replica, and
   * the caller falls back to the leader after {@link #STALE_READ_ATTEMPT_MS}. Retried, a read of a
   * dead replica would keep a retry loop going for the whole write deadline after the caller gave
   * up — one loop per read, while a third of the reads pick that replica.
   */
  private static org.apache.ratis.retry.RetryPolicy staleReadsOnce(org.apache.ratis.retry.RetryPolicy policy) {
    return event -> event instanceof org.apache.ratis.client.retry.ClientRetryEvent attempt
        && attempt.getRequest().is(org.apache.ratis.proto.RaftProtos.RaftClientRequestProto.TypeCase.STALEREAD)
        ? org.apache.ratis.retry.RetryPolicy.NO_RETRY_ACTION : policy.handleAttemptFailure(event);
  }

  private static java.util.Set<String> peerNames(org.apache.ratis.protocol.RaftGroup group) {
    java.util.Set<String> names = new java.util.HashSet<>();
    for (org.apache.ratis.protocol.RaftPeer peer : group.getPeers()) {
      names.add(peer.getId() + "@" + peer.getAddress());
    }
    return names;
  }

  /**
   * Retires a partition's client when the directory now names other replicas than the client was
   * built with (a membership change). A failure alone is no reason to drop a client: the Ratis
   * client already follows leader changes, and closing it would fail every request in flight on
   * it, turning one timeout into many.
   */
  public void refreshIfMembershipChanged(PartitionId partitionId) {
    Connection connection = clients.get(partitionId);
    if (connection != null
        && !connection.peers().equals(peerNames(PartitionGroups.group(partitionId, directory.replicas(partitionId))))) {
      retire(partitionId, connection.client());
    }
  }

  /**
   * {@link #refreshIfMembershipChanged} off the read path (it asks the directory, which may wait
   * for the metadata service), at most once per partition at a time.
   */
  private void checkMembershipLater(PartitionId partitionId) {
    if (membershipChecks.add(partitionId)) {
      CompletableFuture.runAsync(() -> {
        try {
          refreshIfMembershipChanged(partitionId);
        } catch (RuntimeException e) {
          // The directory could not answer; the next failed read asks again.
        } finally {
          membershipChecks.remove(partitionId);
        }
      });
    }
  }

  /**
   * Retires a client whose ordered sliding window Ratis has closed. A GroupMismatchException (a
   * replica that does not host the group: not yet, as when a router writes to a partition
   * auto-admin has just placed before every node created its division, or no longer) fails the
   * window and closes it: every later write on that client fails at once with
   * AlreadyClosedException. Kept, it would fail every write to the partition through this router
   * until the router restarts.
   */
  private void retireIfWindowClosed(PartitionId partitionId, RaftClient client, Throwable error) {
    if (causedBy(error, org.apache.ratis.protocol.exceptions.GroupMismatchException.class)
        || causedBy(error, org.apache.ratis.protocol.exceptions.AlreadyClosedException.class)) {
      retire(partitionId, client);
    }
  }

  /**
   * Takes {@code client} out of the map at once, so the next request builds a new one, and closes
   * it only after the write deadline, so that requests in flight on it still finish (closing a
   * client fails every request in flight on it).
   */
  private void retire(PartitionId partitionId, RaftClient client) {
    Connection connection = clients.get(partitionId);
    if (connection != null && connection.client() == client && clients.remove(partitionId, connection)) {
      CompletableFuture.delayedExecutor(options.writeDeadlineMs(), TimeUnit.MILLISECONDS)
          .execute(() -> closeQuietly(client));
    }
  }

  @Override
  public CompletableFuture<WriteOutcome> write(PartitionId partitionId, WriteCommand command) {
    return writeAll(partitionId, List.of(command)).thenApply(outcomes -> outcomes.get(0));
  }

  @Override
  public CompletableFuture<List<WriteOutcome>> writeAll(PartitionId partitionId, List<WriteCommand> commands) {
    String what = "write to partition " + partitionId;
    org.apache.ratis.protocol.Message message = PartitionStateMachine.message(CommandCodec.encode(commands));
    return untilHosted(partitionId, deadlineNanos(), true, c -> c.async().send(message))
        .handle((reply, error) -> {
          if (error != null) {
            throw failure(error, what, true);
          }
          List<WriteOutcome> outcomes = OutcomeCodec.decode(Replies.content(reply, what));
          acknowledgedIndex.merge(partitionId, reply.getLogIndex(), Math::max);
          Invariants.check(outcomes.size() == commands.size(), "%s: %s outcomes for %s commands",
              what, outcomes.size(), commands.size());
          return outcomes;
        });
  }

  private long deadlineNanos() {
    return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.writeDeadlineMs());
  }

  /**
   * Sends one request on the partition's client, within the deadline. A partition that has never
   * answered through this client may not exist yet on the replica asked (a router learns of a
   * placement before the storage nodes create their divisions): its GroupMismatchException is
   * retried every {@link #GROUP_WAIT_SLEEP_MS} until the deadline, asking the directory first each
   * time, which fails at once if the partition has been unassigned since (its table was deleted).
   * Nothing was appended on that path, so a write may be retried. Once the partition has answered,
   * the same exception means its replicas are gone: it fails at once and the caller refreshes its
   * route. A read that finds no leader (ReadIndexException: an election is under way) is retried
   * the same way.
   *
   * @param ordered a write on the client's ordered window (see {@link #retireIfWindowClosed})
   */
  private CompletableFuture<RaftClientReply> untilHosted(PartitionId partitionId, long deadlineNanos, boolean ordered,
      java.util.function.Function<RaftClient, CompletableFuture<RaftClientReply>> send) {
    CompletableFuture<RaftClientReply> result = new CompletableFuture<>();
    RaftClient client = client(partitionId);
    long remainingMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    send.apply(client).orTimeout(remainingMs, TimeUnit.MILLISECONDS).whenComplete((reply, failure) -> {
      Throwable error = failure;
      if (error == null && !ordered && !reply.isSuccess()
          && (reply.getException() instanceof org.apache.ratis.protocol.exceptions.ReadIndexException
              || reply.getException() instanceof org.apache.ratis.protocol.exceptions.LeaderNotReadyException
              || reply.getException() instanceof org.apache.ratis.protocol.exceptions.LeaderSteppingDownException)) {
        error = reply.getException(); // answered, but only to say there is no ready leader to read from
      }
      if (error == null) {
        answered.add(partitionId);
        result.complete(reply);
        return;
      }
      if (ordered) {
        retireIfWindowClosed(partitionId, client, error);
      }
      long leftMs = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
      boolean notHostedYet = causedBy(error, org.apache.ratis.protocol.exceptions.GroupMismatchException.class)
          && !answered.contains(partitionId);
      // A read the leader could not serve because the group has no ready leader (a new
      // partition's first election, an election after a failure, a leadership transfer by
      // auto-admin's balancing): Ratis answers at once and does not retry. A read is always safe
      // to send again.
      boolean electing = !ordered && (causedBy(error, org.apache.ratis.protocol.exceptions.ReadIndexException.class)
          || causedBy(error, org.apache.ratis.protocol.exceptions.LeaderNotReadyException.class)
          || causedBy(error, org.apache.ratis.protocol.exceptions.LeaderSteppingDownException.class));
      if (!(notHostedYet || electing) || leftMs <= GROUP_WAIT_SLEEP_MS) {
        result.completeExceptionally(error);
        return;
      }
      CompletableFuture.delayedExecutor(GROUP_WAIT_SLEEP_MS, TimeUnit.MILLISECONDS).execute(() -> {
        try {
          directory.replicas(partitionId); // throws if the partition is no longer placed
          untilHosted(partitionId, deadlineNanos, ordered, send).whenComplete((r, e) -> {
            if (e != null) {
              result.completeExceptionally(e);
            } else {
              result.complete(r);
            }
          });
        } catch (RuntimeException e) {
          result.completeExceptionally(e);
        }
      });
    });
    return result;
  }

  /** A DynamoDB error from the directory (the partition's table is gone) passes through as it is. */
  private static RuntimeException failure(Throwable error, String what, boolean appended) {
    Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
        ? error.getCause() : error;
    if (cause instanceof io.cairn.core.error.DynamoDbException dynamo) {
      return dynamo;
    }
    return Replies.failure(error, what, appended);
  }

  /** Whether the failure is, or was caused by, an exception of that type (Ratis wraps them). */
  private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public CompletableFuture<byte[]> get(PartitionId partitionId, byte[] storageKey, ReadConsistency consistency) {
    return query(partitionId, ReadCodec.encodeGet(storageKey), consistency).thenApply(ReadCodec::decodeValue);
  }

  /**
   * A read-only request ({@link ReadCodec}) answered by the leader (STRONG: linearizable, ReadIndex)
   * or by one full replica picked at random (EVENTUAL: possibly stale, but never older than this
   * router's own acknowledged writes). An eventually consistent read whose replica does not answer,
   * or is behind those writes, is retried once on the leader, so a dead or lagging follower costs
   * latency, not an error or a lost write.
   */
  public CompletableFuture<byte[]> query(PartitionId partitionId, byte[] request, ReadConsistency consistency) {
    return switch (consistency) {
      // Unordered: concurrent reads of one partition need not queue behind each other in the
      // client's sliding window; each is still linearizable (ReadIndex on the leader).
      case STRONG -> read(partitionId, true, c -> c.async().sendReadOnlyUnordered(PartitionStateMachine.message(request)));
      case EVENTUAL -> {
        // The replicas the partition's client was built for: no directory lookup per read (a
        // lookup is a request to the metadata service). A read that fails on its replica makes
        // the client check its membership (a repair may have replaced it).
        List<ReplicaPeer> full = connection(partitionId).replicas().stream().filter(r -> !r.logReplica()).toList();
        if (full.isEmpty()) {
          yield query(partitionId, request, ReadConsistency.STRONG);
        }
        ReplicaPeer replica = full.get(java.util.concurrent.ThreadLocalRandom.current().nextInt(full.size()));
        yield staleRead(partitionId, request, replica.nodeId()).exceptionallyCompose(error -> {
          if (!causedBy(error, org.apache.ratis.protocol.exceptions.StaleReadException.class)) {
            checkMembershipLater(partitionId); // not merely behind this router's last write
          }
          return query(partitionId, request, ReadConsistency.STRONG);
        });
      }
    };
  }

  /** An eventually consistent read from one named replica. */
  public CompletableFuture<byte[]> getFrom(PartitionId partitionId, byte[] storageKey, String nodeId) {
    return staleRead(partitionId, ReadCodec.encodeGet(storageKey), nodeId).thenApply(ReadCodec::decodeValue);
  }

  /**
   * A read from one named replica, on the client's unordered stream, for at most
   * {@link #STALE_READ_ATTEMPT_MS} (a replica that is dead or cut off); then the caller asks the
   * leader.
   *
   * <p>Ratis 3.3.0's own stale-read calls do not fit a router that reads from a random replica each
   * time, so the request goes through Ratis's unordered sender (public, in its client's impl
   * package), as strong reads do:
   * <ul>
   *   <li>the async {@code sendStaleRead} goes on the client's ordered sliding window, whose sequence
   *       numbers each replica sees only in part; a replica held such a read until the attempt timed
   *       out (1.5 s) and the writes queued behind it on the leader waited too (an idle local
   *       cluster: GetItem 4.6 s about every other call, the PutItem after it 9-14 s);
   *   <li>the blocking {@code io().sendStaleRead} opens a gRPC stream per call and holds a thread of
   *       the router until the answer.
   * </ul>
   * The reads that used to go unanswered right after a write were the replica's doing, not the
   * transport's (see {@code PartitionStateMachine.queryStale}).
   */
  private CompletableFuture<byte[]> staleRead(PartitionId partitionId, byte[] request, String nodeId) {
    String what = "read of partition " + partitionId + " on " + nodeId;
    long minIndex = acknowledgedIndex.getOrDefault(partitionId, 0L);
    CompletableFuture<RaftClientReply> reply;
    try {
      reply = UnorderedAsync.send(RaftClientRequest.staleReadRequestType(minIndex),
          PartitionStateMachine.message(request), RaftPeerId.valueOf(nodeId), (RaftClientImpl) client(partitionId));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(failure(e, what, false));
    }
    return reply.orTimeout(STALE_READ_ATTEMPT_MS, TimeUnit.MILLISECONDS).handle((answer, error) -> {
      if (error != null) {
        throw failure(error, what, false);
      }
      return Replies.content(answer, what);
    });
  }

  /**
   * @param waitForGroup false for a read from one named replica: if it does not host the group,
   *     the caller falls back to the leader rather than waiting
   */
  private CompletableFuture<byte[]> read(PartitionId partitionId, boolean waitForGroup,
      java.util.function.Function<RaftClient, CompletableFuture<RaftClientReply>> send) {
    String what = "read of partition " + partitionId;
    CompletableFuture<RaftClientReply> reply = waitForGroup
        ? untilHosted(partitionId, deadlineNanos(), false, send)
        : send.apply(client(partitionId)).orTimeout(options.writeDeadlineMs(), TimeUnit.MILLISECONDS);
    return reply.handle((r, error) -> {
      if (error != null) {
        throw failure(error, what, false);
      }
      return Replies.content(r, what);
    });
  }

  private static void closeQuietly(RaftClient client) {
    try {
      client.close();
    } catch (IOException e) {
      // Closing a client only releases channels; nothing to recover.
    }
  }

  @Override
  public void close() {
    clients.values().forEach(connection -> closeQuietly(connection.client()));
    clients.clear();
  }
}
