package io.cairn.replication;

import static io.cairn.core.value.AttributeValue.n;
import static io.cairn.core.value.AttributeValue.s;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.core.id.LogIndex;
import io.cairn.core.id.PartitionId;
import io.cairn.core.value.AttributeValue;
import io.cairn.partition.PartitionHost;
import io.cairn.partition.ReplicaContents;
import io.cairn.partition.ReturnValues;
import io.cairn.partition.WriteCommand;
import io.cairn.partition.WriteOutcome;
import io.cairn.partition.index.IndexCatalog;
import io.cairn.partition.index.IndexKeyAttribute;
import io.cairn.partition.index.IndexProjection;
import io.cairn.partition.index.IndexSpec;
import io.cairn.partition.index.TableIndexes;
import io.cairn.storage.Cursor;
import io.cairn.storage.Direction;
import io.cairn.storage.Durability;
import io.cairn.storage.HashRange;
import io.cairn.storage.KeyCodec;
import io.cairn.storage.KeyRange;
import io.cairn.storage.KeyspaceId;
import io.cairn.storage.LogId;
import io.cairn.storage.StorageBatch;
import io.cairn.storage.StorageEngine;
import io.cairn.storage.StorageOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.rpc.SupportedRpcType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica filled from a snapshot holds the partition's local secondary index entries and
 * records, byte for byte as the leader does, and answers LSI queries from them. Three storage
 * nodes in this JVM; per test a table with one LSI and two partitions (the two halves of the hash
 * space) on the same nodes, so the LSI keyspace holds both partitions' entries side by side and
 * an install must touch only its own half.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SnapshotLocalIndexTest {
  /** Snapshots every 200 entries, 64 KB log segments, so the leader purges its log quickly. */
  static final ReplicationOptions OPTIONS = ReplicationOptions.defaults().withSnapshots(200, 64 * 1024, 64);
  static final Duration ELECTION = Duration.ofSeconds(15);
  static final Duration CATCH_UP = Duration.ofSeconds(60);
  /** Bound on the writes that wait for the leader to purge the log a stopped follower needs. */
  static final int PURGE_WRITES_MAX = 8_000;
  static final HashRange LOW = HashRange.segment(0, 2);
  static final HashRange HIGH = HashRange.segment(1, 2);
  /**
   * Two tables, one per test: each has one LSI (keyspace table + 2) and two partitions, the low
   * and the high half of its hashes (partition = table, table + 1).
   */
  static final List<KeyspaceId> TABLES = List.of(new KeyspaceId(31), new KeyspaceId(41));
  static final String PAD = "x".repeat(400);

  @TempDir static Path dir;
  LocalCluster cluster;
  RemotePartitionClient client;
  /** The state machines' log lines: which replica installed what. */
  final ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> stateMachineLog =
      new ch.qos.logback.core.read.ListAppender<>();

  static KeyspaceId lsi(KeyspaceId table) {
    return new KeyspaceId(table.value() + 2);
  }

  static IndexSpec byRank(KeyspaceId table) {
    return new IndexSpec("byRank", false, lsi(table), List.of(new IndexKeyAttribute("pk", "S")),
        List.of(new IndexKeyAttribute("rank", "N")), "pk", "sk", IndexProjection.ALL, List.of());
  }

  static IndexCatalog catalog() {
    return new IndexCatalog() {
      @Override
      public TableIndexes indexesOf(KeyspaceId baseKeyspace) {
        return TABLES.contains(baseKeyspace) ? new TableIndexes(List.of(byRank(baseKeyspace)), List.of(), 10L << 20)
            : null;
      }

      @Override
      public IndexSpec globalIndex(KeyspaceId indexKeyspace) {
        return null;
      }
    };
  }

  static KeyspaceId table(PartitionId partitionId) {
    return new KeyspaceId(partitionId.value() / 10 * 10 + 1);
  }

  static KeyRange range(PartitionId partitionId) {
    KeyspaceId table = table(partitionId);
    if (!TABLES.contains(table)) {
      return null;
    }
    return KeyCodec.hashRange(table, partitionId.value() == table.value() ? LOW : HIGH);
  }

  @BeforeAll
  void startCluster() {
    stateMachineLog.start();
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(PartitionStateMachine.class))
        .addAppender(stateMachineLog);
    cluster = new LocalCluster(dir, OPTIONS, SnapshotLocalIndexTest::range, catalog());
    client = cluster.remoteClient(OPTIONS);
  }

  @AfterEach
  void restartStoppedNodes() {
    cluster.restartAllStopped();
  }

  @AfterAll
  void stopCluster() {
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(PartitionStateMachine.class))
        .detachAppender(stateMachineLog);
    client.close();
    cluster.close();
  }

  @Test
  void a_follower_filled_from_a_snapshot_holds_the_leaders_lsi_entries_and_answers_lsi_queries() {
    Fill fill = fillFromSnapshot(new PartitionId(31), new PartitionId(32));
    assertSameReplica(fill.low(), fill.leader(), fill.follower());
    assertThat(logLines("partition " + fill.low() + " installed a snapshot"))
        .allMatch(line -> line.contains("format 2") && line.contains("local indexes [" + lsi(table(fill.low())) + "]"));
    // The other partition's half of the LSI keyspace, on the same engines, is left as it was.
    assertSameReplica(fill.high(), cluster.awaitLeader(fill.high(), ELECTION), fill.follower());

    // An LSI Query and the LSI's item count, answered by the follower itself.
    String pk = fill.lowKeys().get(0);
    KeyspaceId lsi = lsi(table(fill.low()));
    byte[] prefix = KeyCodec.indexPartitionPrefix(lsi, List.of(s(pk)));
    KeyRange query = new KeyRange(prefix, KeyCodec.prefixSuccessor(prefix));
    ReadCodec.Page page = ReadCodec.decodePage(readFrom(fill.low(), fill.follower(),
        ReadCodec.encodeRange(query, Direction.FORWARD, 1_000, 1 << 20)));
    assertThat(page.more()).isFalse();
    assertThat(hex(page.keys(), page.values())).isEqualTo(rows(cluster.engine(fill.leader()), query)).isNotEmpty();
    long[] lsiStats = ReadCodec.decodeLongs(readFrom(fill.low(), fill.follower(), ReadCodec.encodeStats(lsi)));
    io.cairn.partition.PartitionStats leaderStats =
        PartitionHost.localIndexStats(cluster.engine(fill.leader()), lsi, fill.low());
    assertThat(lsiStats).containsExactly(leaderStats.itemCount(), leaderStats.sizeBytes());
    assertThat(leaderStats.itemCount()).isEqualTo(rows(cluster.engine(fill.leader()),
        KeyCodec.hashRange(lsi, LOW)).size());
  }

  /**
   * A crash after Ratis kept the snapshot but before the engine's final batch leaves the engine
   * below the snapshot's index with its ranges partly replaced (here: emptied); Ratis resumes
   * after the snapshot anyway, so the replica must install it again when it starts.
   */
  @Test
  void a_replica_whose_install_was_cut_short_installs_its_snapshot_again_on_start() {
    Fill fill = fillFromSnapshot(new PartitionId(41), new PartitionId(42));
    assertSameReplica(fill.low(), fill.leader(), fill.follower());
    cluster.stop(fill.follower());
    try (StorageEngine engine = StorageEngine.open(cluster.engineDir(fill.follower()), StorageOptions.small())) {
      try (StorageBatch batch = engine.newBatch()) {
        contents(fill.low()).keyRanges().forEach(batch::deleteRange);
        batch.forgetAppliedIndex(LogId.of(fill.low()));
        engine.commit(batch, Durability.FSYNC);
      }
      try (StorageBatch batch = engine.newBatch()) {
        engine.commit(batch, LogId.of(fill.low()), new LogIndex(fill.followerAppliedBefore()), Durability.FSYNC);
      }
    }
    cluster.start(fill.follower());
    await(client.write(fill.low(), put(fill.low(), fill.lowKeys().get(1), "after", 7)));
    awaitCaughtUp(fill.low(), fill.leader(), fill.follower());
    assertSameReplica(fill.low(), fill.leader(), fill.follower());
    assertThat(logLines("partition " + fill.low() + " replica on " + LocalCluster.nodeId(fill.follower())
        + " holds applied index " + fill.followerAppliedBefore() + " below its snapshot's")).hasSize(1);
  }

  /**
   * @param followerAppliedBefore the follower's applied index when it was stopped
   * @param lowKeys partition keys of the low partition's items
   */
  record Fill(PartitionId low, PartitionId high, int leader, int follower, long followerAppliedBefore,
      List<String> lowKeys) {}

  /**
   * Writes items to both partitions; stops a follower of {@code low}; moves, deletes and adds LSI
   * entries in {@code low} until its leader has purged the log the follower needs; starts the
   * follower again, which Ratis must then fill from the leader's snapshot, and waits until it has
   * caught up. The follower held LSI entries the leader no longer has, so an install that did not
   * clear them would leave them behind.
   */
  private Fill fillFromSnapshot(PartitionId low, PartitionId high) {
    cluster.createGroup(low, cluster.fullGroup());
    cluster.createGroup(high, cluster.fullGroup());
    int leader = cluster.awaitLeader(low, ELECTION);
    cluster.awaitLeader(high, ELECTION);
    List<String> lowKeys = new ArrayList<>();
    List<CompletableFuture<WriteOutcome>> pending = new ArrayList<>();
    for (int j = 0; j < 40; j++) {
      String pk = "p" + low.value() + "-" + j;
      boolean isLow = LOW.contains(KeyCodec.hashPartitionKey(s(pk)));
      if (isLow) {
        lowKeys.add(pk);
      }
      for (int k = 0; k < 3; k++) {
        pending.add(client.write(isLow ? low : high, put(isLow ? low : high, pk, "s" + k, 10L * j + k)));
      }
    }
    pending.forEach(SnapshotLocalIndexTest::await);
    assertThat(lowKeys).hasSizeGreaterThan(5);
    int follower = (leader + 1) % LocalCluster.NODES;
    awaitCaughtUp(low, leader, follower);
    awaitCaughtUp(high, cluster.awaitLeader(high, ELECTION), follower);
    long followerApplied = cluster.node(follower).appliedIndex(low);
    cluster.stop(follower);

    pending.clear();
    for (String pk : lowKeys) {
      pending.add(client.write(low, put(low, pk, "s0", 1_000)));
      pending.add(client.write(low, delete(low, pk, "s1")));
    }
    pending.add(client.write(low, putWithoutRank(low, lowKeys.get(0), "sparse")));
    pending.forEach(SnapshotLocalIndexTest::await);
    int writes = 0;
    while (cluster.node(leader).logStartIndex(low) <= followerApplied + 1) {
      assertThat(writes).as("writes before the leader purged its log").isLessThan(PURGE_WRITES_MAX);
      pending.clear();
      for (int i = 0; i < 64; i++, writes++) {
        pending.add(client.write(low, put(low, lowKeys.get(writes % lowKeys.size()), "n" + writes, writes)));
      }
      pending.forEach(SnapshotLocalIndexTest::await);
    }
    cluster.start(follower);
    awaitCaughtUp(low, leader, follower);
    assertThat(logLines("partition " + low + " installed a snapshot")).as("snapshot installs of %s", low).isNotEmpty();
    return new Fill(low, high, leader, follower, followerApplied, lowKeys);
  }

  private List<String> logLines(String start) {
    return stateMachineLog.list.stream().map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
        .filter(line -> line.startsWith(start)).toList();
  }

  /** Until the follower applied what the leader did, by Ratis's count and by its engine's. */
  private void awaitCaughtUp(PartitionId partitionId, int leader, int follower) {
    LocalCluster.await(() -> cluster.node(follower).appliedIndex(partitionId) >= cluster.node(leader).appliedIndex(partitionId)
            && engineApplied(cluster.engine(follower), partitionId) >= engineApplied(cluster.engine(leader), partitionId),
        CATCH_UP, "node " + follower + " to catch up with the leader of " + partitionId);
  }

  static long engineApplied(StorageEngine engine, PartitionId partitionId) {
    return engine.appliedIndex(LogId.of(partitionId)).value();
  }

  /** Every key and record of the partition's replica on {@code a} equals {@code b}'s. */
  private void assertSameReplica(PartitionId partitionId, int a, int b) {
    StorageEngine left = cluster.engine(a);
    StorageEngine right = cluster.engine(b);
    ReplicaContents contents = contents(partitionId);
    for (KeyRange range : contents.keyRanges()) {
      List<String> expected = rows(left, range);
      List<String> actual = rows(right, range);
      // Keys first, so that a difference shows without the values.
      assertThat(actual.stream().map(row -> row.substring(0, row.indexOf('='))))
          .as("keys of %s in %s on node %s and %s", partitionId, range, b, a)
          .containsExactlyElementsOf(expected.stream().map(row -> row.substring(0, row.indexOf('='))).toList());
      assertThat(actual).as("keys and values of %s in %s on node %s and %s", partitionId, range, b, a)
          .isEqualTo(expected);
    }
    assertThat(rows(left, contents.keyRanges().get(1))).as("LSI entries of %s", partitionId).isNotEmpty();
    assertThat(records(right, contents)).as("records of %s", partitionId).isEqualTo(records(left, contents))
        .isNotEmpty();
  }

  private static ReplicaContents contents(PartitionId partitionId) {
    return ReplicaContents.of(partitionId, range(partitionId), List.of(lsi(table(partitionId))));
  }

  private byte[] readFrom(PartitionId partitionId, int node, byte[] request) {
    RaftProperties properties = new RaftProperties();
    RaftConfigKeys.Rpc.setType(properties, SupportedRpcType.GRPC);
    try (RaftClient raft = RaftClient.newBuilder().setProperties(properties)
        .setRaftGroup(PartitionGroups.group(partitionId, cluster.fullGroup())).build()) {
      return Replies.content(raft.io().sendStaleRead(PartitionStateMachine.message(request), 0,
          RaftPeerId.valueOf(LocalCluster.nodeId(node))), "read from node " + node);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static List<String> rows(StorageEngine engine, KeyRange range) {
    List<byte[]> keys = new ArrayList<>();
    List<byte[]> values = new ArrayList<>();
    try (Cursor cursor = engine.cursor(range, Direction.FORWARD)) {
      while (cursor.next()) {
        keys.add(cursor.key());
        values.add(cursor.value());
      }
    }
    return hex(keys, values);
  }

  static List<String> hex(List<byte[]> keys, List<byte[]> values) {
    List<String> rows = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      rows.add(HexFormat.of().formatHex(keys.get(i)) + "=" + HexFormat.of().formatHex(values.get(i)));
    }
    return rows;
  }

  /** The replica's metadata records and its statistics record, values in hex. */
  static Map<String, String> records(StorageEngine engine, ReplicaContents contents) {
    Map<String, String> records = new TreeMap<>();
    contents.forEachRecord(engine, (name, value) -> records.put(name, HexFormat.of().formatHex(value)));
    byte[] stats = engine.getMetadata(contents.statsName());
    records.put(contents.statsName(), stats == null ? null : HexFormat.of().formatHex(stats));
    return records;
  }

  static WriteCommand put(PartitionId partitionId, String pk, String sk, long rank) {
    Map<String, AttributeValue> item = new LinkedHashMap<>(key(pk, sk));
    item.put("rank", n(rank));
    item.put("pad", s(PAD));
    return new WriteCommand.Put(KeyCodec.itemKey(table(partitionId), s(pk), s(sk)), key(pk, sk), item, null, ReturnValues.NONE,
        false);
  }

  static WriteCommand putWithoutRank(PartitionId partitionId, String pk, String sk) {
    Map<String, AttributeValue> item = new LinkedHashMap<>(key(pk, sk));
    item.put("pad", s(PAD));
    return new WriteCommand.Put(KeyCodec.itemKey(table(partitionId), s(pk), s(sk)), key(pk, sk), item, null, ReturnValues.NONE,
        false);
  }

  static WriteCommand delete(PartitionId partitionId, String pk, String sk) {
    return new WriteCommand.Delete(KeyCodec.itemKey(table(partitionId), s(pk), s(sk)), key(pk, sk), null, ReturnValues.NONE, false);
  }

  static Map<String, AttributeValue> key(String pk, String sk) {
    return Map.of("pk", s(pk), "sk", s(sk));
  }

  static WriteOutcome await(CompletableFuture<WriteOutcome> future) {
    WriteOutcome outcome = future.orTimeout(30, TimeUnit.SECONDS).join();
    assertThat(outcome).isInstanceOf(WriteOutcome.Applied.class);
    return outcome;
  }
}
