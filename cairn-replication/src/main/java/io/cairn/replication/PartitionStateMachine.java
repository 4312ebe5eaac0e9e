package io.cairn.replication;

import io.cairn.core.Invariants;
import io.cairn.core.id.PartitionId;
import io.cairn.partition.PartitionApplier;
import io.cairn.partition.WriteCommand;
import io.cairn.storage.Durability;
import io.cairn.storage.StorageEngine;
import io.cairn.storage.KeyRange;
import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.MD5FileUtil;
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
 * after its latest snapshot's index; an entry at or below the stored index is skipped, which makes
 * replay idempotent. The engine's commits need not be fsynced: the Ratis log, fsynced before a
 * write is acknowledged, is the durable copy, and the log is never purged past what the engine has
 * made durable.
 *
 * <p><b>Snapshots.</b> When the partition's key range is known, a snapshot is everything the
 * replica keeps in the engine ({@link io.cairn.partition.ReplicaContents}: its hash range in the
 * table's keyspace and in each of the table's LSIs' keyspaces, its statistics, its LSIs' and its
 * item collection sizes) written to one file ({@link PartitionSnapshot}) on the updater thread (so
 * nothing is applied meanwhile), after the engine's WAL is fsynced: only then may Ratis purge the
 * log up to it. A follower that needs entries the leader purged receives the file from Ratis and
 * installs it in {@link #reinitialize}, replacing whatever it held in those ranges and records. A
 * replica that finds its engine below its latest snapshot when it starts (an install cut short)
 * installs that snapshot again in {@link #initialize}. Without a range, no snapshot is taken and
 * the log is kept whole.
 *
 * <p><b>Reply.</b> The reply to an entry is {@link OutcomeCodec} bytes: one outcome per command.
 */
final class PartitionStateMachine extends BaseStateMachine {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionStateMachine.class);

  private final PartitionId partitionId;
  private final StorageEngine engine;
  private final PartitionApplier applier;
  private final Durability durability;
  /** The partition's key range, or null when snapshots are off. */
  private final KeyRange range;
  private final SimpleStateMachineStorage snapshots = new SimpleStateMachineStorage();
  /**
   * Longest a stale read waits for the entries its replica knows committed to be applied; past it
   * the read fails and the router asks the leader.
   */
  static final long STALE_READ_CATCH_UP_MS = 1_000;
  private final AppliedIndexGate appliedGate = new AppliedIndexGate();
  /** This replica's division, looked up on the first stale read (it exists once reads arrive). */
  private volatile RaftServer.Division division;
  /** Written only by the updater thread; read by queries for their log lines. */
  private volatile PartitionApplier.Position position;

  PartitionStateMachine(PartitionId partitionId, StorageEngine engine, PartitionApplier applier, Durability durability,
      KeyRange range) {
    this.partitionId = partitionId;
    this.range = range;
    this.engine = engine;
    this.applier = applier;
    this.durability = durability;
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage storage) throws IOException {
    super.initialize(server, groupId, storage);
    // Ratis pauses the state machine (RUNNING → PAUSED) before installing a snapshot and checks it.
    getLifeCycle().startAndTransition(() -> {
      snapshots.init(storage);
      position = applier.load(partitionId);
      SnapshotInfo latest = snapshots.getLatestSnapshot();
      if (range != null && latest != null && latest.getIndex() > position.appliedIndex()) {
        // Ratis resumes after its latest snapshot whatever the engine holds, so an install that
        // a crash cut short (the snapshot file kept, the engine's final batch not committed) is
        // done again here; otherwise the entries after it would apply to a partial replica.
        LOG.info("partition {} replica on {} holds applied index {} below its snapshot's {}: installing it again",
            partitionId, server.getId(), position.appliedIndex(), latest.getIndex());
        installLatestSnapshot();
      }
    }, IOException.class);
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

  @Override
  public StateMachineStorage getStateMachineStorage() {
    return snapshots;
  }

  @Override
  public SnapshotInfo getLatestSnapshot() {
    return snapshots.getLatestSnapshot();
  }

  @Override
  public long takeSnapshot() throws IOException {
    TermIndex last = getLastAppliedTermIndex();
    if (range == null || last == null || last.getIndex() <= 0) {
      return RaftLog.INVALID_LOG_INDEX;
    }
    SnapshotInfo latest = snapshots.getLatestSnapshot();
    if (latest != null && latest.getIndex() >= last.getIndex()) {
      return latest.getIndex();
    }
    if (position.appliedIndex() < last.getIndex()) {
      // Ratis's applied index also counts entries without commands (a new leader's no-op,
      // configuration changes), which the engine does not record. The engine is brought to the
      // snapshot's index, so that an engine found below its latest snapshot on start means an
      // install that was cut short, not a no-op at the end of the log (initialize).
      try (io.cairn.storage.StorageBatch batch = engine.newBatch()) {
        engine.commit(batch, io.cairn.storage.LogId.of(partitionId), new io.cairn.core.id.LogIndex(last.getIndex()),
            durability);
      }
      position = new PartitionApplier.Position(partitionId, last.getIndex(), position.stats());
    }
    File file = snapshots.getSnapshotFile(last.getTerm(), last.getIndex());
    io.cairn.partition.ReplicaContents contents = contents();
    PartitionSnapshot.Counts counts =
        PartitionSnapshot.write(file.toPath(), engine, contents, last.getIndex(), position.stats());
    MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(file);
    // The engine must hold everything up to the snapshot durably before Ratis purges that log.
    engine.flushWal(true);
    snapshots.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), last));
    snapshots.cleanupOldSnapshots(new org.apache.ratis.statemachine.SnapshotRetentionPolicy() {
      @Override
      public int getNumSnapshotsRetained() {
        return 2;
      }
    });
    LOG.info("partition {} snapshot at index {} ({} bytes: {} items, {} entries of local indexes {}, {} records)",
        partitionId, last.getIndex(), file.length(), counts.tableKeys(), counts.indexKeys(), contents.localIndexes(),
        counts.records());
    return last.getIndex();
  }

  /**
   * What this replica keeps in the engine: its range of the table and of the table's LSIs. The
   * applier's catalog names the LSIs; they are fixed when the table is created, so every replica
   * of the partition names the same ones.
   */
  private io.cairn.partition.ReplicaContents contents() {
    io.cairn.storage.KeyspaceId base =
        new io.cairn.storage.KeyspaceId(java.nio.ByteBuffer.wrap(range.lowerInclusive()).getLong());
    return io.cairn.partition.ReplicaContents.of(partitionId, range, applier.localIndexKeyspaces(base));
  }

  @Override
  public void pause() {
    if (getLifeCycle().getCurrentState() == org.apache.ratis.util.LifeCycle.State.RUNNING) {
      getLifeCycle().transition(org.apache.ratis.util.LifeCycle.State.PAUSING);
      getLifeCycle().transition(org.apache.ratis.util.LifeCycle.State.PAUSED);
    }
  }

  /** Ratis installed a snapshot from the leader into this division's directory: load it into the engine. */
  @Override
  public void reinitialize() throws IOException {
    if (getLifeCycle().getCurrentState() == org.apache.ratis.util.LifeCycle.State.PAUSED) {
      getLifeCycle().startAndTransition(this::installLatestSnapshot, IOException.class);
    } else {
      installLatestSnapshot();
    }
  }

  private void installLatestSnapshot() throws IOException {
    SingleFileSnapshotInfo snapshot = snapshots.loadLatestSnapshot();
    if (snapshot == null || range == null) {
      return;
    }
    long index = snapshot.getIndex();
    if (index > position.appliedIndex()) {
      PartitionSnapshot.Installed installed =
          PartitionSnapshot.install(snapshot.getFile().getPath(), engine, range, partitionId, index);
      position = new PartitionApplier.Position(partitionId, index, installed.stats());
      LOG.info("partition {} installed a snapshot at index {} (format {}: {} items, {} entries of local indexes {}, "
          + "{} records)", partitionId, index, installed.version(), installed.counts().tableKeys(),
          installed.counts().indexKeys(), installed.localIndexes(), installed.counts().records());
    }
    updateLastAppliedTermIndex(snapshot.getTerm(), index);
  }

  /**
   * A stale read (an eventually consistent read on any replica). Ratis has checked that this
   * replica's commit index reaches {@code minIndex}, the router's last acknowledged write to the
   * partition; it checks the commit index, not the applied one. So the read first waits until the
   * replica has applied every entry it knows committed, for at most
   * {@link #STALE_READ_CATCH_UP_MS} (then it fails and the router asks the leader): a router's read
   * of its own acknowledged write sees it, and any follower read is at most about one replication
   * round trip behind the leader (the leader tells followers a new commit index at once), not a
   * heartbeat or an apply backlog.
   *
   * <p>Not Ratis's own {@code BaseStateMachine.queryStale}: in 3.3.0 it parks a read whose minimum
   * index is not applied yet on a future that {@code updateLastAppliedTermIndex} completes only when
   * called with an unchanged index (the completing loop sits after an early return taken whenever
   * the index advances), so a read that arrived between commit and apply got no answer until the
   * client gave up: the "a few stale reads in a thousand unanswered right after a write" of earlier
   * measurements.
   */
  @Override
  public CompletableFuture<Message> queryStale(Message request, long minIndex) {
    RaftServer.Division self = division();
    long committed = self == null ? minIndex : Math.max(minIndex, self.getRaftLog().getLastCommittedIndex());
    CompletableFuture<Void> caughtUp = appliedGate.await(committed);
    if (!caughtUp.isDone()) {
      return caughtUp.orTimeout(STALE_READ_CATCH_UP_MS, java.util.concurrent.TimeUnit.MILLISECONDS)
          .thenComposeAsync(ready -> query(request));
    }
    return query(request);
  }

  /**
   * Reads, from what this replica has applied; Ratis calls this after the read index is applied
   * (linearizable, on the leader) and {@link #queryStale} once the replica has caught up.
   *
   * <p>A range read must stay inside this partition's key range: a router whose partition map is
   * out of date is told so rather than served another partition's keys.
   */
  @Override
  public CompletableFuture<Message> query(Message request) {
    try {
      return CompletableFuture.completedFuture(message(read(request)));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private byte[] read(Message request) {
    return switch (ReadCodec.decode(request.getContent().toByteArray())) {
      case ReadCodec.Get get -> ReadCodec.encodeValue(engine.get(get.storageKey()));
      case ReadCodec.Range r -> ReadCodec.encodePage(page(r));
      case ReadCodec.Collection c -> ReadCodec.encodeLongs(
          io.cairn.partition.PartitionHost.itemCollectionBytes(engine, c.base(), c.partitionKey()), 0);
      case ReadCodec.Stats s -> {
        io.cairn.partition.PartitionStats stats = s.localIndex() == null ? position.stats()
            : io.cairn.partition.PartitionHost.localIndexStats(engine, s.localIndex(), partitionId);
        yield ReadCodec.encodeLongs(stats.itemCount(), stats.sizeBytes());
      }
    };
  }

  /** This replica's division, or null while the server is still starting it. */
  private RaftServer.Division division() {
    if (division != null) {
      return division;
    }
    RaftServer server = getServer().getNow(null);
    if (server == null) {
      return null;
    }
    try {
      division = server.getDivision(getGroupId());
    } catch (IOException e) {
      return null;
    }
    return division;
  }

  /** Every applied index (entries, and the no-op and configuration entries Ratis applies itself) opens the gate. */
  @Override
  protected boolean updateLastAppliedTermIndex(long term, long index) {
    boolean updated = super.updateLastAppliedTermIndex(term, index);
    appliedGate.advance(index);
    return updated;
  }

  private ReadCodec.Page page(ReadCodec.Range request) {
    if (range != null) {
      KeyRange own = inKeyspaceOf(range, request.range());
      Invariants.check(request.range().intersect(own).equals(request.range()),
          "partition %s asked for keys %s outside its range %s", partitionId, request.range(), own);
    }
    java.util.List<byte[]> keys = new java.util.ArrayList<>();
    java.util.List<byte[]> values = new java.util.ArrayList<>();
    long bytes = 0;
    try (io.cairn.storage.Cursor cursor = engine.cursor(request.range(), request.direction())) {
      while (cursor.next()) {
        if (keys.size() == request.itemsMax() || bytes >= request.bytesMax()) {
          return new ReadCodec.Page(keys, values, true);
        }
        byte[] value = cursor.value();
        keys.add(cursor.key());
        values.add(value);
        bytes += value.length;
      }
    }
    return new ReadCodec.Page(keys, values, false);
  }

  /**
   * The partition's hash range in the keyspace of {@code requested}. A partition also holds its
   * items' LSI entries, in each LSI's own keyspace under the same partition-key hash
   * ({@code lsiKeyspace | hash | ...}), so a Query or Scan on an LSI asks for a range there; the
   * check that matters (a router with a partition map from before a split asks for hashes this
   * partition no longer owns) is on the hash. Before this, every LSI read on a cluster failed the
   * check and the router timed out.
   */
  static KeyRange inKeyspaceOf(KeyRange own, KeyRange requested) {
    byte[] keyspace = java.util.Arrays.copyOf(requested.lowerInclusive(), KEYSPACE_BYTES);
    if (requested.lowerInclusive().length < KEYSPACE_BYTES
        || java.util.Arrays.equals(keyspace, 0, KEYSPACE_BYTES, own.lowerInclusive(), 0, KEYSPACE_BYTES)) {
      return own;
    }
    byte[] lower = own.lowerInclusive().clone();
    System.arraycopy(keyspace, 0, lower, 0, KEYSPACE_BYTES);
    byte[] upper;
    if (own.upperExclusive().length > KEYSPACE_BYTES) {
      upper = own.upperExclusive().clone();
      System.arraycopy(keyspace, 0, upper, 0, KEYSPACE_BYTES);
    } else {
      // The range runs to the end of its keyspace: the bound is the next keyspace's prefix.
      upper = java.nio.ByteBuffer.allocate(KEYSPACE_BYTES)
          .putLong(java.nio.ByteBuffer.wrap(keyspace).getLong() + 1).array();
    }
    return new KeyRange(lower, upper);
  }

  private static final int KEYSPACE_BYTES = 8;

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
