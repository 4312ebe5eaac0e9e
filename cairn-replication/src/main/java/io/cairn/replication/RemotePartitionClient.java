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
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.RaftClientReply;
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
  private final Map<PartitionId, RaftClient> clients = new ConcurrentHashMap<>();

  public RemotePartitionClient(ReplicaDirectory directory, ReplicationOptions options) {
    this.directory = directory;
    this.options = options;
  }

  private RaftClient client(PartitionId partitionId) {
    return clients.computeIfAbsent(partitionId, id -> {
      RaftProperties properties = new RaftProperties();
      RaftConfigKeys.Rpc.setType(properties, SupportedRpcType.GRPC);
      RaftClientConfigKeys.Rpc.setRequestTimeout(properties,
          TimeDuration.valueOf(options.clientRequestTimeoutMs(), TimeUnit.MILLISECONDS));
      int attempts = (int) Math.max(1, options.writeDeadlineMs() / options.clientRetrySleepMs());
      org.apache.ratis.protocol.RaftGroup group = PartitionGroups.group(id, directory.replicas(id));
      RaftClient client = RaftClient.newBuilder()
          .setProperties(properties)
          .setRaftGroup(group)
          .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(attempts,
              TimeDuration.valueOf(options.clientRetrySleepMs(), TimeUnit.MILLISECONDS)))
          .build();
      peersByClient.put(client, group.getPeers());
      return client;
    });
  }

  /**
   * Replaces a partition's client when the directory now names other replicas than the client was
   * built with (a membership change). A failure alone is no reason to drop a client: the Ratis
   * client already follows leader changes, and closing it would fail every request in flight on
   * it, turning one timeout into many.
   */
  public void refreshIfMembershipChanged(PartitionId partitionId) {
    RaftClient client = clients.get(partitionId);
    if (client == null) {
      return;
    }
    java.util.Set<String> current = new java.util.HashSet<>();
    for (org.apache.ratis.protocol.RaftPeer peer : PartitionGroups.group(partitionId, directory.replicas(partitionId)).getPeers()) {
      current.add(peer.getId() + "@" + peer.getAddress());
    }
    java.util.Set<String> known = new java.util.HashSet<>();
    for (org.apache.ratis.protocol.RaftPeer peer : peersOf(client)) {
      known.add(peer.getId() + "@" + peer.getAddress());
    }
    if (!current.equals(known) && clients.remove(partitionId, client)) {
      closeQuietly(client);
    }
  }

  private final Map<RaftClient, java.util.Collection<org.apache.ratis.protocol.RaftPeer>> peersByClient =
      new ConcurrentHashMap<>();

  private java.util.Collection<org.apache.ratis.protocol.RaftPeer> peersOf(RaftClient client) {
    return peersByClient.getOrDefault(client, List.of());
  }

  /** Forgets a partition's client, e.g. after its membership changed. */
  public void invalidate(PartitionId partitionId) {
    RaftClient client = clients.remove(partitionId);
    if (client != null) {
      peersByClient.remove(client);
      closeQuietly(client);
    }
  }

  @Override
  public CompletableFuture<WriteOutcome> write(PartitionId partitionId, WriteCommand command) {
    return writeAll(partitionId, List.of(command)).thenApply(outcomes -> outcomes.get(0));
  }

  @Override
  public CompletableFuture<List<WriteOutcome>> writeAll(PartitionId partitionId, List<WriteCommand> commands) {
    String what = "write to partition " + partitionId;
    return client(partitionId).async().send(PartitionStateMachine.message(CommandCodec.encode(commands)))
        .orTimeout(options.writeDeadlineMs(), TimeUnit.MILLISECONDS)
        .handle((reply, error) -> {
          if (error != null) {
            throw Replies.failure(error, what, true);
          }
          List<WriteOutcome> outcomes = OutcomeCodec.decode(Replies.content(reply, what));
          Invariants.check(outcomes.size() == commands.size(), "%s: %s outcomes for %s commands",
              what, outcomes.size(), commands.size());
          return outcomes;
        });
  }

  @Override
  public CompletableFuture<byte[]> get(PartitionId partitionId, byte[] storageKey, ReadConsistency consistency) {
    return query(partitionId, ReadCodec.encodeGet(storageKey), consistency).thenApply(ReadCodec::decodeValue);
  }

  /**
   * A read-only request ({@link ReadCodec}) answered by the leader (STRONG: linearizable, ReadIndex)
   * or by one full replica picked at random (EVENTUAL: possibly stale). An eventually consistent
   * read whose replica does not answer is retried once on the leader, so a dead follower costs
   * latency, not an error.
   */
  public CompletableFuture<byte[]> query(PartitionId partitionId, byte[] request, ReadConsistency consistency) {
    return switch (consistency) {
      // Unordered: concurrent reads of one partition need not queue behind each other in the
      // client's sliding window; each is still linearizable (ReadIndex on the leader).
      case STRONG -> read(partitionId, client(partitionId).async().sendReadOnlyUnordered(PartitionStateMachine.message(request)));
      case EVENTUAL -> {
        List<ReplicaPeer> full = directory.replicas(partitionId).stream().filter(r -> !r.logReplica()).toList();
        if (full.isEmpty()) {
          yield query(partitionId, request, ReadConsistency.STRONG);
        }
        ReplicaPeer replica = full.get(java.util.concurrent.ThreadLocalRandom.current().nextInt(full.size()));
        yield read(partitionId, client(partitionId).async().sendStaleRead(
                PartitionStateMachine.message(request), 0, RaftPeerId.valueOf(replica.nodeId())))
            .exceptionallyCompose(error -> query(partitionId, request, ReadConsistency.STRONG));
      }
    };
  }

  /** An eventually consistent read from one named replica. */
  public CompletableFuture<byte[]> getFrom(PartitionId partitionId, byte[] storageKey, String nodeId) {
    return read(partitionId, client(partitionId).async().sendStaleRead(
        PartitionStateMachine.message(ReadCodec.encodeGet(storageKey)), 0, RaftPeerId.valueOf(nodeId)))
        .thenApply(ReadCodec::decodeValue);
  }

  private CompletableFuture<byte[]> read(PartitionId partitionId, CompletableFuture<RaftClientReply> reply) {
    String what = "read of partition " + partitionId;
    return reply.orTimeout(options.writeDeadlineMs(), TimeUnit.MILLISECONDS).handle((r, error) -> {
      if (error != null) {
        throw Replies.failure(error, what, false);
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
    clients.values().forEach(RemotePartitionClient::closeQuietly);
    clients.clear();
    peersByClient.clear();
  }
}
