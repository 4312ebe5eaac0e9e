package io.cairn.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The router's catalog store over the metadata service: two routers share one service. */
class MetadataCatalogStoreTest {
  private final LocalMetadataClient service = new LocalMetadataClient();
  private final MetadataCatalogStore routerA = new MetadataCatalogStore(service, 16);
  private final MetadataCatalogStore routerB = new MetadataCatalogStore(service, 16);

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aPutBasedOnAnOutdatedReadFailsInsteadOfLosingTheOtherRoutersChange() {
    routerA.put("orders", b("v1"));
    assertThat(routerB.loadAll()).containsExactly(b("v1"));
    routerA.put("orders", b("v2-from-a")); // A changes it
    // B changes the definition it read (v1): must not overwrite A's change.
    assertThatThrownBy(() -> routerB.put("orders", b("v2-from-b"))).isInstanceOf(ConcurrentTableChangeException.class);
    assertThat(routerA.loadAll()).containsExactly(b("v2-from-a"));
    // B re-reads (the store learned the current version from the conflict) and retries.
    routerB.put("orders", b("v3-from-b"));
    assertThat(routerA.loadAll()).containsExactly(b("v3-from-b"));
  }

  @Test
  void creatingAnExistingTableFailsAndRemoveIsIdempotent() {
    routerA.put("t", b("a"));
    assertThatThrownBy(() -> routerB.put("t", b("b"))).isInstanceOf(ConcurrentTableChangeException.class)
        .hasMessageContaining("already exists");
    routerA.remove("t");
    routerA.remove("t");
    assertThat(routerB.loadAll()).isEmpty();
  }

  @Test
  void idsFromTwoRoutersNeverCollide() {
    Set<Long> tableIds = new HashSet<>();
    Set<Long> partitionIds = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      assertThat(tableIds.add(routerA.nextTableId())).isTrue();
      assertThat(tableIds.add(routerB.nextTableId())).isTrue();
      assertThat(partitionIds.add(routerA.nextPartitionId())).isTrue();
      assertThat(partitionIds.add(routerB.nextPartitionId())).isTrue();
    }
    // Blocks of 16: 1000 ids cost 63 or 64 log entries, not 1000.
    assertThat(service.writes()).isLessThanOrEqualTo(2 * (1000 / 16 + 2));
  }
}
