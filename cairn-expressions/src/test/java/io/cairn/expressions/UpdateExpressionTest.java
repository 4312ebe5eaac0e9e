package io.cairn.expressions;

import static io.cairn.expressions.Fixtures.assertValidation;
import static io.cairn.expressions.Fixtures.item;
import static io.cairn.expressions.Fixtures.list;
import static io.cairn.expressions.Fixtures.map;
import static io.cairn.expressions.Fixtures.n;
import static io.cairn.expressions.Fixtures.s;
import static io.cairn.expressions.Fixtures.values;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.core.value.AttributeValue;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpdateExpressionTest {
  private final Map<String, AttributeValue> item = item(
      "pk", s("k"),
      "cnt", n("5"),
      "title", s("widget"),
      "tags", AttributeValue.ss("red", "blue"),
      "nums", AttributeValue.ns("1", "2"),
      "parts", list(s("a"), s("b"), s("c"), s("d")),
      "doc", map("inr", map("x", n("1")), "arr", list(n("1"))));

  private static UpdateExpression parse(String text, Object... values) {
    return Expressions.parseUpdate(text, values.length == 0 ? ExpressionAttributes.none() : values(values));
  }

  private Map<String, AttributeValue> apply(String text, Object... values) {
    return parse(text, values).apply(item);
  }

  @Test
  void set_values_paths_and_arithmetic() {
    Map<String, AttributeValue> out = apply(
        "SET a = :v, b = cnt, cnt = cnt + :one, c = :ten - cnt", ":v", s("x"), ":one", n("1"), ":ten", n("10"));
    assertThat(out.get("a")).isEqualTo(s("x"));
    assertThat(out.get("b")).isEqualTo(n("5"));
    assertThat(out.get("cnt")).isEqualTo(n("6"));
    assertThat(out.get("c")).isEqualTo(n("5"));
  }

  @Test
  void set_nested_and_list_index_beyond_end_appends() {
    Map<String, AttributeValue> out = apply(
        "SET doc.inr.y = :v, parts[1] = :v, parts[99] = :w, doc.arr[0] = :w", ":v", s("new"), ":w", n("7"));
    assertThat(out.get("doc")).isEqualTo(map("inr", map("x", n("1"), "y", s("new")), "arr", list(n("7"))));
    assertThat(out.get("parts")).isEqualTo(list(s("a"), s("new"), s("c"), s("d"), n("7")));
  }

  @Test
  void if_not_exists_and_list_append() {
    Map<String, AttributeValue> out = apply(
        "SET cnt = if_not_exists(cnt, :zero) + :one, fresh = if_not_exists(fresh, :zero), "
            + "parts = list_append(parts, :more), front = list_append(:more, if_not_exists(front, :empty))",
        ":zero", n("0"), ":one", n("1"), ":more", list(s("z")), ":empty", list());
    assertThat(out.get("cnt")).isEqualTo(n("6"));
    assertThat(out.get("fresh")).isEqualTo(n("0"));
    assertThat(out.get("parts")).isEqualTo(list(s("a"), s("b"), s("c"), s("d"), s("z")));
    assertThat(out.get("front")).isEqualTo(list(s("z")));
  }

  @Test
  void remove_attributes_and_list_elements_by_original_index() {
    Map<String, AttributeValue> out = apply("REMOVE title, parts[0], parts[2], absent, doc.inr.x, parts[10]");
    assertThat(out).doesNotContainKeys("title", "absent");
    assertThat(out.get("parts")).isEqualTo(list(s("b"), s("d")));
    assertThat(out.get("doc")).isEqualTo(map("inr", map(), "arr", list(n("1"))));
  }

  @Test
  void add_numbers_and_sets_and_creates_missing() {
    Map<String, AttributeValue> out = apply("ADD cnt :two, tags :more, newnum :two, newset :more",
        ":two", n("2"), ":more", AttributeValue.ss("green", "red"));
    assertThat(out.get("cnt")).isEqualTo(n("7"));
    assertThat(out.get("tags")).isEqualTo(AttributeValue.ss("red", "blue", "green"));
    assertThat(out.get("newnum")).isEqualTo(n("2"));
    assertThat(out.get("newset")).isEqualTo(AttributeValue.ss("green", "red"));
  }

  @Test
  void delete_from_sets_and_removes_emptied_set() {
    Map<String, AttributeValue> out = apply("DELETE tags :red, nums :all, absent :red",
        ":red", AttributeValue.ss("red"), ":all", AttributeValue.ns("1", "2", "3"));
    assertThat(out.get("tags")).isEqualTo(AttributeValue.ss("blue"));
    assertThat(out).doesNotContainKeys("nums", "absent");
  }

  @Test
  void all_clauses_together_and_case_insensitive_keywords() {
    UpdateExpression update = parse("set a = :v remove title add cnt :one delete tags :red",
        ":v", s("x"), ":one", n("1"), ":red", AttributeValue.ss("red"));
    Map<String, AttributeValue> out = update.apply(item);
    assertThat(out.get("a")).isEqualTo(s("x"));
    assertThat(out).doesNotContainKey("title");
    assertThat(out.get("cnt")).isEqualTo(n("6"));
    assertThat(update.topLevelAttributeNames()).containsExactly("a", "title", "cnt", "tags");
    assertThat(update.paths()).extracting(DocumentPath::toString).containsExactly("a", "title", "cnt", "tags");
  }

  @Test
  void apply_never_mutates_input_and_updated_attributes_project_paths() {
    Map<String, AttributeValue> before = Map.copyOf(item);
    UpdateExpression update = parse("SET doc.inr.x = :v REMOVE parts[0]", ":v", n("9"));
    Map<String, AttributeValue> out = update.apply(item);
    assertThat(item).isEqualTo(before);
    assertThat(update.updatedAttributes(out)).isEqualTo(item("doc", map("inr", map("x", n("9"))), "parts", list(s("b"))));
    assertThat(update.updatedAttributes(item)).isEqualTo(item("doc", map("inr", map("x", n("1"))), "parts", list(s("a"))));
  }

  @Test
  void clause_used_twice() {
    assertValidation(() -> parse("SET a = :v SET b = :v", ":v", n("1")),
        "Invalid UpdateExpression: The \"SET\" section can only be used once in an update expression;");
  }

  @Test
  void overlapping_and_conflicting_paths() {
    assertValidation(() -> parse("SET a = :v, a.b = :v", ":v", n("1")),
        "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]");
    assertValidation(() -> parse("SET a = :v REMOVE a", ":v", n("1")),
        "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]");
    assertValidation(() -> parse("SET a[0] = :v, a.b = :v", ":v", n("1")),
        "Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, [0]], path two: [a, b]");
  }

  @Test
  void operand_types_checked_at_parse_time() {
    assertValidation(() -> parse("ADD a :v", ":v", s("x")),
        "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING");
    assertValidation(() -> parse("DELETE a :v", ":v", n("1")),
        "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER");
    assertValidation(() -> parse("SET a = b + :v", ":v", s("x")),
        "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: S");
    assertValidation(() -> parse("SET a = list_append(a, :v)", ":v", s("x")),
        "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: S");
    assertValidation(() -> parse("SET a = if_not_exists(:v, :v)", ":v", s("x")),
        "Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists");
    assertValidation(() -> parse("SET a = size(b)"),
        "Invalid UpdateExpression: The function is not allowed in an update expression; function: size");
  }

  @Test
  void runtime_errors() {
    assertValidation(() -> apply("SET a = absent + :v", ":v", n("1")),
        "The provided expression refers to an attribute that does not exist in the item");
    assertValidation(() -> apply("SET a = title + :v", ":v", n("1")),
        "An operand in the update expression has an incorrect data type");
    assertValidation(() -> apply("ADD title :v", ":v", n("1")),
        "An operand in the update expression has an incorrect data type");
    assertValidation(() -> apply("ADD tags :v", ":v", AttributeValue.ns("1")),
        "An operand in the update expression has an incorrect data type");
    assertValidation(() -> apply("DELETE title :v", ":v", AttributeValue.ss("x")),
        "An operand in the update expression has an incorrect data type");
    assertValidation(() -> apply("SET a = list_append(title, :l)", ":l", list()),
        "An operand in the update expression has an incorrect data type");
    assertValidation(() -> apply("SET absent.b = :v", ":v", n("1")),
        "The document path provided in the update expression is invalid for update");
    assertValidation(() -> apply("SET title.b = :v", ":v", n("1")),
        "The document path provided in the update expression is invalid for update");
    assertValidation(() -> apply("SET doc[0] = :v", ":v", n("1")),
        "The document path provided in the update expression is invalid for update");
    assertValidation(() -> apply("REMOVE absent.b"),
        "The document path provided in the update expression is invalid for update");
  }

  @Test
  void number_overflow_is_a_validation_error() {
    assertValidation(() -> apply("SET big = :max + :max", ":max", n("9E+125")),
        "Number overflow. Attempting to store a number with magnitude larger than supported range");
  }

  @Test
  void syntax_errors() {
    assertValidation(() -> parse("INVALID SYNTAX HERE"),
        "Invalid UpdateExpression: Syntax error; token: \"INVALID\", near: \"INVALID SYNTAX\"");
    assertValidation(() -> parse("SET a = :v + :v + :v", ":v", n("1")),
        "Invalid UpdateExpression: Syntax error; token: \"+\", near: \":v + :v\"");
    assertValidation(() -> parse("ADD a b"),
        "Invalid UpdateExpression: Syntax error; token: \"b\", near: \"a b\"");
    assertValidation(() -> parse("SET"),
        "Invalid UpdateExpression: Syntax error; token: \"<EOF>\", near: \"SET\"");
    assertValidation(() -> parse(""), "Invalid UpdateExpression: The expression can not be empty;");
  }
}
