package io.cairn.protocol.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestIdsTest {
  @Test
  void idsLookLikeDynamoDbsAndNeverRepeat() {
    RequestIds ids = new RequestIds(42);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      String id = ids.next();
      assertThat(id).hasSize(52);
      assertThat(seen.add(id)).isTrue();
    }
    assertThat(seen).allMatch(id -> id.matches("[0-9A-V]{52}"));
  }

  @Test
  void sameSeedSameIds() {
    assertThat(new RequestIds(7).next()).isEqualTo(new RequestIds(7).next());
    assertThat(new RequestIds(7).next()).isNotEqualTo(new RequestIds(8).next());
  }
}
