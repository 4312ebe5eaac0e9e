package io.cairn.replication;

import io.cairn.core.Invariants;
import io.cairn.core.id.PartitionId;
import io.cairn.partition.PartitionApplier;
import io.cairn.partition.WriteCommand;
import io.cairn.storage.Durability;
import io.cairn.storage.StorageEngine;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One partition replica's state machine: committed log entries go through
 * {@link PartitionApplier} into the node's storage engine, in log order, on Ratis's single
 * state-machine-updater thread of this division.
 *
 * <p><b>Indexes.</b> The partition's stored applied index is the Raft log index of the last
 * entry applied. Ratis log indexes also count entries that carry no commands (a new leader's
 * no-op, configuration changes), so each entry is applied as "the commands ending at index i":
 * the applier is given a starting position of {@code i - commands} and stores {@code i}.
 *
 * <p><b>Restart.</b> The applied index is committed in the same RocksDB batch as the data, so
 * {@link #initialize} resumes from {@link PartitionApplier#load}. Ratis replays every log entry
 * after its snapshot index (no snapshots are taken yet, so all of them); an entry at or below
 * the stored index is skipped, which makes replay idempotent. The engine's commits need not be
 * fsynced: the Ratis log, fsynced before a write is acknowledged, is the durable copy, and the
 * log is never purged past what the engine has made durable.
 *
 * <p><b>Reply.</b> The reply to an entry is {@link OutcomeCodec} bytes: one outcome per command.
 */
final class PartitionStateMachine extends BaseStateMachine {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionStateMachine.class);

  private final PartitionId partitionId;
  private final StorageEngine engine;
  private final PartitionApplier applier;
  private final Durability durability;
  /** Written only by the updater thread; read by queries for their log lines. */
  private volatile PartitionApplier.Position position;

  PartitionStateMachine(PartitionId partitionId, StorageEngine engine, Durability durability) {
    this.partitionId = partitionId;
    this.engine = engine;
    this.applier = new PartitionApplier(engine);
    this.durability = durability;
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage storage) throws IOException {
    super.initialize(server, groupId, storage);
    position = applier.load(partitionId);
    LOG.info("partition {} replica on {} resumes at applied index {}", partitionId, server.getId(),
        position.appliedIndex());
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    long index = entry.getIndex();
    PartitionApplier.Position current = position;
    if (index <= current.appliedIndex()) {
      // Replay after a restart: already in the engine.
      updateLastAppliedTermIndex(entry.getTerm(), index);
      return CompletableFuture.completedFuture(message(OutcomeCodec.encode(List.of())));
    }
    List<WriteCommand> commands =
        CommandCodec.decode(entry.getStateMachineLogEntry().getLogData().toByteArray());
    PartitionApplier.Position from =
        new PartitionApplier.Position(partitionId, index - commands.size(), current.stats());
    PartitionApplier.Applied applied = applier.apply(from, commands, durability);
    Invariants.check(applied.position().appliedIndex() == index,
        "partition %s applied index %s after entry %s", partitionId, applied.position().appliedIndex(), index);
    position = applied.position();
    updateLastAppliedTermIndex(entry.getTerm(), index);
    return CompletableFuture.completedFuture(message(OutcomeCodec.encode(applied.outcomes())));
  }

  /** Point reads; Ratis calls this after the read index is applied (linearizable) or for a stale read. */
  @Override
  public CompletableFuture<Message> query(Message request) {
    byte[] storageKey = ReadCodec.decodeGet(request.getContent().toByteArray());
    return CompletableFuture.completedFuture(message(ReadCodec.encodeValue(engine.get(storageKey))));
  }

  @Override
  public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
    LOG.info("partition {} leader is now {} (seen by {})", partitionId, newLeaderId, groupMemberId.getPeerId());
  }

  long appliedIndex() {
    return position.appliedIndex();
  }

  static Message message(byte[] bytes) {
    return Message.valueOf(UnsafeByteOperations.unsafeWrap(bytes));
  }
}
