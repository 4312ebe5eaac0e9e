package io.cairn.expressions;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.core.error.DynamoDbException;
import io.cairn.core.value.AttributeValue;
import io.cairn.expressions.Ast.Condition;
import io.cairn.expressions.Ast.Operand;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * Rendering an expression and parsing the text gives the same tree (up to placeholder names and
 * the parentheses precedence needs) and the same behaviour on every item. Trees are generated from
 * a seed that jqwik reports, within the rules the parser enforces.
 */
class RendererPropertiesTest {
  private static final List<String> NAMES = List.of("a", "b", "status", "x y", "#odd", "c");

  @Property(tries = 400)
  void conditions_survive_render_and_parse(@ForAll long seed) {
    Random random = new Random(seed);
    Condition original = condition(random, 4);
    ExpressionSource first = Renderer.condition(original);
    ConditionExpression parsed = Expressions.parseCondition(first);
    assertThat(normalize(parsed.condition())).isEqualTo(normalize(original));
    // The text is a fixpoint, and parse → render → parse is the same tree, parentheses included.
    ExpressionSource second = parsed.source();
    assertThat(second.text()).isEqualTo(first.text());
    assertThat(stripPlaceholders(Expressions.parseCondition(second).condition()))
        .isEqualTo(stripPlaceholders(parsed.condition()));
    ConditionExpression originalExpression = new ConditionExpression(original);
    for (int i = 0; i < 20; i++) {
      Map<String, AttributeValue> item = item(random);
      assertThat(parsed.test(item)).as("item %s, text %s", item, first.text())
          .isEqualTo(originalExpression.test(item));
    }
  }

  @Property(tries = 400)
  void updates_survive_render_and_parse(@ForAll long seed) {
    Random random = new Random(seed);
    // Parsed updates have each clause once, so their actions come grouped by clause; the renderer
    // groups too, which keeps the order of a parsed update and with it which error comes first.
    List<UpdateExpression.Action> actions = new ArrayList<>(actions(random));
    actions.sort(Comparator.comparingInt(RendererPropertiesTest::clauseOrder));
    UpdateExpression original = new UpdateExpression(actions);
    ExpressionSource source = original.source();
    UpdateExpression parsed = Expressions.parseUpdate(source);
    assertThat(parsed.actions().stream().map(RendererPropertiesTest::normalize).toList())
        .isEqualTo(actions.stream().map(RendererPropertiesTest::normalize).toList());
    assertThat(parsed.source().text()).isEqualTo(source.text());
    for (int i = 0; i < 20; i++) {
      Map<String, AttributeValue> item = item(random);
      assertThat(outcome(parsed, item)).as("item %s, text %s", item, source.text())
          .isEqualTo(outcome(original, item));
    }
  }

  @Test
  void legacy_attribute_updates_keep_their_semantics() {
    UpdateExpression legacy = LegacyParameters.attributeUpdates(Map.of(
        "list", new AttributeUpdate(new AttributeValue.L(List.of(AttributeValue.n(3))), "ADD"),
        "gone", new AttributeUpdate(null, "DELETE"),
        "set", new AttributeUpdate(AttributeValue.s("v"), "PUT")));
    ExpressionSource source = legacy.source();
    assertThat(source.legacy()).isTrue();
    UpdateExpression parsed = Expressions.parseUpdate(source);
    Map<String, AttributeValue> item = Fixtures.item(
        "list", new AttributeValue.L(List.of(AttributeValue.n(1))), "gone", AttributeValue.s("x"));
    assertThat(parsed.apply(item)).isEqualTo(legacy.apply(item));
    assertThat(parsed.apply(item).get("list"))
        .isEqualTo(new AttributeValue.L(List.of(AttributeValue.n(1), AttributeValue.n(3))));
  }

  @Test
  void a_legacy_condition_beyond_the_expression_limits_reads_back() {
    Map<String, ExpectedAttribute> expected = new LinkedHashMap<>();
    for (int i = 0; i < 400; i++) {
      expected.put("attribute" + i, new ExpectedAttribute(null, null, "EQ", List.of(AttributeValue.n(i))));
    }
    ConditionExpression legacy = LegacyParameters.expected(expected, "OR");
    ExpressionSource source = legacy.source();
    assertThat(source.text().length()).isGreaterThan(4096);
    ConditionExpression parsed = Expressions.parseCondition(source);
    assertThat(normalize(parsed.condition())).isEqualTo(normalize(legacy.condition()));
    assertThat(parsed.test(Fixtures.item("attribute399", AttributeValue.n(399)))).isTrue();
    assertThat(parsed.test(Fixtures.item("attribute399", AttributeValue.n(1)))).isFalse();
  }

  // ---------------------------------------------------------------- generators

  private static <T> T pick(Random random, List<T> from) {
    return from.get(random.nextInt(from.size()));
  }

  private static DocumentPath path(Random random) {
    List<DocumentPath.Element> elements = new ArrayList<>();
    elements.add(new DocumentPath.Name(pick(random, NAMES)));
    int extra = random.nextInt(4) == 0 ? 1 + random.nextInt(2) : 0;
    for (int i = 0; i < extra; i++) {
      elements.add(random.nextBoolean() ? new DocumentPath.Name(pick(random, NAMES))
          : new DocumentPath.Index(random.nextInt(3)));
    }
    return new DocumentPath(elements);
  }

  private static AttributeValue value(Random random) {
    return switch (random.nextInt(9)) {
      case 0, 1 -> AttributeValue.n(random.nextInt(5) - 1);
      case 2, 3 -> AttributeValue.s(pick(random, List.of("", "a", "ab", "b", "x y")));
      case 4 -> AttributeValue.ss(pick(random, List.of("a", "b")));
      case 5 -> new AttributeValue.L(List.of(AttributeValue.n(random.nextInt(3))));
      case 6 -> AttributeValue.Bool.of(random.nextBoolean());
      case 7 -> AttributeValue.Null.INSTANCE;
      default -> new AttributeValue.M(Map.of("c", AttributeValue.n(random.nextInt(3))));
    };
  }

  private static Operand conditionOperand(Random random) {
    return switch (random.nextInt(5)) {
      case 0, 1 -> new Ast.PathOperand(path(random));
      case 2, 3 -> new Ast.ValueOperand(null, value(random));
      default -> new Ast.FunctionOperand("size", List.of(new Ast.PathOperand(path(random))));
    };
  }

  private static Condition condition(Random random, int depth) {
    int choice = random.nextInt(depth <= 0 ? 5 : 10);
    return switch (choice) {
      case 0 -> new Ast.Comparison(pick(random, List.of(Ast.Comparator.values())),
          conditionOperand(random), conditionOperand(random));
      case 1 -> {
        int low = random.nextInt(4);
        yield new Ast.Between(conditionOperand(random), new Ast.ValueOperand(null, AttributeValue.n(low)),
            new Ast.ValueOperand(null, AttributeValue.n(low + random.nextInt(3))));
      }
      case 2 -> {
        List<Operand> candidates = new ArrayList<>();
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
          candidates.add(conditionOperand(random));
        }
        yield new Ast.In(conditionOperand(random), candidates);
      }
      case 3 -> functionCondition(random);
      case 4 -> new Ast.FunctionCondition("contains",
          List.of(new Ast.PathOperand(path(random)), new Ast.ValueOperand(null, value(random))));
      case 5, 6 -> new Ast.And(condition(random, depth - 1), condition(random, depth - 1));
      case 7 -> new Ast.Or(condition(random, depth - 1), condition(random, depth - 1));
      case 8 -> new Ast.Not(condition(random, depth - 1));
      default -> {
        Condition inner = condition(random, depth - 1);
        // The parser refuses (( )) and an AND group in parentheses under OR; keep clear of both.
        yield inner instanceof Ast.Parenthesized || inner instanceof Ast.And ? inner : new Ast.Parenthesized(inner);
      }
    };
  }

  private static Condition functionCondition(Random random) {
    Operand path = new Ast.PathOperand(path(random));
    return switch (random.nextInt(4)) {
      case 0 -> new Ast.FunctionCondition("attribute_exists", List.of(path));
      case 1 -> new Ast.FunctionCondition("attribute_not_exists", List.of(path));
      case 2 -> new Ast.FunctionCondition("attribute_type",
          List.of(path, new Ast.ValueOperand(null, AttributeValue.s(pick(random, List.of("S", "N", "SS", "M", "NULL"))))));
      default -> new Ast.FunctionCondition("begins_with",
          List.of(path, new Ast.ValueOperand(null, AttributeValue.s(pick(random, List.of("", "a", "x"))))));
    };
  }

  private static List<UpdateExpression.Action> actions(Random random) {
    List<String> names = new ArrayList<>(NAMES);
    java.util.Collections.shuffle(names, random);
    int count = 1 + random.nextInt(names.size());
    List<UpdateExpression.Action> actions = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      DocumentPath path = DocumentPath.of(names.get(i));
      if (random.nextInt(3) == 0) {
        path = path.child(random.nextBoolean() ? new DocumentPath.Name("c") : new DocumentPath.Index(0));
      }
      actions.add(switch (random.nextInt(6)) {
        case 0 -> new UpdateExpression.Remove(path);
        case 1 -> new UpdateExpression.Add(path,
            random.nextBoolean() ? AttributeValue.n(random.nextInt(3)) : AttributeValue.ss("a"), false);
        case 2 -> new UpdateExpression.Delete(path, AttributeValue.ss(pick(random, List.of("a", "b"))), false);
        default -> new UpdateExpression.Set(path, updateOperand(random));
      });
    }
    return actions;
  }

  private static Operand updateOperand(Random random) {
    Operand otherPath = new Ast.PathOperand(path(random));
    return switch (random.nextInt(5)) {
      case 0 -> new Ast.ValueOperand(null, value(random));
      case 1 -> otherPath;
      case 2 -> new Ast.FunctionOperand("if_not_exists", List.of(otherPath, new Ast.ValueOperand(null, value(random))));
      case 3 -> new Ast.FunctionOperand("list_append",
          List.of(new Ast.ValueOperand(null, new AttributeValue.L(List.of(AttributeValue.n(9)))), otherPath));
      default -> new Ast.Arithmetic(otherPath, random.nextBoolean() ? '+' : '-',
          new Ast.ValueOperand(null, AttributeValue.n(random.nextInt(4))));
    };
  }

  private static Map<String, AttributeValue> item(Random random) {
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    for (String name : NAMES) {
      if (random.nextInt(3) > 0) {
        item.put(name, switch (random.nextInt(4)) {
          case 0 -> new AttributeValue.M(Map.of("c", value(random), "a", value(random)));
          case 1 -> new AttributeValue.L(List.of(value(random), value(random)));
          default -> value(random);
        });
      }
    }
    return item;
  }

  // ---------------------------------------------------------------- comparisons

  private static int clauseOrder(UpdateExpression.Action action) {
    return switch (action) {
      case UpdateExpression.Set ignored -> 0;
      case UpdateExpression.Remove ignored -> 1;
      case UpdateExpression.Add ignored -> 2;
      case UpdateExpression.Delete ignored -> 3;
    };
  }

  private static Object outcome(UpdateExpression update, Map<String, AttributeValue> item) {
    try {
      return update.apply(item);
    } catch (DynamoDbException e) {
      return e.getMessage();
    }
  }

  private static UpdateExpression.Action normalize(UpdateExpression.Action action) {
    return switch (action) {
      case UpdateExpression.Set set -> new UpdateExpression.Set(set.path(), strip(set.value()));
      case UpdateExpression.Remove remove -> remove;
      case UpdateExpression.Add add -> add;
      case UpdateExpression.Delete delete -> delete;
    };
  }

  /** Without placeholder names and without parentheses. */
  private static Condition normalize(Condition condition) {
    return switch (condition) {
      case Ast.Parenthesized p -> normalize(p.inner());
      case Ast.And and -> new Ast.And(normalize(and.left()), normalize(and.right()));
      case Ast.Or or -> new Ast.Or(normalize(or.left()), normalize(or.right()));
      case Ast.Not not -> new Ast.Not(normalize(not.inner()));
      default -> stripPlaceholders(condition);
    };
  }

  private static Condition stripPlaceholders(Condition condition) {
    return switch (condition) {
      case Ast.Parenthesized p -> new Ast.Parenthesized(stripPlaceholders(p.inner()));
      case Ast.And and -> new Ast.And(stripPlaceholders(and.left()), stripPlaceholders(and.right()));
      case Ast.Or or -> new Ast.Or(stripPlaceholders(or.left()), stripPlaceholders(or.right()));
      case Ast.Not not -> new Ast.Not(stripPlaceholders(not.inner()));
      case Ast.Comparison c -> new Ast.Comparison(c.comparator(), strip(c.left()), strip(c.right()));
      case Ast.Between b -> new Ast.Between(strip(b.value()), strip(b.low()), strip(b.high()));
      case Ast.In in -> new Ast.In(strip(in.value()), in.candidates().stream().map(RendererPropertiesTest::strip).toList());
      case Ast.FunctionCondition f -> new Ast.FunctionCondition(f.name(),
          f.arguments().stream().map(RendererPropertiesTest::strip).toList());
    };
  }

  private static Operand strip(Operand operand) {
    return switch (operand) {
      case Ast.ValueOperand v -> new Ast.ValueOperand(null, v.value());
      case Ast.PathOperand p -> p;
      case Ast.FunctionOperand f -> new Ast.FunctionOperand(f.name(),
          f.arguments().stream().map(RendererPropertiesTest::strip).toList());
      case Ast.Arithmetic a -> new Ast.Arithmetic(strip(a.left()), a.operator(), strip(a.right()));
    };
  }
}
