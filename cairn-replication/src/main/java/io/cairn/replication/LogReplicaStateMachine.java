package io.cairn.replication;

import io.cairn.core.id.PartitionId;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A log replica (ARCHITECTURE decision 1, the paper's log replica): a voting member that keeps
 * the log and no items. It counts toward the write quorum as soon as it has the log, so a group
 * that lost a replica is back to tolerating a failure within seconds, long before a full replica
 * is rebuilt.
 *
 * <p>It never serves: it refuses to start a transaction (so a client that reaches it while it is
 * leader gets an error before anything is appended, and retrying elsewhere is safe) and refuses
 * reads. It runs at the lowest priority, and when it is elected anyway it hands leadership to
 * another member at once ({@link StorageNode} does the transfer).
 *
 * <p>When it is so far behind that the leader sends a snapshot, it accepts the file (Ratis needs
 * the state machine to pause and reload) and only moves its applied index; it takes no snapshots
 * of its own, so its log is not purged yet.
 */
final class LogReplicaStateMachine extends BaseStateMachine {
  private static final Logger LOG = LoggerFactory.getLogger(LogReplicaStateMachine.class);

  private final PartitionId partitionId;
  private final LeadershipHandOff handOff;
  private final SimpleStateMachineStorage snapshots = new SimpleStateMachineStorage();

  /** What the node does when this replica is elected. */
  interface LeadershipHandOff {
    void handOff(PartitionId partitionId);
  }

  LogReplicaStateMachine(PartitionId partitionId, LeadershipHandOff handOff) {
    this.partitionId = partitionId;
    this.handOff = handOff;
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage storage) throws IOException {
    super.initialize(server, groupId, storage);
    getLifeCycle().startAndTransition(() -> snapshots.init(storage), IOException.class);
  }

  @Override
  public StateMachineStorage getStateMachineStorage() {
    return snapshots;
  }

  @Override
  public SnapshotInfo getLatestSnapshot() {
    return snapshots.getLatestSnapshot();
  }

  @Override
  public void pause() {
    if (getLifeCycle().getCurrentState() == LifeCycle.State.RUNNING) {
      getLifeCycle().transition(LifeCycle.State.PAUSING);
      getLifeCycle().transition(LifeCycle.State.PAUSED);
    }
  }

  @Override
  public void reinitialize() throws IOException {
    getLifeCycle().startAndTransition(() -> {
      SingleFileSnapshotInfo snapshot = snapshots.loadLatestSnapshot();
      if (snapshot != null) {
        updateLastAppliedTermIndex(snapshot.getTerm(), snapshot.getIndex());
      }
    }, IOException.class);
  }

  @Override
  public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
    throw new StateMachineException("partition " + partitionId + ": a log replica does not accept writes");
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
    return CompletableFuture.completedFuture(PartitionStateMachine.message(OutcomeCodec.encode(List.of())));
  }

  @Override
  public CompletableFuture<Message> query(Message request) {
    return CompletableFuture.failedFuture(
        new StateMachineException("partition " + partitionId + ": a log replica holds no items"));
  }

  @Override
  public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
    if (groupMemberId.getPeerId().equals(newLeaderId)) {
      LOG.warn("partition {} log replica on {} was elected leader; it hands leadership away once ready",
          partitionId, newLeaderId);
    }
  }

  /** Leadership can be transferred only once the new term's first entry has committed. */
  @Override
  public void notifyLeaderReady() {
    handOff.handOff(partitionId);
  }
}
