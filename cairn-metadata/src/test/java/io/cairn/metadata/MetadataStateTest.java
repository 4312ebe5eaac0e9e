package io.cairn.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.core.id.PartitionId;
import io.cairn.metadata.MetadataCommand.AbandonReplacement;
import io.cairn.metadata.MetadataCommand.AllocateIds;
import io.cairn.metadata.MetadataCommand.BeginReplacement;
import io.cairn.metadata.MetadataCommand.CompareAndSetTable;
import io.cairn.metadata.MetadataCommand.CreateTable;
import io.cairn.metadata.MetadataCommand.DeleteTable;
import io.cairn.metadata.MetadataCommand.FinishReplacement;
import io.cairn.metadata.MetadataCommand.Heartbeat;
import io.cairn.metadata.MetadataCommand.RegisterNode;
import io.cairn.metadata.MetadataCommand.SetNodeHealth;
import io.cairn.metadata.MetadataCommand.SetPartitionReplicas;
import io.cairn.metadata.MetadataReply.AlreadyExists;
import io.cairn.metadata.MetadataReply.Conflict;
import io.cairn.metadata.MetadataReply.IdsAllocated;
import io.cairn.metadata.MetadataReply.NodeRecorded;
import io.cairn.metadata.MetadataReply.PartitionFound;
import io.cairn.metadata.MetadataReply.PartitionRecorded;
import io.cairn.metadata.MetadataReply.Rejected;
import io.cairn.metadata.MetadataReply.TableAbsent;
import io.cairn.metadata.MetadataReply.TableDeleted;
import io.cairn.metadata.MetadataReply.TableFound;
import io.cairn.metadata.MetadataReply.TableWritten;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MetadataStateTest {
  private final MetadataState state = new MetadataState();

  private static byte[] def(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private long create(String name, String definition) {
    return ((TableWritten) state.apply(new CreateTable(name, def(definition)))).version();
  }

  @Test
  void createFailsIfTheNameExists() {
    long v1 = create("orders", "a");
    assertThat(state.apply(new CreateTable("orders", def("b")))).isEqualTo(new AlreadyExists("orders", v1));
    assertThat(((TableFound) state.query(new MetadataQuery.GetTable("orders"))).table().definition()).isEqualTo(def("a"));
  }

  @Test
  void compareAndSetSucceedsOnlyFromTheCurrentVersion() {
    long v1 = create("orders", "a");
    // Two control-plane changes both read v1; the first wins, the second must not overwrite it.
    var first = state.apply(new CompareAndSetTable("orders", v1, def("b")));
    var second = state.apply(new CompareAndSetTable("orders", v1, def("c")));
    assertThat(first).isInstanceOf(TableWritten.class);
    long v2 = ((TableWritten) first).version();
    assertThat(v2).isGreaterThan(v1);
    assertThat(second).isEqualTo(new Conflict("table orders", v1, v2));
    TableFound found = (TableFound) state.query(new MetadataQuery.GetTable("orders"));
    assertThat(found.table()).isEqualTo(new TableRecord("orders", v2, def("b")));
    // Retrying from the version the conflict reported succeeds.
    assertThat(state.apply(new CompareAndSetTable("orders", v2, def("c")))).isInstanceOf(TableWritten.class);
  }

  @Test
  void compareAndSetOnAMissingTableIsAConflictWithVersionZero() {
    assertThat(state.apply(new CompareAndSetTable("ghost", 5, def("x")))).isEqualTo(new Conflict("table ghost", 5, 0));
  }

  @Test
  void deleteIsConditionalAndVersionsNeverRepeatAcrossRecreate() {
    long v1 = create("orders", "a");
    assertThat(state.apply(new DeleteTable("orders", v1 + 100))).isInstanceOf(Conflict.class);
    assertThat(state.apply(new DeleteTable("orders", v1))).isInstanceOf(TableDeleted.class);
    assertThat(state.query(new MetadataQuery.GetTable("orders"))).isInstanceOf(TableAbsent.class);
    assertThat(state.apply(new DeleteTable("orders", MetadataCommand.ANY_VERSION))).isEqualTo(new Conflict("table orders", -1, 0));
    long v2 = create("orders", "b");
    assertThat(v2).isGreaterThan(v1);
    // A CAS prepared against the old incarnation cannot touch the new one.
    assertThat(state.apply(new CompareAndSetTable("orders", v1, def("stale")))).isInstanceOf(Conflict.class);
    assertThat(state.apply(new DeleteTable("orders", MetadataCommand.ANY_VERSION))).isInstanceOf(TableDeleted.class);
  }

  @Test
  void idAllocationNeverRepeatsIncludingAcrossSnapshots() throws IOException {
    Random random = new Random(42);
    Set<Long> tableIds = new HashSet<>();
    Set<Long> partitionIds = new HashSet<>();
    MetadataState s = state;
    for (int i = 0; i < 2000; i++) {
      IdKind kind = random.nextBoolean() ? IdKind.TABLE : IdKind.PARTITION;
      int count = 1 + random.nextInt(20);
      IdsAllocated ids = (IdsAllocated) s.apply(new AllocateIds(kind, count));
      assertThat(ids.count()).isEqualTo(count);
      Set<Long> seen = kind == IdKind.TABLE ? tableIds : partitionIds;
      for (long id = ids.first(); id < ids.first() + count; id++) {
        assertThat(id).isPositive();
        assertThat(seen.add(id)).as("id %d of %s handed out twice (seed 42, step %d)", id, kind, i).isTrue();
      }
      if (i % 500 == 499) {
        s = roundTrip(s); // a restarted member continues from its snapshot
      }
    }
    assertThat(tableIds.size() + partitionIds.size()).isGreaterThan(10_000);
  }

  @Test
  void idAllocationRejectsBadCounts() {
    assertThat(state.apply(new AllocateIds(IdKind.TABLE, 0))).isInstanceOf(Rejected.class);
    assertThat(state.apply(new AllocateIds(IdKind.TABLE, MetadataState.ID_BATCH_MAX + 1))).isInstanceOf(Rejected.class);
    assertThat(((IdsAllocated) state.apply(new AllocateIds(IdKind.TABLE, 1))).first()).isEqualTo(1);
  }

  @Test
  void nodesRegisterHeartbeatAndChangeHealth() {
    var registered = (NodeRecorded) state.apply(new RegisterNode("storage-az1-1", "az1", "127.0.0.1:7001", 1000));
    assertThat(registered.node()).isEqualTo(new NodeRecord("storage-az1-1", "az1", "127.0.0.1:7001", 1000, NodeHealth.UP));
    var beat = (NodeRecorded) state.apply(new Heartbeat("storage-az1-1", 2000));
    assertThat(beat.node().lastHeartbeatMs()).isEqualTo(2000);
    // A late heartbeat (reordered across a leader change) does not move time backwards.
    assertThat(((NodeRecorded) state.apply(new Heartbeat("storage-az1-1", 1500))).node().lastHeartbeatMs()).isEqualTo(2000);
    assertThat(state.apply(new Heartbeat("storage-az9-9", 2000))).isInstanceOf(Rejected.class);
    assertThat(((NodeRecorded) state.apply(new SetNodeHealth("storage-az1-1", NodeHealth.DOWN))).node().health()).isEqualTo(NodeHealth.DOWN);
    // A heartbeat does not resurrect a node auto-admin declared down; re-registering does.
    assertThat(((NodeRecorded) state.apply(new Heartbeat("storage-az1-1", 3000))).node().health()).isEqualTo(NodeHealth.DOWN);
    assertThat(((NodeRecorded) state.apply(new RegisterNode("storage-az1-1", "az1", "127.0.0.1:7002", 4000))).node())
        .isEqualTo(new NodeRecord("storage-az1-1", "az1", "127.0.0.1:7002", 4000, NodeHealth.UP));
    // A node id cannot move to another AZ.
    assertThat(state.apply(new RegisterNode("storage-az1-1", "az2", "127.0.0.1:7002", 5000))).isInstanceOf(Rejected.class);
    assertThat(((MetadataReply.Nodes) state.query(new MetadataQuery.ListNodes())).nodes()).hasSize(1);
  }

  @Test
  void partitionReplicasMustBeKnownNodesAndAreVersioned() {
    state.apply(new RegisterNode("n1", "az1", "h:1", 0));
    state.apply(new RegisterNode("n2", "az2", "h:2", 0));
    state.apply(new RegisterNode("n3", "az3", "h:3", 0));
    PartitionId p = new PartitionId(7);
    assertThat(state.apply(new SetPartitionReplicas(p, List.of("n1", "n4"), "", -1))).isInstanceOf(Rejected.class);
    assertThat(state.apply(new SetPartitionReplicas(p, List.of("n1", "n1"), "", -1))).isInstanceOf(Rejected.class);
    assertThat(state.apply(new SetPartitionReplicas(p, List.of("n1", "n2"), "n3", -1))).isInstanceOf(Rejected.class);
    var set = (PartitionRecorded) state.apply(new SetPartitionReplicas(p, List.of("n1", "n2", "n3"), "n1", 0));
    long v = set.partition().version();
    assertThat(state.apply(new SetPartitionReplicas(p, List.of("n1", "n2", "n3"), "n2", 0))).isEqualTo(new Conflict("partition p000007", 0, v));
    var moved = (PartitionRecorded) state.apply(new SetPartitionReplicas(p, List.of("n1", "n2", "n3"), "n2", v));
    assertThat(((PartitionFound) state.query(new MetadataQuery.GetPartition(p))).partition()).isEqualTo(moved.partition());
    state.apply(new SetPartitionReplicas(p, List.of(), "", MetadataCommand.ANY_VERSION));
    assertThat(state.query(new MetadataQuery.GetPartition(p))).isInstanceOf(MetadataReply.PartitionAbsent.class);
  }

  @Test
  void aReplacementIsRecordedThenFinishedOrAbandoned() {
    for (String n : List.of("n1", "n2", "n3", "n4", "n5")) {
      state.apply(new RegisterNode(n, "az" + n.charAt(1), "h:" + n, 0));
    }
    PartitionId p = new PartitionId(9);
    assertThat(state.apply(new BeginReplacement(p, "n4", "n1", MetadataCommand.ANY_VERSION)))
        .isEqualTo(new Conflict("partition p000009", MetadataCommand.ANY_VERSION, 0));
    long v0 = ((PartitionRecorded) state.apply(new SetPartitionReplicas(p, List.of("n1", "n2", "n3"), "n1", 0)))
        .partition().version();
    // The replaced node must be a replica; the filling node a registered node that is not.
    assertThat(state.apply(new BeginReplacement(p, "n4", "n5", v0))).isInstanceOf(Rejected.class);
    assertThat(state.apply(new BeginReplacement(p, "n2", "n1", v0))).isInstanceOf(Rejected.class);
    assertThat(state.apply(new BeginReplacement(p, "n9", "n1", v0))).isInstanceOf(Rejected.class);
    assertThat(state.apply(new BeginReplacement(p, "n4", "n1", v0 + 1))).isInstanceOf(Conflict.class);
    PartitionReplicas filling = ((PartitionRecorded) state.apply(new BeginReplacement(p, "n4", "n1", v0))).partition();
    assertThat(filling.replicaNodeIds()).containsExactly("n1", "n2", "n3");
    assertThat(filling.replacement()).contains(new PartitionReplicas.Replacement("n4", "n1"));
    assertThat(filling.version()).isGreaterThan(v0);
    assertThat(filling.names("n4")).isTrue();
    assertThat(filling.names("n5")).isFalse();
    assertThat(filling.replicaNodeIdsAfterReplacement()).containsExactly("n4", "n2", "n3");
    // One replacement at a time.
    assertThat(state.apply(new BeginReplacement(p, "n5", "n2", filling.version()))).isInstanceOf(Rejected.class);
    // A heartbeat's leader hint keeps the replacement; the filling node is not a replica yet.
    state.apply(new Heartbeat("n4", 10, List.of(p)));
    state.apply(new Heartbeat("n2", 10, List.of(p)));
    PartitionReplicas hinted = ((PartitionFound) state.query(new MetadataQuery.GetPartition(p))).partition();
    assertThat(hinted.leaderHint()).isEqualTo("n2");
    assertThat(hinted.replacement()).isEqualTo(filling.replacement());

    PartitionReplicas done = ((PartitionRecorded) state.apply(new FinishReplacement(p, hinted.version()))).partition();
    assertThat(done.replicaNodeIds()).containsExactly("n4", "n2", "n3");
    assertThat(done.replacement()).isEmpty();
    assertThat(done.leaderHint()).isEqualTo("n2");
    assertThat(state.apply(new FinishReplacement(p, done.version()))).isInstanceOf(Rejected.class);
    assertThat(state.apply(new AbandonReplacement(p, done.version()))).isInstanceOf(Rejected.class);

    // The replaced node led: the hint is cleared when it leaves. Abandoning leaves the set alone.
    long v1 = ((PartitionRecorded) state.apply(new BeginReplacement(p, "n1", "n2", done.version()))).partition().version();
    PartitionReplicas cleared = ((PartitionRecorded) state.apply(new FinishReplacement(p, v1))).partition();
    assertThat(cleared.replicaNodeIds()).containsExactly("n4", "n1", "n3");
    assertThat(cleared.leaderHint()).isEmpty();
    long v2 = ((PartitionRecorded) state.apply(new BeginReplacement(p, "n5", "n3", cleared.version()))).partition()
        .version();
    PartitionReplicas abandoned = ((PartitionRecorded) state.apply(new AbandonReplacement(p, v2))).partition();
    assertThat(abandoned.replicaNodeIds()).containsExactly("n4", "n1", "n3");
    assertThat(abandoned.replacement()).isEmpty();
    assertThat(abandoned.version()).isGreaterThan(v2);
  }

  /** A snapshot written in format 1 (before replacements existed) still loads. */
  @Test
  void aFormatOneSnapshotStillLoads() throws IOException {
    state.apply(new RegisterNode("n1", "az1", "h:1", 0));
    state.apply(new SetPartitionReplicas(new PartitionId(3), List.of("n1"), "n1", 0));
    create("orders", "a");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(0x4341_4d44);
      out.writeInt(1);
      out.writeLong(state.revision());
      out.writeLong(1);
      out.writeLong(1);
      out.writeInt(1);
      MetadataCodec.writeTable(out, ((TableFound) state.query(new MetadataQuery.GetTable("orders"))).table());
      out.writeInt(1);
      MetadataCodec.writeNode(out, ((MetadataReply.Nodes) state.query(new MetadataQuery.ListNodes())).nodes().getFirst());
      out.writeInt(1);
      MetadataCodec.writePartition(out, ((PartitionFound) state.query(new MetadataQuery.GetPartition(new PartitionId(3))))
          .partition());
      out.writeInt(0x4341_4d44);
    }
    MetadataState loaded = MetadataState.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    assertThat(loaded).isEqualTo(state);
  }

  /** A reply in format 1 (from a member running the code before replacements) still decodes. */
  @Test
  void aFormatOnePartitionReplyStillDecodes() throws IOException {
    PartitionReplicas p = new PartitionReplicas(new PartitionId(4), List.of("n1", "n2"), "n2", 17);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(78); // PARTITIONS, format 1
      out.writeInt(1);
      MetadataCodec.writePartition(out, p);
      out.writeLong(99);
    }
    assertThat(MetadataCodec.decodeReply(bytes.toByteArray())).isEqualTo(new MetadataReply.Partitions(List.of(p), 99));
  }

  @Test
  void snapshotRoundTripGivesAnEqualStateAndTheSameReplies() throws IOException {
    List<MetadataCommand> commands = randomCommands(new Random(7), 3000);
    MetadataState a = new MetadataState();
    MetadataState b = new MetadataState();
    for (int i = 0; i < commands.size(); i++) {
      var ra = a.apply(commands.get(i));
      var rb = b.apply(commands.get(i));
      assertThat(rb).as("step %d %s", i, commands.get(i)).isEqualTo(ra);
      if (i % 1000 == 999) {
        b = roundTrip(b);
        assertThat(b).isEqualTo(a);
      }
    }
    assertThat(a.revision()).isPositive();
  }

  @Test
  void everyCommandQueryAndReplySurvivesTheCodec() {
    int replacements = 0;
    for (MetadataCommand c : randomCommands(new Random(3), 500)) {
      MetadataCommand decoded = MetadataCodec.decodeCommand(MetadataCodec.encode(c));
      // records with byte[] compare by identity, so compare encodings
      assertThat(MetadataCodec.encode(decoded)).isEqualTo(MetadataCodec.encode(c));
      MetadataReply reply = state.apply(c);
      assertThat(MetadataCodec.decodeReply(MetadataCodec.encode(reply))).usingRecursiveComparison().isEqualTo(reply);
      if (reply instanceof PartitionRecorded r && r.partition().replacement().isPresent()) {
        replacements++;
      }
    }
    assertThat(replacements).as("replies carrying a replacement in progress").isPositive();
    for (MetadataQuery q : List.of(new MetadataQuery.GetTable("t1"), new MetadataQuery.ListTables(),
        new MetadataQuery.GetPartition(new PartitionId(3)), new MetadataQuery.ListNodes())) {
      assertThat(MetadataCodec.decodeQuery(MetadataCodec.encode(q))).isEqualTo(q);
      MetadataReply reply = state.query(q);
      assertThat(MetadataCodec.decodeReply(MetadataCodec.encode(reply))).usingRecursiveComparison().isEqualTo(reply);
    }
  }

  static MetadataState roundTrip(MetadataState s) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      s.writeTo(out);
    }
    return MetadataState.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
  }

  /** A random mix of every command over a few names, so conflicts, absences and successes all occur. */
  static List<MetadataCommand> randomCommands(Random random, int n) {
    List<MetadataCommand> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String table = "t" + random.nextInt(5);
      String node = "n" + random.nextInt(4);
      long version = random.nextInt(i + 2) - 1;
      out.add(switch (random.nextInt(11)) {
        case 0 -> new CreateTable(table, def("d" + i));
        case 1 -> new CompareAndSetTable(table, version, def("d" + i));
        case 2 -> new DeleteTable(table, random.nextBoolean() ? MetadataCommand.ANY_VERSION : version);
        case 3 -> new AllocateIds(random.nextBoolean() ? IdKind.TABLE : IdKind.PARTITION, 1 + random.nextInt(10));
        case 4 -> new RegisterNode(node, "az" + node.charAt(1), "127.0.0.1:" + (7000 + i), i);
        case 5 -> new Heartbeat(node, i);
        case 6 -> new SetNodeHealth(node, NodeHealth.values()[random.nextInt(3)]);
        case 7 -> new BeginReplacement(new PartitionId(random.nextInt(3)), "n" + random.nextInt(4),
            "n" + random.nextInt(4), random.nextBoolean() ? MetadataCommand.ANY_VERSION : version);
        case 8 -> new FinishReplacement(new PartitionId(random.nextInt(3)),
            random.nextBoolean() ? MetadataCommand.ANY_VERSION : version);
        case 9 -> new AbandonReplacement(new PartitionId(random.nextInt(3)),
            random.nextBoolean() ? MetadataCommand.ANY_VERSION : version);
        default -> new SetPartitionReplicas(new PartitionId(random.nextInt(3)),
            random.nextBoolean() ? List.of("n" + random.nextInt(4)) : List.of("n0", "n1", "n2"), "",
            random.nextBoolean() ? MetadataCommand.ANY_VERSION : version);
      });
    }
    return out;
  }
}
