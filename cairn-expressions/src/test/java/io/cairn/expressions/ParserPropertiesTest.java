package io.cairn.expressions;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.core.error.DynamoDbException;
import io.cairn.core.error.ErrorType;
import io.cairn.core.value.AttributeValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ParserPropertiesTest {
  private static final List<String> TOKENS = List.of(
      "a", "b", "#n", "#undefined", ":v", ":w", ":undefined", "(", ")", "[", "]", "0", "12", ",", ".",
      "=", "<>", "<", "<=", ">", ">=", "+", "-", "AND", "OR", "NOT", "BETWEEN", "IN",
      "SET", "REMOVE", "ADD", "DELETE", "size", "contains", "begins_with", "attribute_exists",
      "attribute_not_exists", "attribute_type", "if_not_exists", "list_append", "status", "@", "\"", " ");

  private static ExpressionAttributes attributes() {
    Map<String, AttributeValue> values = new LinkedHashMap<>();
    values.put(":v", AttributeValue.n(1));
    values.put(":w", AttributeValue.ss("x"));
    return new ExpressionAttributes(Map.of("#n", "name"), values);
  }

  /** Runs every parser on the text; only ValidationExceptions may escape. */
  private static void parseEverything(String text) {
    List<Runnable> parsers = List.of(
        () -> Expressions.parseCondition(text, attributes(), "ConditionExpression").test(Map.of()),
        () -> Expressions.parseUpdate(text, attributes()).apply(Map.of()),
        () -> Expressions.parseProjection(text, attributes()).project(Map.of()),
        () -> Expressions.parseKeyCondition(text, attributes(), new KeySchemaInfo("a", "N", "b", "S")));
    for (Runnable parser : parsers) {
      try {
        parser.run();
      } catch (DynamoDbException e) {
        assertThat(e.type()).isEqualTo(ErrorType.VALIDATION);
        assertThat(e.getMessage()).isNotBlank();
      }
    }
  }

  @Property(tries = 500)
  void random_strings_only_raise_validation_errors(@ForAll String text) {
    parseEverything(text);
  }

  @Property(tries = 1500)
  void token_soups_only_raise_validation_errors(@ForAll("soups") String text) {
    parseEverything(text);
  }

  @Provide
  Arbitrary<String> soups() {
    return Arbitraries.of(TOKENS).list().ofMaxSize(25).map(tokens -> String.join(" ", tokens));
  }

  @Property(tries = 300)
  void update_never_mutates_its_input(@ForAll("items") Map<String, AttributeValue> item, @ForAll("updates") String update) {
    Map<String, AttributeValue> copy = new LinkedHashMap<>(item);
    Map<String, AttributeValue> snapshot = Map.copyOf(item);
    Map<String, AttributeValue> values = new LinkedHashMap<>();
    values.put(":n", AttributeValue.n(3));
    values.put(":s", AttributeValue.ss("z"));
    values.put(":l", new AttributeValue.L(List.of(AttributeValue.s("e"))));
    ExpressionAttributes attributes = new ExpressionAttributes(null, values);
    try {
      Map<String, AttributeValue> out = Expressions.parseUpdate(update, attributes).apply(copy);
      assertThat(out).isNotSameAs(copy);
    } catch (DynamoDbException e) {
      assertThat(e.type()).isEqualTo(ErrorType.VALIDATION);
    }
    assertThat(copy).isEqualTo(snapshot);
  }

  @Provide
  Arbitrary<String> updates() {
    Arbitrary<String> paths = Arbitraries.of("a", "b", "c", "a.x", "b[0]", "b[5]", "c.y[1]");
    Arbitrary<String> actions = Combinators.combine(
            Arbitraries.of("SET %s = :n", "SET %s = %s + :n", "SET %s = list_append(%s, :l)",
                "SET %s = if_not_exists(%s, :n)", "REMOVE %s", "ADD %s :n", "ADD %s :s", "DELETE %s :s"),
            paths, paths)
        .as((template, p, q) -> String.format(template, p, q));
    return actions.list().ofMinSize(1).ofMaxSize(4).map(list -> {
      // One action per clause keeps most generated updates valid.
      Map<String, List<String>> byClause = new LinkedHashMap<>();
      for (String action : list) {
        int space = action.indexOf(' ');
        byClause.computeIfAbsent(action.substring(0, space), k -> new ArrayList<>()).add(action.substring(space + 1));
      }
      StringBuilder text = new StringBuilder();
      byClause.forEach((clause, parts) -> text.append(clause).append(' ').append(String.join(", ", parts)).append(' '));
      return text.toString();
    });
  }

  @Provide
  Arbitrary<Map<String, AttributeValue>> items() {
    Arbitrary<AttributeValue> scalars = Arbitraries.oneOf(
        Arbitraries.integers().between(-5, 5).map(i -> (AttributeValue) AttributeValue.n(i)),
        Arbitraries.strings().alpha().ofMaxLength(3).map(s -> (AttributeValue) AttributeValue.s(s)),
        Arbitraries.just(AttributeValue.ss("z", "q")));
    Arbitrary<AttributeValue> documents = Arbitraries.oneOf(
        scalars,
        scalars.list().ofMaxSize(3).map(l -> (AttributeValue) new AttributeValue.L(l)),
        Arbitraries.maps(Arbitraries.of("x", "y"), scalars).ofMaxSize(2).map(m -> (AttributeValue) new AttributeValue.M(m)));
    return Arbitraries.maps(Arbitraries.of("a", "b", "c"), documents).ofMaxSize(3);
  }

  @Property(tries = 200)
  void projection_of_a_whole_item_by_its_top_level_names_is_identity(@ForAll("items") Map<String, AttributeValue> item) {
    List<DocumentPath> paths = new ArrayList<>();
    for (String name : item.keySet()) {
      paths.add(DocumentPath.of(name));
    }
    assertThat(ProjectionExpression.of(paths).project(item)).isEqualTo(item);
  }

  @Property(tries = 200)
  void set_then_read_back_round_trips(@ForAll("items") Map<String, AttributeValue> item) {
    Map<String, AttributeValue> values = Map.of(":v", AttributeValue.s("new"));
    UpdateExpression update = Expressions.parseUpdate("SET d = :v", new ExpressionAttributes(null, values));
    Map<String, AttributeValue> out = update.apply(item);
    ConditionExpression check = Expressions.parseCondition("d = :v", new ExpressionAttributes(null, values), "ConditionExpression");
    assertThat(check.test(out)).isTrue();
    assertThat(update.updatedAttributes(out)).isEqualTo(Map.of("d", AttributeValue.s("new")));
  }
}
