package io.cairn.router.request;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConstraintViolationsTest {

  @Test
  void oneViolationIsWordedInTheSingular() {
    assertThatThrownBy(() -> new ConstraintViolations().lengthBetween("ab", "tableName", 3, 255).throwIfAny())
        .hasMessage("1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: "
            + "Member must have length greater than or equal to 3");
  }

  @Test
  void severalViolationsAreJoinedAndCounted() {
    assertThatThrownBy(() -> new ConstraintViolations()
            .notNull(null, "keySchema")
            .range(0L, "provisionedThroughput.readCapacityUnits", 1, Long.MAX_VALUE)
            .throwIfAny())
        .hasMessage("2 validation errors detected: Value null at 'keySchema' failed to satisfy constraint: "
            + "Member must not be null; Value 0 at 'provisionedThroughput.readCapacityUnits' failed to satisfy "
            + "constraint: Member must have value greater than or equal to 1");
  }

  @Test
  void nothingCollectedThrowsNothing() {
    assertThatCode(() -> new ConstraintViolations().notNull("x", "tableName").pattern("ok_1", "tableName", "[a-z_0-9]+")
        .throwIfAny()).doesNotThrowAnyException();
  }
}
