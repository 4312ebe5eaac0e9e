package io.cairn.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Hand-written histories with known answers: the checker must be able to say no. */
class KnownHistoriesTest {

  private static Verdict.NotLinearizable rejected(H h) {
    Verdict v = h.check();
    assertThat(v).isInstanceOf(Verdict.NotLinearizable.class);
    Verdict.NotLinearizable bad = (Verdict.NotLinearizable) v;
    System.out.println(bad.describe());
    return bad;
  }

  private static void accepted(H h) {
    assertThat(h.check()).isInstanceOf(Verdict.Linearizable.class);
  }

  // ---- must reject ----

  @Test
  void staleReadAfterACompletedWriteIsRejected() {
    var bad = rejected(new H().put(1, "a", 0, 10).put(1, "b", 20, 30).get(2, "a", 40, 50));
    assertThat(bad.counterexamples().get(0).failingSubHistory())
        .extracting(Operation::id).containsExactly(0, 1, 2);
  }

  @Test
  void readOfInitialValueAfterACompletedWriteIsRejected() {
    rejected(new H().put(1, "a", 0, 10).get(2, null, 11, 12));
  }

  @Test
  void twoReadersSeeingConcurrentWritesInOppositeOrdersAreRejected() {
    rejected(new H()
        .put(1, "1", 0, 100).put(2, "2", 0, 100)
        .get(3, "1", 10, 20).get(3, "2", 30, 40)
        .get(4, "2", 10, 20).get(4, "1", 30, 40));
  }

  @Test
  void readOfAValueNeverWrittenIsRejectedWithAHint() {
    var bad = rejected(new H().put(1, "a", 0, 10).get(2, "zzz", 5, 15));
    Counterexample c = bad.counterexamples().get(0);
    assertThat(c.failingSubHistory()).extracting(Operation::id).containsExactly(1);
    assertThat(c.hints()).anySatisfy(h -> assertThat(h).contains("zzz").contains("ever wrote"));
  }

  @Test
  void lostAcknowledgedWriteIsRejected() {
    rejected(new H().put(1, "a", 0, 10).put(2, "b", 20, 30).get(1, "b", 40, 50)
        .get(3, "a", 60, 70));
    rejected(new H().put(1, "a", 0, 10).get(2, null, 20, 30));
  }

  @Test
  void conditionalWriteSucceedingAgainstAValueThatCouldNotBeCurrentIsRejected() {
    rejected(new H().put(1, "1", 0, 10).put(1, "2", 20, 30).cas(2, "1", "3", true, 40, 50));
  }

  @Test
  void conditionalWriteFailingWhenItsConditionMustHaveHeldIsRejected() {
    rejected(new H().put(1, "1", 0, 10).cas(2, "1", "2", false, 20, 30));
  }

  @Test
  void twoConditionalCreatesOfOneKeyCannotBothSucceed() {
    rejected(new H().cas(1, null, "a", true, 0, 10).cas(2, null, "b", true, 0, 10));
  }

  @Test
  void readAfterCompletedDeleteSeeingTheOldValueIsRejected() {
    rejected(new H().put(1, "a", 0, 10).delete(1, 20, 30).get(2, "a", 40, 50));
  }

  @Test
  void pendingWriteCannotBeSeenBeforeItWasInvoked() {
    rejected(new H().get(1, "late", 0, 10).putPending(2, "late", 20));
  }

  @Test
  void pendingWriteTakesEffectAtMostOnce() {
    rejected(new H().putPending(1, "a", 0).put(2, "b", 5, 10)
        .get(3, "a", 20, 30).get(3, "b", 40, 50).get(3, "a", 60, 70));
  }

  @Test
  void onlyTheFailingKeyIsReported() {
    var bad = rejected(new H().key("good").put(1, "a", 0, 10).get(1, "a", 20, 30)
        .key("bad").put(2, "x", 0, 10).get(2, null, 20, 30));
    assertThat(bad.counterexamples()).extracting(Counterexample::key).containsExactly("bad");
    assertThat(bad.counterexamples().get(0).describe()).contains("key \"bad\"")
        .contains("c2 put(\"x\")").contains("get -> absent");
  }

  // ---- must accept ----

  @Test
  void emptyAndInitialReadsAreLinearizable() {
    accepted(new H());
    accepted(new H().get(1, null, 0, 1));
  }

  @Test
  void concurrentOverlappingWritesWithReadsOfEitherValue() {
    accepted(new H().put(1, "1", 0, 100).put(2, "2", 0, 100)
        .get(3, "1", 10, 20).get(3, "2", 30, 40).get(4, "2", 50, 60));
    accepted(new H().put(1, "1", 0, 100).put(2, "2", 0, 100)
        .get(3, "2", 10, 20).get(3, "1", 30, 40).get(4, "1", 50, 60));
  }

  @Test
  void readConcurrentWithAWriteMaySeeOldOrNew() {
    accepted(new H().put(1, "a", 0, 10).put(1, "b", 20, 40).get(2, "a", 25, 30));
    accepted(new H().put(1, "a", 0, 10).put(1, "b", 20, 40).get(2, "b", 25, 30));
  }

  @Test
  void touchingOperationsCountAsConcurrent() {
    accepted(new H().put(1, "a", 0, 10).get(2, null, 10, 20));
  }

  @Test
  void pendingWriteThatShowsUpLater() {
    accepted(new H().put(1, "a", 0, 10).putPending(2, "b", 20)
        .get(3, "a", 30, 40).get(3, "b", 1_000, 1_010).get(4, "b", 2_000, 2_010));
  }

  @Test
  void pendingWriteThatNeverShowsUp() {
    accepted(new H().put(1, "a", 0, 10).putPending(2, "b", 20).get(3, "a", 30, 40)
        .get(3, "a", 5_000, 5_010));
  }

  @Test
  void pendingConditionalWritesMayOrMayNotHaveTakenEffect() {
    accepted(new H().put(1, "1", 0, 10).casPending(2, "1", "2", 20).get(3, "2", 30, 40));
    accepted(new H().put(1, "1", 0, 10).casPending(2, "1", "2", 20).get(3, "1", 30, 40));
    rejected(new H().put(1, "1", 0, 10).casPending(2, "0", "2", 20).get(3, "2", 30, 40));
  }

  @Test
  void conditionalWritesDeletesAndCreates() {
    accepted(new H().cas(1, null, "a", true, 0, 10).cas(2, null, "b", false, 20, 30)
        .cas(1, "a", "c", true, 40, 50).get(2, "c", 60, 70)
        .cas(1, "c", null, true, 80, 90).get(2, null, 100, 110)
        .put(1, "d", 120, 130).delete(2, 140, 150).get(1, null, 160, 170));
  }

  @Test
  void aFailedConditionCanBeExplainedOnlyByAnUnfinishedWrite() {
    // The failed condition proves "x" took effect although nobody read it: unobserved unfinished
    // writes may only be dropped from the search on keys without failed conditions.
    accepted(new H().put(1, "1", 0, 10).putPending(2, "x", 20).cas(3, "1", "2", false, 30, 40));
    rejected(new H().put(1, "1", 0, 10).cas(3, "1", "2", false, 30, 40));
  }

  @Test
  void fortyCrashedWritersDoNotBlowUpTheSearch() {
    H h = new H().put(0, "a", 0, 10);
    for (int c = 1; c <= 40; c++) {
      h.putPending(c, "lost" + c, 20 + c);
    }
    h.get(99, "a", 100, 110).put(99, "b", 120, 130).get(99, "b", 140, 150);
    Verdict v = h.check();
    assertThat(v).isInstanceOf(Verdict.Linearizable.class);
    assertThat(v.statesExplored()).isLessThan(100);
  }

  @Test
  void pendingGetsConstrainNothing() {
    H h = new H().put(1, "a", 0, 10);
    History withPendingGet = new History(java.util.List.of(h.history().operations().get(0),
        Operation.pending(1, new ClientId(2), "k", Command.get("nonsense"), 20)));
    assertThat(new LinearizabilityChecker().check(withPendingGet))
        .isInstanceOf(Verdict.Linearizable.class);
  }

  // ---- limits and validation ----

  @Test
  void aTinyStateBudgetGivesUnknownRatherThanAnAnswer() {
    H h = new H();
    for (int c = 0; c < 12; c++) {
      h.put(c, "v" + c, 0, 1_000);
    }
    h.get(99, "v3", 2_000, 2_001);
    var checker = new LinearizabilityChecker(new LinearizabilityChecker.Limits(5, 10, 5));
    assertThat(checker.check(h.history())).isInstanceOfSatisfying(Verdict.Unknown.class,
        u -> assertThat(u.keysOverBudget()).containsExactly("k"));
    assertThat(new LinearizabilityChecker().check(h.history()))
        .isInstanceOf(Verdict.Linearizable.class);
  }

  @Test
  void aClientWithOverlappingOperationsIsRefused() {
    assertThatThrownBy(() -> new H().put(1, "a", 0, 10).get(1, "a", 5, 15).history())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("c1");
    assertThatThrownBy(() -> new H().putPending(1, "a", 0).get(1, "a", 5, 15).history())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("new client id");
  }

  @Test
  void recorderMarksUnfinishedOperationsPending() {
    HistoryRecorder r = new HistoryRecorder();
    int w = r.invoke(new ClientId(1), "k", Command.put("a"), 0);
    int g = r.invoke(new ClientId(2), "k", Command.getAbsent(), 1);
    int c = r.invoke(new ClientId(3), "k",
        new Command.ConditionalPut(Optional.of("a"), Optional.of("b"), Command.Outcome.UNKNOWN), 2);
    r.completeGet(g, Optional.of("b"), 5);
    History h = r.history();
    assertThat(h.operations()).filteredOn(Operation::isPending).extracting(Operation::id)
        .containsExactlyInAnyOrder(w, c);
    assertThat(new LinearizabilityChecker().check(h)).isInstanceOf(Verdict.Linearizable.class);
  }

  @Test
  void aFailedOperationIsLeftOutSoItsValueCannotBeExplained() {
    HistoryRecorder r = new HistoryRecorder();
    int w = r.invoke(new ClientId(1), "k", Command.put("a"), 0);
    r.fail(w);
    int g = r.invoke(new ClientId(2), "k", Command.getAbsent(), 5);
    r.completeGet(g, Optional.of("a"), 6);
    History h = r.history();
    assertThat(h.operations()).extracting(Operation::id).containsExactly(g);
    assertThat(new LinearizabilityChecker().check(h)).isInstanceOfSatisfying(Verdict.NotLinearizable.class,
        bad -> assertThat(bad.describe()).contains("which no operation on this key ever wrote"));
    assertThatThrownBy(() -> r.fail(w)).isInstanceOf(IllegalArgumentException.class);
  }
}
