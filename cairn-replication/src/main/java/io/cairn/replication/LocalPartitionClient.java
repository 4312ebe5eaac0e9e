package io.cairn.replication;

import io.cairn.core.Invariants;
import io.cairn.core.id.PartitionId;
import io.cairn.partition.WriteCommand;
import io.cairn.partition.WriteOutcome;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;

/**
 * Submits to this node's own divisions in-process: no RPC, no serialization of the request
 * beyond the log entry itself. Used in single-process mode (every group has one member) and by
 * a router co-located with the leader.
 *
 * <p>Group commit: each partition has a queue; at most
 * {@link ReplicationOptions#localEntriesInFlightMax()} log entries are in flight per partition,
 * and whatever queued meanwhile goes out as the next entry (up to
 * {@link ReplicationOptions#localBatchCommandsMax()} commands). Under load one Raft round and
 * one engine commit carry many writes, as {@code PartitionHost}'s queue does without replication.
 * A partition this node does not lead fails its writes with {@link ReplicationException.Kind#NOT_LEADER}.
 */
public final class LocalPartitionClient implements PartitionClient {
  /** Commands waiting per partition beyond the ones in flight; a full queue refuses writes. */
  public static final int QUEUED_COMMANDS_MAX = 16_384;

  private final StorageNode node;
  private final int batchCommandsMax;
  private final int entriesInFlightMax;
  private final ClientId clientId = ClientId.randomId();
  private final ConcurrentHashMap<PartitionId, Batcher> batchers = new ConcurrentHashMap<>();

  public LocalPartitionClient(StorageNode node) {
    this(node, node.options().localBatchCommandsMax(), node.options().localEntriesInFlightMax());
  }

  /** A client with its own group-commit limits (e.g. larger batches for a group of one). */
  public LocalPartitionClient(StorageNode node, int batchCommandsMax, int entriesInFlightMax) {
    Invariants.check(batchCommandsMax >= 1 && batchCommandsMax <= CommandCodec.COMMANDS_PER_ENTRY_MAX,
        "batch of %s commands", batchCommandsMax);
    Invariants.check(entriesInFlightMax >= 1, "%s entries in flight", entriesInFlightMax);
    this.node = node;
    this.batchCommandsMax = batchCommandsMax;
    this.entriesInFlightMax = entriesInFlightMax;
  }

  @Override
  public CompletableFuture<WriteOutcome> write(PartitionId partitionId, WriteCommand command) {
    return batchers.computeIfAbsent(partitionId, Batcher::new).submit(command);
  }

  @Override
  public CompletableFuture<List<WriteOutcome>> writeAll(PartitionId partitionId, List<WriteCommand> commands) {
    return submitEntry(partitionId, commands);
  }

  @Override
  public CompletableFuture<byte[]> get(PartitionId partitionId, byte[] storageKey, ReadConsistency consistency) {
    RaftClientRequest.Type type = switch (consistency) {
      case STRONG -> RaftClientRequest.readRequestType();
      // Any index: an eventually consistent read takes the replica as it is.
      case EVENTUAL -> RaftClientRequest.staleReadRequestType(0);
    };
    String what = "read of partition " + partitionId + " on " + node.nodeId();
    return send(partitionId, ReadCodec.encodeGet(storageKey), type)
        .handle((reply, error) -> {
          if (error != null) {
            throw Replies.failure(error, what, false);
          }
          return ReadCodec.decodeValue(Replies.content(reply, what));
        });
  }

  private CompletableFuture<List<WriteOutcome>> submitEntry(PartitionId partitionId, List<WriteCommand> commands) {
    String what = "write to partition " + partitionId + " on " + node.nodeId();
    return send(partitionId, CommandCodec.encode(commands), RaftClientRequest.writeRequestType())
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

  private CompletableFuture<org.apache.ratis.protocol.RaftClientReply> send(
      PartitionId partitionId, byte[] payload, RaftClientRequest.Type type) {
    RaftClientRequest request = RaftClientRequest.newBuilder()
        .setClientId(clientId)
        .setServerId(node.server().getId())
        .setGroupId(PartitionGroups.groupId(partitionId))
        .setCallId(node.nextCallId())
        .setMessage(PartitionStateMachine.message(payload))
        .setType(type)
        .build();
    try {
      return node.server().submitClientRequestAsync(request)
          .orTimeout(node.options().writeDeadlineMs(), TimeUnit.MILLISECONDS);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private record Pending(WriteCommand command, CompletableFuture<WriteOutcome> future) {}

  /** One partition's queue of writes waiting for a log entry. */
  private final class Batcher {
    private final PartitionId partitionId;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private int entriesInFlight;

    Batcher(PartitionId partitionId) {
      this.partitionId = partitionId;
    }

    CompletableFuture<WriteOutcome> submit(WriteCommand command) {
      CompletableFuture<WriteOutcome> future = new CompletableFuture<>();
      List<Pending> batch;
      synchronized (this) {
        if (queue.size() >= QUEUED_COMMANDS_MAX) {
          return CompletableFuture.failedFuture(new ReplicationException(ReplicationException.Kind.UNAVAILABLE,
              "partition " + partitionId + ": " + QUEUED_COMMANDS_MAX + " writes already queued", null, null));
        }
        queue.add(new Pending(command, future));
        batch = takeBatch();
      }
      send(batch);
      return future;
    }

    /** The next entry's commands, when another entry may go in flight; otherwise null. */
    private List<Pending> takeBatch() {
      if (queue.isEmpty() || entriesInFlight >= entriesInFlightMax) {
        return null;
      }
      int size = Math.min(queue.size(), batchCommandsMax);
      List<Pending> batch = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        batch.add(queue.poll());
      }
      entriesInFlight++;
      return batch;
    }

    private void send(List<Pending> batch) {
      if (batch == null) {
        return;
      }
      List<WriteCommand> commands = new ArrayList<>(batch.size());
      for (Pending pending : batch) {
        commands.add(pending.command());
      }
      submitEntry(partitionId, commands).whenComplete((outcomes, error) -> {
        for (int i = 0; i < batch.size(); i++) {
          if (error != null) {
            batch.get(i).future().completeExceptionally(Replies.failure(error, "write", true));
          } else {
            batch.get(i).future().complete(outcomes.get(i));
          }
        }
        List<Pending> next;
        synchronized (this) {
          entriesInFlight--;
          next = takeBatch();
        }
        send(next);
      });
    }
  }

  @Override
  public void close() {
    // Nothing of its own: the node owns the server.
  }
}
