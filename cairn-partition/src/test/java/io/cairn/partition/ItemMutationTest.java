package io.cairn.partition;

import static io.cairn.core.value.AttributeValue.n;
import static io.cairn.core.value.AttributeValue.s;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.core.error.ErrorType;
import io.cairn.core.value.AttributeValue;
import io.cairn.expressions.ConditionExpression;
import io.cairn.expressions.ExpressionAttributes;
import io.cairn.expressions.Expressions;
import io.cairn.expressions.UpdateExpression;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ItemMutationTest {
  private static final byte[] STORAGE_KEY = {1, 2, 3};
  private static final Map<String, AttributeValue> KEY = Map.of("pk", s("a"));

  @Test
  void putReturnsOldItemOnlyWhenAskedAndWhenThereWasOne() {
    Map<String, AttributeValue> old = Map.of("pk", s("a"), "v", n(1));
    Map<String, AttributeValue> next = Map.of("pk", s("a"), "v", n(2));
    var put = new WriteCommand.Put(STORAGE_KEY, KEY, next, null, ReturnValues.ALL_OLD, false);

    ItemMutation.Result replaced = ItemMutation.apply(put, old);
    assertThat(replaced.newItem()).isEqualTo(next);
    assertThat(((WriteOutcome.Applied) replaced.outcome()).returned()).isEqualTo(old);

    ItemMutation.Result created = ItemMutation.apply(put, null);
    assertThat(((WriteOutcome.Applied) created.outcome()).returned()).isEmpty();
    assertThat(((WriteOutcome.Applied) created.outcome()).oldItemBytes()).isZero();
  }

  @Test
  void failedConditionWritesNothingAndReturnsTheItemWhenAsked() {
    Map<String, AttributeValue> old = Map.of("pk", s("a"), "v", n(1));
    ConditionExpression absent = condition("attribute_not_exists(pk)");
    var put = new WriteCommand.Put(STORAGE_KEY, KEY, Map.of("pk", s("a")), absent, ReturnValues.NONE, true);

    ItemMutation.Result result = ItemMutation.apply(put, old);
    assertThat(result.newItem()).isSameAs(ItemMutation.UNCHANGED);
    assertThat(((WriteOutcome.ConditionFailed) result.outcome()).currentItem()).isEqualTo(old);

    var quiet = new WriteCommand.Put(STORAGE_KEY, KEY, Map.of("pk", s("a")), absent, ReturnValues.NONE, false);
    assertThat(((WriteOutcome.ConditionFailed) ItemMutation.apply(quiet, old).outcome()).currentItem()).isNull();
  }

  @Test
  void updateCreatesTheItemWithItsKeyAndReturnsUpdatedAttributes() {
    ExpressionAttributes attributes = new ExpressionAttributes(null, Map.of(":one", n(1)));
    UpdateExpression update = Expressions.parseUpdate("ADD hits :one", attributes);
    var command = new WriteCommand.Update(STORAGE_KEY, KEY, update, null, ReturnValues.UPDATED_NEW, false);

    ItemMutation.Result first = ItemMutation.apply(command, null);
    assertThat(first.newItem()).isEqualTo(Map.of("pk", s("a"), "hits", n(1)));
    assertThat(((WriteOutcome.Applied) first.outcome()).returned()).isEqualTo(Map.of("hits", n(1)));

    ItemMutation.Result second = ItemMutation.apply(command, first.newItem());
    assertThat(second.newItem()).containsEntry("hits", n(2));
  }

  @Test
  void updateOfTheWrongTypeIsRejectedAndWritesNothing() {
    ExpressionAttributes attributes = new ExpressionAttributes(null, Map.of(":one", n(1)));
    UpdateExpression update = Expressions.parseUpdate("SET v = v + :one", attributes);
    var command = new WriteCommand.Update(STORAGE_KEY, KEY, update, null, ReturnValues.NONE, false);

    ItemMutation.Result result = ItemMutation.apply(command, Map.of("pk", s("a"), "v", s("text")));
    assertThat(result.newItem()).isSameAs(ItemMutation.UNCHANGED);
    assertThat(((WriteOutcome.Rejected) result.outcome()).error().type()).isEqualTo(ErrorType.VALIDATION);
  }

  @Test
  void updateThatGrowsTheItemPastTheLimitIsRejected() {
    String big = "x".repeat(300 * 1024);
    ExpressionAttributes attributes = new ExpressionAttributes(null, Map.of(":big", s(big)));
    UpdateExpression update = Expressions.parseUpdate("SET b = :big", attributes);
    var command = new WriteCommand.Update(STORAGE_KEY, KEY, update, null, ReturnValues.NONE, false);

    ItemMutation.Result result = ItemMutation.apply(command, Map.of("pk", s("a"), "a", s(big)));
    assertThat(((WriteOutcome.Rejected) result.outcome()).error().getMessage())
        .isEqualTo("Item size to update has exceeded the maximum allowed size");
  }

  @Test
  void updateThatNestsPastThirtyTwoLevelsIsRejectedAndThirtyTwoIsAccepted() {
    AttributeValue deep = AttributeValue.l(java.util.List.of());
    for (int level = 1; level < 31; level++) {
      deep = AttributeValue.l(java.util.List.of(deep));
    }
    // `deep` is 31 levels; inside the map `m` it makes 32, one more list makes 33.
    ExpressionAttributes attributes = new ExpressionAttributes(null, Map.of(":v", deep));
    var atLimit = new WriteCommand.Update(STORAGE_KEY, KEY,
        Expressions.parseUpdate("SET m.x = :v", attributes), null, ReturnValues.NONE, false);
    Map<String, AttributeValue> withMap = Map.of("pk", s("a"), "m", AttributeValue.m(Map.of()));
    assertThat(ItemMutation.apply(atLimit, withMap).outcome()).isInstanceOf(WriteOutcome.Applied.class);

    var pastLimit = new WriteCommand.Update(STORAGE_KEY, KEY,
        Expressions.parseUpdate("SET m.x = :v", new ExpressionAttributes(null, Map.of(":v", AttributeValue.l(java.util.List.of(deep))))),
        null, ReturnValues.NONE, false);
    assertThat(((WriteOutcome.Rejected) ItemMutation.apply(pastLimit, withMap).outcome()).error().getMessage())
        .isEqualTo("Nesting Levels have exceeded supported limits");
  }

  @Test
  void deleteOfAnAbsentItemSucceedsAndWritesNothing() {
    var delete = new WriteCommand.Delete(STORAGE_KEY, KEY, null, ReturnValues.ALL_OLD, false);
    ItemMutation.Result result = ItemMutation.apply(delete, null);
    assertThat(result.newItem()).isSameAs(ItemMutation.UNCHANGED);
    assertThat(((WriteOutcome.Applied) result.outcome()).returned()).isEmpty();

    Map<String, AttributeValue> old = Map.of("pk", s("a"));
    ItemMutation.Result removed = ItemMutation.apply(delete, old);
    assertThat(removed.newItem()).isNull();
    assertThat(((WriteOutcome.Applied) removed.outcome()).returned()).isEqualTo(old);
  }

  private static ConditionExpression condition(String text) {
    return Expressions.parseCondition(text, new ExpressionAttributes(null, null), "ConditionExpression");
  }
}
