package io.cairn.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.core.id.PartitionId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A router rebuilds a partition's client once per new assignment version, not on every lookup. */
class MembershipWatchTest {
  @Test
  void aNewAssignmentVersionRefreshesThePartitionOnce() throws Exception {
    RouterProcess.MembershipWatch watch = new RouterProcess.MembershipWatch();
    List<PartitionId> refreshed = new CopyOnWriteArrayList<>();
    CountDownLatch two = new CountDownLatch(2);
    watch.start(p -> {
      refreshed.add(p);
      two.countDown();
    });
    PartitionId p1 = new PartitionId(1);
    PartitionId p2 = new PartitionId(2);
    watch.seen(p1, 5);
    watch.seen(p1, 5);
    watch.seen(p2, 7);
    watch.seen(p1, 9); // a repair finished: new members
    watch.seen(p1, 9);
    watch.seen(p2, 8);
    assertThat(two.await(5, TimeUnit.SECONDS)).isTrue();
    Thread.sleep(100);
    assertThat(refreshed).containsExactlyInAnyOrder(p1, p2);
    watch.close();
  }
}
