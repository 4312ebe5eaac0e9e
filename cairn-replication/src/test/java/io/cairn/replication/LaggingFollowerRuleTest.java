package io.cairn.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.core.Invariants;
import io.cairn.core.id.PartitionId;
import io.cairn.replication.LaggingFollowerRule.Decision;
import io.cairn.replication.LaggingFollowerRule.Follower;
import io.cairn.replication.LaggingFollowerRule.HoldReason;
import io.cairn.replication.LaggingFollowerRule.Limits;
import io.cairn.replication.LaggingFollowerRule.Observation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rule, one look per second as production polls: a leader "L" of partition 3 with followers
 * "a" and "b", production's limits (stuck after 15 s, silent after 10 s, one transfer per 60 s).
 */
class LaggingFollowerRuleTest {
  private static final PartitionId P = new PartitionId(3);
  private static final Limits LIMITS = Limits.production();

  private final LaggingFollowerRule rule = new LaggingFollowerRule(LIMITS);
  private long nowMs;

  /** A follower at the commit index, answering, allowed to lead. */
  private static Follower caughtUp(String nodeId, long commitIndex) {
    return new Follower(nodeId, commitIndex, commitIndex + 1, commitIndex, 200, true);
  }

  /** RATIS-2605's follower: answers, its reported commit index stuck below the leader's. */
  private static Follower stuck(String nodeId, long index) {
    return new Follower(nodeId, index, index + 1, index, 900, true);
  }

  private static Observation leading(long term, long commitIndex, Follower... followers) {
    return new Observation(P, term, commitIndex, 1, false, List.of(followers));
  }

  /** Looks once a second for {@code seconds} with the same view; returns every decision made. */
  private List<Decision> lookFor(int seconds, Observation observation) {
    List<Decision> decisions = new ArrayList<>();
    for (int i = 0; i < seconds; i++) {
      decisions.addAll(look(observation));
    }
    return decisions;
  }

  private List<Decision> look(Observation... observations) {
    nowMs += 1_000;
    return rule.decide(nowMs, List.of(observations));
  }

  @Test
  void a_follower_that_answers_but_stays_behind_hands_leadership_to_the_caught_up_one_after_the_threshold() {
    Observation view = leading(2, 399, stuck("a", 398), caughtUp("b", 399));
    // First look starts the clock; 15 more looks are 15 s of stall.
    assertThat(lookFor(15, view)).isEmpty();
    List<Decision> decisions = look(view);
    assertThat(decisions).singleElement().isInstanceOfSatisfying(Decision.Transfer.class, t -> {
      assertThat(t.partitionId()).isEqualTo(P);
      assertThat(t.targetNodeId()).isEqualTo("b");
      assertThat(t.lagging().nodeId()).isEqualTo("a");
      assertThat(t.lagging().progressIndex()).isEqualTo(398);
      assertThat(t.lagging().leaderCommitIndex()).isEqualTo(399);
      assertThat(t.lagging().stalledMs()).isEqualTo(15_000);
    });
  }

  @Test
  void a_polluted_match_index_does_not_hide_the_stuck_follower() {
    // The leader believes a matches up to 399 (a heartbeat's success reply pushed it there), but a
    // never reported committing past 398: its progress is 398.
    Follower polluted = new Follower("a", 399, 400, 398, 900, true);
    assertThat(lookFor(15, leading(2, 399, polluted, caughtUp("b", 399)))).isEmpty();
    assertThat(look(leading(2, 399, polluted, caughtUp("b", 399))))
        .singleElement().isInstanceOf(Decision.Transfer.class);
  }

  @Test
  void a_follower_that_catches_up_is_left_alone_however_far_behind() {
    List<Decision> decisions = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      long commit = 10_000 + 50L * i;
      decisions.addAll(look(leading(2, commit, stuck("a", 100 + 40L * i), caughtUp("b", commit))));
    }
    assertThat(decisions).isEmpty();
  }

  @Test
  void a_follower_that_advances_once_in_a_while_restarts_the_clock() {
    Observation before = leading(2, 500, stuck("a", 300), caughtUp("b", 500));
    Observation after = leading(2, 500, stuck("a", 301), caughtUp("b", 500));
    assertThat(lookFor(14, before)).isEmpty();
    assertThat(lookFor(15, after)).isEmpty();
    assertThat(look(after)).singleElement().isInstanceOf(Decision.Transfer.class);
  }

  @Test
  void a_silent_follower_is_left_to_replica_repair() {
    // Its last answer is older than 10 s: a dead or cut-off node, however long it stays behind.
    Follower dead = new Follower("a", 398, 399, 398, 10_001, true);
    assertThat(lookFor(300, leading(2, 399, dead, caughtUp("b", 399)))).isEmpty();
  }

  @Test
  void a_follower_that_dies_while_behind_goes_silent_before_it_could_count_as_stuck() {
    List<Decision> decisions = new ArrayList<>();
    for (int s = 0; s < 120; s++) {
      long silentMs = s * 1_000L; // it answered last just before the first look
      decisions.addAll(look(leading(2, 399, new Follower("a", 398, 399, 398, silentMs, true), caughtUp("b", 399))));
    }
    assertThat(decisions).isEmpty();
  }

  @Test
  void a_follower_silent_for_a_while_then_answering_again_must_stall_a_full_window_after() {
    Observation silent = leading(2, 399, new Follower("a", 398, 399, 398, 12_000, true), caughtUp("b", 399));
    Observation answering = leading(2, 399, stuck("a", 398), caughtUp("b", 399));
    assertThat(lookFor(30, silent)).isEmpty();
    assertThat(lookFor(14, answering)).isEmpty();
    assertThat(look(answering)).singleElement().isInstanceOf(Decision.Transfer.class);
  }

  @Test
  void no_transfer_without_a_caught_up_follower() {
    // b is behind too (advancing); then b is silent; then b may not lead (a log replica).
    List<Observation> views = List.of(
        leading(2, 399, stuck("a", 398), new Follower("b", 390, 391, 390, 100, true)),
        leading(2, 399, stuck("a", 398), new Follower("b", 399, 400, 399, 20_000, true)),
        leading(2, 399, stuck("a", 398), new Follower("b", 399, 400, 399, 100, false)));
    for (Observation view : views) {
      LaggingFollowerRule fresh = new LaggingFollowerRule(LIMITS);
      List<Decision> decisions = new ArrayList<>();
      for (int s = 1; s <= 60; s++) {
        decisions.addAll(fresh.decide(s * 1_000L, List.of(view)));
      }
      assertThat(decisions).as("%s", view).isNotEmpty().allSatisfy(d -> assertThat(d)
          .isInstanceOfSatisfying(Decision.Hold.class, h -> assertThat(h.reason()).isEqualTo(HoldReason.NO_CAUGHT_UP_FOLLOWER)));
    }
  }

  @Test
  void both_followers_stuck_is_no_alternative_either() {
    assertThat(lookFor(60, leading(2, 399, stuck("a", 398), stuck("b", 397))))
        .isNotEmpty().allSatisfy(d -> assertThat(d).isInstanceOf(Decision.Hold.class));
  }

  @Test
  void at_most_one_transfer_per_partition_per_interval() {
    // The transfer did not take (this node still leads, same term): the follower stalls again.
    Observation view = leading(2, 399, stuck("a", 398), caughtUp("b", 399));
    List<Long> transfersAtS = new ArrayList<>();
    for (int s = 1; s <= 120; s++) {
      for (Decision d : look(view)) {
        switch (d) {
          case Decision.Transfer t -> transfersAtS.add((long) s);
          case Decision.Hold h -> assertThat(h.reason()).isEqualTo(HoldReason.RATE_LIMITED);
        }
      }
    }
    // Stalled from 1 s: a transfer at 16 s; stalled again from 17 s, held from 32 s until 76 s.
    assertThat(transfersAtS).containsExactly(16L, 76L);
  }

  @Test
  void the_interval_holds_across_leadership_changes_of_this_node() {
    assertThat(lookFor(16, leading(2, 399, stuck("a", 398), caughtUp("b", 399))))
        .singleElement().isInstanceOf(Decision.Transfer.class);
    for (int s = 17; s <= 21; s++) {
      assertThat(look()).isEmpty(); // b leads
    }
    // Leading again from 22 s in a later term, a stuck again: held from 37 s, a transfer at 76 s.
    Observation again = leading(4, 420, stuck("a", 419), caughtUp("b", 420));
    List<Decision> decisions = lookFor(54, again);
    assertThat(decisions).hasSize(39).allSatisfy(d -> assertThat(d).isInstanceOfSatisfying(Decision.Hold.class,
        h -> assertThat(h.reason()).isEqualTo(HoldReason.RATE_LIMITED)));
    assertThat(look(again)).singleElement().isInstanceOf(Decision.Transfer.class);
  }

  @Test
  void a_new_term_starts_the_clock_again() {
    assertThat(lookFor(10, leading(2, 399, stuck("a", 398), caughtUp("b", 399)))).isEmpty();
    // Leadership went away and came back (new appenders): the stall counts from the new term.
    // Without the new term, a transfer would have come at 16 s.
    assertThat(lookFor(15, leading(3, 400, stuck("a", 398), caughtUp("b", 400)))).isEmpty();
    assertThat(look(leading(3, 400, stuck("a", 398), caughtUp("b", 400))))
        .singleElement().isInstanceOf(Decision.Transfer.class);
  }

  @Test
  void a_follower_being_sent_a_snapshot_is_not_judged() {
    // Its next index is below the leader's first log index: the leader is installing a snapshot.
    Observation view = new Observation(P, 2, 5_000, 4_000, false,
        List.of(new Follower("a", 100, 101, 100, 300, true), caughtUp("b", 5_000)));
    assertThat(lookFor(120, view)).isEmpty();
  }

  @Test
  void nothing_while_the_membership_changes() {
    Observation view = new Observation(P, 2, 399, 1, true, List.of(stuck("a", 398), caughtUp("b", 399)));
    assertThat(lookFor(120, view)).isEmpty();
  }

  @Test
  void the_caught_up_follower_with_the_highest_match_index_is_the_target() {
    Observation view = new Observation(P, 2, 399, 1, false,
        List.of(stuck("a", 398), caughtUp("b", 399), new Follower("c", 401, 402, 399, 100, true)));
    assertThat(lookFor(16, view)).singleElement().isInstanceOfSatisfying(Decision.Transfer.class,
        t -> assertThat(t.targetNodeId()).isEqualTo("c"));
  }

  @Test
  void a_partition_no_longer_led_here_forgets_its_stall() {
    Observation view = leading(2, 399, stuck("a", 398), caughtUp("b", 399));
    assertThat(lookFor(14, view)).isEmpty();
    assertThat(look()).isEmpty(); // this node lost the leadership for a second
    assertThat(lookFor(15, view)).isEmpty();
    assertThat(look(view)).singleElement().isInstanceOf(Decision.Transfer.class);
  }

  @Test
  void limits_that_would_judge_a_dying_follower_stuck_are_refused() {
    assertThatThrownBy(() -> new Limits(1_000, 10_000, 10_000, 60_000, 3_000))
        .isInstanceOf(Invariants.InvariantViolation.class);
    assertThatThrownBy(() -> new Limits(1_000, 15_000, 10_000, 10_000, 3_000))
        .isInstanceOf(Invariants.InvariantViolation.class);
  }

  @Test
  void time_going_back_is_an_invariant_violation() {
    rule.decide(5_000, List.of());
    assertThatThrownBy(() -> rule.decide(4_999, List.of())).isInstanceOf(Invariants.InvariantViolation.class);
  }
}
