package io.cairn.endpoint.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.endpoint.DecisionLog;
import io.cairn.endpoint.Enactor;
import io.cairn.endpoint.EnactorConfig;
import io.cairn.endpoint.EndpointNames;
import io.cairn.endpoint.EndpointState;
import io.cairn.endpoint.Mode;
import io.cairn.endpoint.Step;
import io.cairn.endpoint.plan.InMemoryPlanStore;
import io.cairn.endpoint.plan.Plan;
import io.cairn.endpoint.plan.PlanVersion;
import io.cairn.endpoint.plan.Target;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every DNS provider must have, run against each implementation: the in-memory zone
 * and BIND 9 over RFC 2136. Each test works under its own label so one server can serve them all.
 */
abstract class DnsProviderContract {
  private static final AtomicInteger LABELS = new AtomicInteger();

  /** The provider under test, for zone {@code cairn.internal}. */
  abstract DnsProvider provider();

  String base;

  @BeforeEach
  void label() {
    base = "t" + LABELS.incrementAndGet() + "-" + System.nanoTime() % 100_000 + ".cairn.internal";
  }

  private DnsRecord get(RecordKey key) {
    return provider().snapshot().get(key).orElse(null);
  }

  @Test
  void createFailsWhenTheRecordExists() {
    DnsRecord a = DnsRecord.a("x." + base, 30, "127.0.0.5");
    assertThat(provider().apply(ChangeBatch.builder("c").create(a).build()).applied()).isTrue();
    assertThat(get(a.key())).isEqualTo(a);
    BatchResult again = provider().apply(ChangeBatch.builder("c").create(
        DnsRecord.a("x." + base, 30, "127.0.0.6")).build());
    assertThat(again).isInstanceOfSatisfying(BatchResult.Rejected.class,
        r -> assertThat(r.reason()).isEqualTo(BatchResult.Reason.ALREADY_EXISTS));
    assertThat(get(a.key())).isEqualTo(a);
  }

  @Test
  void deleteMustMatchExactly() {
    DnsRecord t = DnsRecord.txt("_active." + base, 5, "version=3 hash=abc");
    assertThat(provider().apply(ChangeBatch.builder("c").create(t).build()).applied()).isTrue();
    BatchResult wrong = provider().apply(ChangeBatch.builder("d").delete(
        DnsRecord.txt("_active." + base, 5, "version=2 hash=abc")).build());
    assertThat(wrong).isInstanceOfSatisfying(BatchResult.Rejected.class,
        r -> assertThat(r.reason()).isEqualTo(BatchResult.Reason.NOT_FOUND_OR_DIFFERENT));
    assertThat(get(t.key())).isEqualTo(t);
    assertThat(provider().apply(ChangeBatch.builder("d").delete(t).build()).applied()).isTrue();
    assertThat(get(t.key())).isNull();
    assertThat(provider().apply(ChangeBatch.builder("d").delete(t).build()).applied()).isFalse();
  }

  @Test
  void aBatchIsAllOrNothing() {
    DnsRecord a = DnsRecord.a("a." + base, 30, "127.0.0.1");
    DnsRecord b = DnsRecord.a("b." + base, 30, "127.0.0.2", "127.0.0.3");
    BatchResult r = provider().apply(ChangeBatch.builder("x").create(a).create(b)
        .delete(DnsRecord.txt("missing." + base, 5, "nope")).build());
    assertThat(r.applied()).isFalse();
    assertThat(get(a.key())).isNull();
    assertThat(get(b.key())).isNull();
    assertThat(provider().apply(ChangeBatch.builder("x").create(a).create(b).build()).applied()).isTrue();
    assertThat(get(b.key())).isEqualTo(b);
  }

  @Test
  void upsertCreatesAndReplaces() {
    DnsRecord one = DnsRecord.txt("u." + base, 10, "one");
    DnsRecord two = DnsRecord.txt("u." + base, 10, "two");
    assertThat(provider().apply(ChangeBatch.builder("u").upsert(one).build()).applied()).isTrue();
    assertThat(provider().apply(ChangeBatch.builder("u").upsert(two).build()).applied()).isTrue();
    assertThat(get(two.key())).isEqualTo(two);
  }

  @Test
  void compareAndSetLetsOnlyOneWriterWin() {
    DnsRecord free = DnsRecord.txt("_lock." + base, 5, "holder=none fence=4 expires_ms=0");
    provider().apply(ChangeBatch.builder("init").create(free).build());
    DnsRecord az1 = DnsRecord.txt("_lock." + base, 5, "holder=az1 fence=5 expires_ms=9");
    DnsRecord az2 = DnsRecord.txt("_lock." + base, 5, "holder=az2 fence=5 expires_ms=9");
    assertThat(provider().apply(ChangeBatch.builder("az1").swap(free, az1).build()).applied()).isTrue();
    assertThat(provider().apply(ChangeBatch.builder("az2").swap(free, az2).build()).applied()).isFalse();
    assertThat(get(free.key())).isEqualTo(az1);
  }

  @Test
  void weightedAliasesWithSetIdentifiersCoexistAndCompareByWeight() {
    String node = "p000007." + base;
    DnsRecord w1 = DnsRecord.weightedAlias(node, "lb-az1-001", 3, "lb-az1-001." + node);
    DnsRecord w2 = DnsRecord.weightedAlias(node, "lb-az2-002", 5, "lb-az2-002." + node);
    DnsRecord leaf1 = DnsRecord.a("lb-az1-001." + node, 30, "127.0.1.1");
    DnsRecord leaf2 = DnsRecord.a("lb-az2-002." + node, 30, "127.0.1.2");
    DnsRecord root = DnsRecord.alias("dynamodb." + base, node);
    assertThat(provider().apply(ChangeBatch.builder("tree").create(leaf1).create(leaf2)
        .create(w1).create(w2).create(root).build()).applied()).isTrue();
    ZoneSnapshot s = provider().snapshot();
    assertThat(s.at(node, RecordType.ALIAS)).containsExactlyInAnyOrder(w1, w2);
    assertThat(s.get(root.key())).contains(root);
    assertThat(EndpointResolver.resolve(s, "dynamodb." + base))
        .extracting(EndpointResolver.WeightedAddress::address, EndpointResolver.WeightedAddress::weight)
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("127.0.1.1", 3L),
            org.assertj.core.groups.Tuple.tuple("127.0.1.2", 5L));
    DnsRecord wrongWeight = DnsRecord.weightedAlias(node, "lb-az1-001", 4, "lb-az1-001." + node);
    assertThat(provider().apply(ChangeBatch.builder("d").delete(wrongWeight).build()).applied()).isFalse();
    assertThat(provider().apply(ChangeBatch.builder("d").delete(w1).build()).applied()).isTrue();
    assertThat(provider().snapshot().at(node, RecordType.ALIAS)).containsExactly(w2);
  }

  @Test
  void recordsOutsideTheZoneAreInvalid() {
    BatchResult r = provider().apply(ChangeBatch.builder("x").create(
        DnsRecord.a("www.example.com", 30, "127.0.0.1")).build());
    assertThat(r).isInstanceOfSatisfying(BatchResult.Rejected.class,
        x -> assertThat(x.reason()).isEqualTo(BatchResult.Reason.INVALID));
  }

  @Test
  void enactorsRunTheWholeProtocolAgainstTheProvider() {
    String region = base.substring(0, base.indexOf('.'));
    EndpointNames names = new EndpointNames("dynamodb", region, "cairn.internal");
    DecisionLog.Recording log = new DecisionLog.Recording(names.endpoint(), 1_000);
    InMemoryPlanStore plans = new InMemoryPlanStore();
    EnactorConfig cfg = new EnactorConfig(30_000, 2, Mode.GUARDED);
    Enactor az1 = new Enactor("az1", names, cfg, log);
    Enactor az2 = new Enactor("az2", names, cfg, log);
    long nowMs = 1_000;
    for (int v = 1; v <= 4; v++) {
      plans.publish(Plan.of(PlanVersion.of(v), List.of(
          new Target("lb-az1-001", "az1", List.of("127.0.2.1"), v),
          new Target("lb-az2-001", "az2", List.of("127.0.2.2"), 1))));
      for (Enactor e : List.of(az1, az2)) {
        for (int i = 0; i < 12; i++) {
          EndpointState s = EndpointState.read(provider().snapshot(), names);
          Step st = e.decide(s, plans.newest(), nowMs);
          if (st instanceof Step.Apply a) {
            e.onResult(provider().apply(a.batch()), s);
          } else if (e.phase() == Enactor.Phase.START) {
            break;
          }
        }
      }
      EndpointState s = EndpointState.read(provider().snapshot(), names);
      assertThat(s.activeVersion()).isEqualTo(PlanVersion.of(v));
      assertThat(EndpointResolver.resolve(s.zone(), names.endpoint()))
          .extracting(EndpointResolver.WeightedAddress::address)
          .containsExactlyInAnyOrder("127.0.2.1", "127.0.2.2");
      nowMs += 1_000;
    }
    EndpointState s = EndpointState.read(provider().snapshot(), names);
    assertThat(s.planVersions()).containsExactly(PlanVersion.of(3), PlanVersion.of(4));
    assertThat(s.lock().orElseThrow().isFree()).isTrue();
  }

  @Test
  void operatorToolsActOnDnsWithNoEnactorRunning() {
    String region = base.substring(0, base.indexOf('.'));
    EndpointNames names = new EndpointNames("dynamodb", region, "cairn.internal");
    DecisionLog.Recording log = new DecisionLog.Recording(names.endpoint(), 1_000);
    InMemoryPlanStore plans = new InMemoryPlanStore();
    Enactor az1 = new Enactor("az1", names, new EnactorConfig(30_000, 3, Mode.GUARDED), log);
    for (int v = 1; v <= 3; v++) {
      plans.publish(Plan.of(PlanVersion.of(v), List.of(
          new Target("lb-az1-001", "az1", List.of("127.0.3." + v), 2),
          new Target("lb-az2-001", "az2", List.of("127.0.4.1"), 2))));
      for (int i = 0; i < 12; i++) {
        EndpointState s = EndpointState.read(provider().snapshot(), names);
        if (az1.decide(s, plans.newest(), 1_000L * v) instanceof Step.Apply a) {
          az1.onResult(provider().apply(a.batch()), s);
        }
      }
    }
    // The enactor is gone from here on: the tools need only DNS.
    io.cairn.endpoint.tools.OperatorCommands ops =
        new io.cairn.endpoint.tools.OperatorCommands(provider(), names, "alice", log);
    assertThat(ops.show()).contains("* p000003." + names.endpoint(), "resolves to 2 address(es)");
    assertThat(ops.freeze("bad deploy").ok()).isTrue();
    assertThat(ops.show()).contains("frozen by=alice reason=bad deploy");
    assertThat(ops.rollback(PlanVersion.of(2)).ok()).isTrue();
    EndpointState s = EndpointState.read(provider().snapshot(), names);
    assertThat(s.activeVersion()).isEqualTo(PlanVersion.of(2));
    assertThat(EndpointResolver.resolve(s.zone(), names.endpoint()))
        .extracting(EndpointResolver.WeightedAddress::address).contains("127.0.3.2");
    assertThat(ops.rollback(PlanVersion.of(99)).ok()).isFalse();
    assertThat(ops.setWeights(java.util.Map.of("lb-az1-001", 0)).ok()).isTrue();
    assertThat(EndpointResolver.resolve(provider().snapshot(), names.endpoint()))
        .filteredOn(a -> a.weight() > 0).extracting(EndpointResolver.WeightedAddress::address)
        .containsExactly("127.0.4.1");
    assertThat(ops.setWeights(java.util.Map.of("lb-az2-001", 0)).ok())
        .as("never every weight to zero").isFalse();
    assertThat(ops.unfreeze().ok()).isTrue();
    assertThat(EndpointState.read(provider().snapshot(), names).frozen()).isFalse();
  }

  /**
   * Random batches, applied both to the provider and to a fresh in-memory zone as the reference:
   * the same batches must be applied or refused, and the records under this test's label must end
   * up equal. TTLs are fixed per name, because RFC 2136 prerequisites cannot compare TTLs.
   */
  @Test
  void randomBatchesBehaveLikeTheReference() {
    long seed = 7_000 + LABELS.get();
    java.util.Random rnd = new java.util.Random(seed);
    InMemoryZone reference = new InMemoryZone("cairn.internal");
    String node = "p000001." + base;
    List<java.util.function.Supplier<DnsRecord>> pool = List.of(
        () -> DnsRecord.a("a." + base, 30, rnd.nextBoolean() ? "127.0.0.1" : "127.0.0.2"),
        () -> DnsRecord.a("b." + base, 20, "127.0.0." + (1 + rnd.nextInt(2)), "127.0.0.9"),
        () -> DnsRecord.txt("_active." + base, 5, "version=" + (1 + rnd.nextInt(3)) + " hash=x"),
        () -> DnsRecord.txt("_lock." + base, 5, "holder=az" + (1 + rnd.nextInt(2)) + " fence=1"),
        () -> DnsRecord.weightedAlias(node, "lb-az1-001", 1 + rnd.nextInt(2), "a." + base),
        () -> DnsRecord.weightedAlias(node, "lb-az2-001", 1 + rnd.nextInt(2), "b." + base),
        () -> DnsRecord.alias("dynamodb." + base, rnd.nextBoolean() ? node : "a." + base));
    int applied = 0;
    int batches = 60;
    for (int i = 0; i < batches; i++) {
      ChangeBatch.Builder b = ChangeBatch.builder("random " + i);
      int n = 1 + rnd.nextInt(3);
      for (int j = 0; j < n; j++) {
        DnsRecord r = pool.get(rnd.nextInt(pool.size())).get();
        if (rnd.nextInt(3) == 0) {
          // Half the deletes name a record exactly as it is, so some of them succeed.
          DnsRecord current = reference.snapshot().get(r.key()).orElse(null);
          b.delete(current != null && rnd.nextBoolean() ? current : r);
        } else if (rnd.nextInt(2) == 0) {
          b.create(r);
        } else {
          b.upsert(r);
        }
      }
      ChangeBatch batch = b.build();
      boolean expected = reference.apply(batch).applied();
      applied += expected ? 1 : 0;
      assertThat(provider().apply(batch).applied())
          .as("seed %d batch %d %s", seed, i, batch.changes()).isEqualTo(expected);
    }
    assertThat(applied).as("a useful mix of applied and refused batches").isBetween(10, batches - 10);
    assertThat(under(provider().snapshot())).as("seed %d", seed)
        .containsExactlyInAnyOrderElementsOf(under(reference.snapshot()));
  }

  private List<DnsRecord> under(ZoneSnapshot s) {
    return s.records().stream().filter(r -> DnsNames.isInZone(r.name(), base)).toList();
  }
}
