package io.cairn.it.differential;

import io.cairn.it.support.ClusterLogsOnFailure;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The differential test against the shared 3-AZ cluster: the same generator, seed and comparison
 * as {@link DifferentialTest}, every request to router-1 and router-2 in turn (the pages of one
 * Query or Scan too), and no GSIs in generated tables, which a cluster refuses today
 * (docs/compatibility.md, "Cluster mode").
 *
 * <p>{@code cairn.diff.clusterOps} sets the number of operations (default 1,000: every table of
 * the cluster is a replication group of three on two shared cores, so a step costs several times
 * what it costs in one process). {@code cairn.diff.seed} works as for {@link DifferentialTest}.
 */
@ExtendWith(ClusterLogsOnFailure.class)
class ClusterDifferentialTest {
  static final int OPS_DEFAULT = 1_000;

  @Test
  void clusterBehavesLikeDynamoDbLocal() throws IOException {
    DifferentialTest.compare("cairn-cluster", Integer.getInteger("cairn.diff.clusterOps", OPS_DEFAULT), false);
  }
}
