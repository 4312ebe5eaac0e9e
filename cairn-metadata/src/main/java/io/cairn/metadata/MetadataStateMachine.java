package io.cairn.metadata;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ratis driver around {@link MetadataState}: decodes a log entry, applies it, encodes the reply.
 * Snapshots are the whole state in one file ({@link MetadataState#writeTo}), so a restarted member
 * loads the latest snapshot and replays only the log after it, and a member that fell behind the
 * leader's log is sent the snapshot by Ratis.
 */
public final class MetadataStateMachine extends BaseStateMachine {
  private static final Logger log = LoggerFactory.getLogger(MetadataStateMachine.class);

  private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
  private final Object lock = new Object();
  private MetadataState state = new MetadataState();
  private final LongAdder queriesServed = new LongAdder();
  private final LongAdder commandsApplied = new LongAdder();

  @Override
  public StateMachineStorage getStateMachineStorage() {
    return storage;
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
    super.initialize(server, groupId, raftStorage);
    getLifeCycle().startAndTransition(() -> {
      storage.init(raftStorage);
      loadLatestSnapshot();
    });
  }

  /** Ratis pauses the state machine before installing a snapshot sent by the leader. */
  @Override
  public void pause() {
    if (getLifeCycleState() == LifeCycle.State.RUNNING) {
      getLifeCycle().transition(LifeCycle.State.PAUSING);
      getLifeCycle().transition(LifeCycle.State.PAUSED);
    }
  }

  /** Called after Ratis installed a snapshot from the leader: the state becomes the snapshot's. */
  @Override
  public void reinitialize() throws IOException {
    storage.loadLatestSnapshot();
    loadLatestSnapshot();
    if (getLifeCycleState() == LifeCycle.State.PAUSED) {
      getLifeCycle().transition(LifeCycle.State.STARTING);
      getLifeCycle().transition(LifeCycle.State.RUNNING);
    }
  }

  private void loadLatestSnapshot() throws IOException {
    SingleFileSnapshotInfo snapshot = storage.getLatestSnapshot();
    if (snapshot == null) {
      return;
    }
    File file = snapshot.getFile().getPath().toFile();
    MD5FileUtil.verifySavedMD5(file, snapshot.getFile().getFileDigest());
    MetadataState loaded;
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file.toPath())))) {
      loaded = MetadataState.readFrom(in);
    }
    synchronized (lock) {
      state = loaded;
      setLastAppliedTermIndex(snapshot.getTermIndex());
    }
    log.info("metadata snapshot loaded: {} revision={}", snapshot.getTermIndex(), loaded.revision());
  }

  @Override
  public long takeSnapshot() throws IOException {
    TermIndex last;
    File file;
    File tmp;
    synchronized (lock) {
      last = getLastAppliedTermIndex();
      if (last == null || last.getIndex() < 0) {
        return INVALID_INDEX;
      }
      file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
      tmp = new File(file.getParentFile(), file.getName() + ".tmp");
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp.toPath())))) {
        state.writeTo(out);
      }
    }
    Files.move(tmp.toPath(), file.toPath(), StandardCopyOption.ATOMIC_MOVE);
    var digest = MD5FileUtil.computeAndSaveMd5ForFile(file);
    storage.updateLatestSnapshot(new SingleFileSnapshotInfo(
        new org.apache.ratis.server.storage.FileInfo(file.toPath(), digest), last));
    log.info("metadata snapshot taken: {}", last);
    return last.getIndex();
  }

  private static final long INVALID_INDEX = -1;

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    MetadataCommand command = MetadataCodec.decodeCommand(entry.getStateMachineLogEntry().getLogData().toByteArray());
    MetadataReply reply;
    synchronized (lock) {
      reply = state.apply(command);
      updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
    }
    commandsApplied.increment();
    return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(MetadataCodec.encode(reply))));
  }

  @Override
  public CompletableFuture<Message> query(Message request) {
    queriesServed.increment();
    MetadataQuery query = MetadataCodec.decodeQuery(request.getContent().toByteArray());
    MetadataReply reply;
    synchronized (lock) {
      reply = state.query(query);
    }
    return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(MetadataCodec.encode(reply))));
  }

  /** Reads answered by this member (the load the routers' caches put on the service). */
  public long queriesServed() {
    return queriesServed.sum();
  }

  public long commandsApplied() {
    return commandsApplied.sum();
  }

  /** A copy of the current state, for tests and status pages. */
  public MetadataReply localQuery(MetadataQuery query) {
    synchronized (lock) {
      return state.query(query);
    }
  }
}
