package io.cairn.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class AppliedIndexGateTest {
  private final AppliedIndexGate gate = new AppliedIndexGate();

  @Test
  void an_index_already_applied_is_open_at_once() {
    gate.advance(7);
    assertThat(gate.await(7)).isDone();
    assertThat(gate.await(3)).isDone();
  }

  @Test
  void a_read_waits_until_its_index_is_applied_and_no_longer() {
    gate.advance(2);
    CompletableFuture<Void> four = gate.await(4);
    CompletableFuture<Void> six = gate.await(6);
    CompletableFuture<Void> five = gate.await(5);
    gate.advance(3);
    assertThat(four).isNotDone();
    gate.advance(5);
    assertThat(four).isCompleted();
    assertThat(five).isCompleted();
    assertThat(six).isNotDone();
    gate.advance(9);
    assertThat(six).isCompleted();
  }

  @Test
  void the_applied_index_never_goes_back() {
    gate.advance(10);
    gate.advance(4); // a replayed entry after a restart reports an older index
    assertThat(gate.await(8)).isDone();
  }
}
