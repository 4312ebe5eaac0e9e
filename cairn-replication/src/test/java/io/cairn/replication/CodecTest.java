package io.cairn.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.core.error.DynamoDbException;
import io.cairn.core.value.AttributeValue;
import io.cairn.expressions.AttributeUpdate;
import io.cairn.expressions.ExpectedAttribute;
import io.cairn.expressions.LegacyParameters;
import io.cairn.partition.ItemMutation;
import io.cairn.partition.ReturnValues;
import io.cairn.partition.WriteCommand;
import io.cairn.partition.WriteOutcome;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CodecTest {
  private static final Map<String, AttributeValue> STORED = Map.of(
      "pk", new AttributeValue.S("a"), "n", AttributeValue.N.of(5), "tags", new AttributeValue.SS(List.of("x", "y")),
      "list", new AttributeValue.L(List.of(AttributeValue.N.of(1))));

  private static List<WriteCommand> commands() {
    Map<String, AttributeValue> item = new LinkedHashMap<>(Items.key("a"));
    item.put("blob", new AttributeValue.B(io.cairn.core.value.Bytes.copyOf(new byte[] {1, 2, 3})));
    item.put("m", new AttributeValue.M(Map.of("deep", new AttributeValue.L(List.of(AttributeValue.Null.INSTANCE)))));
    return List.of(
        new WriteCommand.Put(Items.storageKey("a"), Items.key("a"), item,
            Items.condition("(attribute_not_exists(pk) OR n < :max) AND NOT contains(tags, :t)",
                Map.of(":max", AttributeValue.N.of(10), ":t", new AttributeValue.S("z"))),
            ReturnValues.ALL_OLD, true),
        Items.increment("a", 3),
        new WriteCommand.Update(Items.storageKey("a"), Items.key("a"),
            LegacyParameters.attributeUpdates(Map.of(
                "list", new AttributeUpdate(new AttributeValue.L(List.of(AttributeValue.N.of(2))), "ADD"),
                "tags", new AttributeUpdate(new AttributeValue.SS(List.of("x")), "DELETE"))),
            LegacyParameters.expected(Map.of("n", new ExpectedAttribute(null, null, "GE",
                List.of(AttributeValue.N.of(5)))), "AND"),
            ReturnValues.ALL_NEW, false),
        new WriteCommand.Update(Items.storageKey("a"), Items.key("a"), null, null, ReturnValues.NONE, false),
        new WriteCommand.Delete(Items.storageKey("a"), Items.key("a"),
            Items.condition("size(tags) = :two", Map.of(":two", AttributeValue.N.of(2))), ReturnValues.ALL_OLD, false),
        new WriteCommand.Check(Items.storageKey("a"), Items.key("a"),
            Items.condition("attribute_exists(pk)", Map.of()), true));
  }

  @Test
  void commands_round_trip_and_behave_the_same() {
    List<WriteCommand> original = commands();
    List<WriteCommand> decoded = CommandCodec.decode(CommandCodec.encode(original));
    assertThat(decoded).hasSameSizeAs(original);
    for (int i = 0; i < original.size(); i++) {
      WriteCommand a = original.get(i);
      WriteCommand b = decoded.get(i);
      assertThat(b.getClass()).isEqualTo(a.getClass());
      assertThat(b.storageKey()).isEqualTo(a.storageKey());
      assertThat(b.key()).isEqualTo(a.key());
      assertThat(b.returnValues()).isEqualTo(a.returnValues());
      assertThat(b.returnItemOnConditionFailure()).isEqualTo(a.returnItemOnConditionFailure());
      assertThat(b.condition() == null).isEqualTo(a.condition() == null);
      if (a.condition() != null) {
        assertThat(b.condition().source()).isEqualTo(a.condition().source());
      }
      for (Map<String, AttributeValue> current : java.util.Arrays.<Map<String, AttributeValue>>asList(
          null, STORED, Map.of("pk", new AttributeValue.S("a")))) {
        assertThat(describe(ItemMutation.apply(b, current)))
            .as("command %s on %s", i, current).isEqualTo(describe(ItemMutation.apply(a, current)));
      }
    }
  }

  private static String describe(ItemMutation.Result result) {
    return result.newItem() + " / " + result.outcome();
  }

  @Test
  void outcomes_round_trip() {
    List<WriteOutcome> outcomes = List.of(
        new WriteOutcome.Applied(Map.of("n", AttributeValue.N.of(8)), 10, 20),
        new WriteOutcome.Applied(Map.of(), 0, 0),
        new WriteOutcome.ConditionFailed(STORED, 42),
        new WriteOutcome.ConditionFailed(null, 0),
        new WriteOutcome.Rejected(DynamoDbException.validation("An operand in the update expression has an incorrect data type")));
    List<WriteOutcome> decoded = OutcomeCodec.decode(OutcomeCodec.encode(outcomes));
    assertThat(decoded.subList(0, 4)).isEqualTo(outcomes.subList(0, 4));
    WriteOutcome.Rejected rejected = (WriteOutcome.Rejected) decoded.get(4);
    assertThat(rejected.error().type()).isEqualTo(io.cairn.core.error.ErrorType.VALIDATION);
    assertThat(rejected.error().getMessage()).isEqualTo("An operand in the update expression has an incorrect data type");
  }

  @Test
  void reads_round_trip() {
    byte[] key = Items.storageKey("k");
    assertThat(((ReadCodec.Get) ReadCodec.decode(ReadCodec.encodeGet(key))).storageKey()).isEqualTo(key);
    assertThat(ReadCodec.decodeValue(ReadCodec.encodeValue(null))).isNull();
    assertThat(ReadCodec.decodeValue(ReadCodec.encodeValue(new byte[] {9}))).containsExactly(9);
  }

  @Test
  void an_unknown_version_is_refused() {
    byte[] bytes = CommandCodec.encode(List.of(Items.put("a", 1)));
    bytes[0] = 99;
    assertThatThrownBy(() -> CommandCodec.decode(bytes)).hasMessageContaining("version 99");
  }
}
