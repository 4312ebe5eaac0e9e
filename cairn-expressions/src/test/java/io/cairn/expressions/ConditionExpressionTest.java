package io.cairn.expressions;

import static io.cairn.expressions.Fixtures.assertValidation;
import static io.cairn.expressions.Fixtures.b;
import static io.cairn.expressions.Fixtures.item;
import static io.cairn.expressions.Fixtures.list;
import static io.cairn.expressions.Fixtures.map;
import static io.cairn.expressions.Fixtures.n;
import static io.cairn.expressions.Fixtures.s;
import static io.cairn.expressions.Fixtures.test;
import static io.cairn.expressions.Fixtures.values;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.core.value.AttributeValue;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConditionExpressionTest {
  private final Map<String, AttributeValue> item = item(
      "title", s("widget"),
      "price", n("10.5"),
      "bin", b(0x01, 0xff, 0x10),
      "tags", AttributeValue.ss("red", "blue"),
      "sizes", AttributeValue.ns("1", "2"),
      "parts", list(s("bolt"), n("3"), map("x", n("1"))),
      "dims", map("w", n("2"), "h", map("deep", s("yes"))),
      "flag", AttributeValue.Bool.TRUE,
      "nothing", AttributeValue.Null.INSTANCE);

  private static Map<String, String> names(String... keysAndValues) {
    Map<String, String> names = new java.util.LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      names.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return names;
  }

  @Test
  void comparators_on_numbers() {
    assertThat(test("price = :v", item, ":v", n("10.50"))).isTrue();
    assertThat(test("price <> :v", item, ":v", n("10.5"))).isFalse();
    assertThat(test("price < :v", item, ":v", n("11"))).isTrue();
    assertThat(test("price <= :v", item, ":v", n("10.5"))).isTrue();
    assertThat(test("price > :v", item, ":v", n("-1"))).isTrue();
    assertThat(test("price >= :v", item, ":v", n("10.6"))).isFalse();
  }

  @Test
  void strings_compare_by_utf8_bytes_not_utf16() {
    // U+FF5E (3 UTF-8 bytes, EF BD 9E) sorts before U+1F600 (F0 ...) by bytes, but after it in UTF-16.
    Map<String, AttributeValue> it = item("s", s("\uFF5E"));
    assertThat(test("s < :v", it, ":v", s("\uD83D\uDE00"))).isTrue();
    assertThat(test("s > :v", it, ":v", s("a"))).isTrue();
  }

  @Test
  void binary_compares_unsigned() {
    assertThat(test("bin > :v", item, ":v", b(0x01, 0x7f))).isTrue();
    assertThat(test("bin < :v", item, ":v", b(0x02))).isTrue();
  }

  @Test
  void different_types_compare_false_not_error() {
    assertThat(test("price = :v", item, ":v", s("10.5"))).isFalse();
    assertThat(test("price < :v", item, ":v", s("z"))).isFalse();
    assertThat(test("price <> :v", item, ":v", s("10.5"))).isTrue();
    assertThat(test("tags < :v", item, ":v", AttributeValue.ss("z"))).isFalse();
  }

  @Test
  void missing_attributes() {
    assertThat(test("absent = :v", item, ":v", n("1"))).isFalse();
    assertThat(test("absent <> :v", item, ":v", n("1"))).isTrue();
    assertThat(test("absent < :v", item, ":v", n("1"))).isFalse();
    assertThat(test("attribute_not_exists(absent)", item())).isTrue();
    assertThat(test("attribute_exists(absent)", item())).isFalse();
  }

  @Test
  void sets_and_documents_compare_by_value() {
    assertThat(test("tags = :v", item, ":v", AttributeValue.ss("blue", "red"))).isTrue();
    assertThat(test("dims = :v", item, ":v", map("w", n("2.0"), "h", map("deep", s("yes"))))).isTrue();
    assertThat(test("parts[2] = :v", item, ":v", map("x", n("1")))).isTrue();
  }

  @Test
  void between_and_in() {
    assertThat(test("price BETWEEN :a AND :b", item, ":a", n("10"), ":b", n("11"))).isTrue();
    assertThat(test("price between :a and :b", item, ":a", n("10.5"), ":b", n("10.5"))).isTrue();
    assertThat(test("price BETWEEN :a AND :b", item, ":a", n("11"), ":b", n("12"))).isFalse();
    assertThat(test("title BETWEEN :a AND :b", item, ":a", n("1"), ":b", n("2"))).isFalse();
    assertThat(test("price IN (:a, :b)", item, ":a", n("1"), ":b", n("10.5"))).isTrue();
    assertThat(test("price IN (:a)", item, ":a", n("1"))).isFalse();
    assertThat(test("absent IN (:a)", item, ":a", n("1"))).isFalse();
  }

  @Test
  void logical_operators_and_precedence() {
    Object[] v = {":t", s("widget"), ":f", s("nope")};
    assertThat(test("title = :f OR title = :t AND price > :p", item, ":t", s("widget"), ":f", s("nope"), ":p", n("1")))
        .isTrue();
    // NOT binds tighter than AND: (NOT false) AND true.
    assertThat(test("NOT title = :f AND title = :t", item, v)).isTrue();
    assertThat(test("NOT (title = :t AND title = :f)", item, v)).isTrue();
    assertThat(test("(title = :t OR title = :f) AND NOT title = :t", item, v)).isFalse();
    assertThat(test("NOT NOT title = :t", item, v)).isTrue();
  }

  @Test
  void functions() {
    assertThat(test("attribute_exists(dims.h.deep)", item)).isTrue();
    assertThat(test("attribute_exists(dims.h.shallow)", item)).isFalse();
    assertThat(test("attribute_not_exists(parts[5])", item)).isTrue();
    assertThat(test("attribute_type(tags, :t)", item, ":t", s("SS"))).isTrue();
    assertThat(test("attribute_type(nothing, :t)", item, ":t", s("NULL"))).isTrue();
    assertThat(test("attribute_type(flag, :t)", item, ":t", s("S"))).isFalse();
    assertThat(test("begins_with(title, :p)", item, ":p", s("wid"))).isTrue();
    assertThat(test("begins_with(title, :p)", item, ":p", s("get"))).isFalse();
    assertThat(test("begins_with(bin, :p)", item, ":p", b(0x01, 0xff))).isTrue();
    assertThat(test("contains(title, :p)", item, ":p", s("dge"))).isTrue();
    assertThat(test("contains(tags, :p)", item, ":p", s("red"))).isTrue();
    assertThat(test("contains(tags, :p)", item, ":p", s("re"))).isFalse();
    assertThat(test("contains(sizes, :p)", item, ":p", n("2.0"))).isTrue();
    assertThat(test("contains(parts, :p)", item, ":p", n("3"))).isTrue();
    assertThat(test("contains(parts, :p)", item, ":p", s("3"))).isFalse();
    assertThat(test("contains(bin, :p)", item, ":p", b(0xff, 0x10))).isTrue();
  }

  @Test
  void size_counts_utf16_units_bytes_and_elements() {
    assertThat(test("size(title) = :n", item, ":n", n("6"))).isTrue();
    assertThat(test("size(e) = :n", item("e", s("\u00e9\uD834\uDD1E")), ":n", n("3"))).isTrue();
    assertThat(test("size(bin) = :n", item, ":n", n("3"))).isTrue();
    assertThat(test("size(tags) = :n", item, ":n", n("2"))).isTrue();
    assertThat(test("size(parts) > :n", item, ":n", n("2"))).isTrue();
    assertThat(test("size(dims) = :n", item, ":n", n("2"))).isTrue();
    assertThat(test("size(price) = :n", item, ":n", n("4"))).isFalse();
    assertThat(test(":n < size(title)", item, ":n", n("1"))).isTrue();
  }

  @Test
  void placeholders_for_names_and_nested_paths() {
    ExpressionAttributes attributes = new ExpressionAttributes(
        names("#d", "dims", "#h", "h", "#s", "status"), Fixtures.item(":v", s("yes"), ":w", n("2")));
    ConditionExpression condition = Expressions.parseCondition(
        "#d.#h.deep = :v AND #d.w = :w AND attribute_not_exists(#s)", attributes, "ConditionExpression");
    assertThat(condition.test(item)).isTrue();
    attributes.checkAllUsed();
  }

  @Test
  void syntax_errors_name_token_and_neighbourhood() {
    assertValidation(() -> test("a-b", item),
        "Invalid ConditionExpression: Syntax error; token: \"-\", near: \"a-b\"");
    assertValidation(() -> test("attribute_exists(a) AND NOT #x", item),
        "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"#x\"");
    assertValidation(() -> Expressions.parseCondition("()", ExpressionAttributes.none(), "KeyConditionExpression"),
        "Invalid KeyConditionExpression: Syntax error; token: \")\", near: \"()\"");
    assertValidation(() -> test("a = 5", item),
        "Invalid ConditionExpression: Syntax error; token: \"5\", near: \"= 5\"");
    assertValidation(() -> test("a = :v + :v", item, ":v", n("1")),
        "Invalid ConditionExpression: Syntax error; token: \"+\", near: \":v + :v\"");
  }

  @Test
  void parameter_name_appears_in_messages() {
    assertValidation(() -> Expressions.parseCondition("a = ", ExpressionAttributes.none(), "FilterExpression"),
        "Invalid FilterExpression: Syntax error; token: \"<EOF>\", near: \"= \"");
  }

  @Test
  void empty_and_oversized_expressions() {
    assertValidation(() -> test("  ", item), "Invalid ConditionExpression: The expression can not be empty;");
    String big = "a = :v OR " + "b = :v OR ".repeat(500) + "c = :v";
    assertValidation(() -> test(big, item, ":v", n("1")),
        "Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: "
            + big.length());
  }

  @Test
  void reserved_words_need_placeholders() {
    assertValidation(() -> test("status = :v", item, ":v", n("1")),
        "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status");
    assertValidation(() -> test("a.Size = :v", item, ":v", n("1")),
        "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: Size");
    assertThat(ReservedWords.count()).isEqualTo(573);
    assertThat(ReservedWords.isReserved("flattern")).isTrue();
    assertThat(ReservedWords.isReserved("price")).isFalse();
  }

  @Test
  void undefined_placeholders() {
    assertValidation(() -> test("a = :nope", item, ":v", n("1")),
        "Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :nope");
    assertValidation(() -> test("#a = :v", item, ":v", n("1")),
        "Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #a");
  }

  @Test
  void syntax_errors_win_over_semantic_errors() {
    assertValidation(() -> test("status = :nope AND", item, ":v", n("1")),
        "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"AND\"");
  }

  @Test
  void function_misuse() {
    assertValidation(() -> test("size(title)", item),
        "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size");
    assertValidation(() -> test("attribute_exists(title) = :v", item, ":v", n("1")),
        "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: attribute_exists");
    assertValidation(() -> test("attribute_exists(title, price)", item),
        "Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2");
    assertValidation(() -> test("begins_with(title)", item),
        "Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: begins_with, number of operands: 1");
    assertValidation(() -> test("attribute_exists(:v)", item, ":v", n("1")),
        "Invalid ConditionExpression: Operator or function requires a document path; operator or function: attribute_exists");
    assertValidation(() -> test("frobnicate(title)", item),
        "Invalid ConditionExpression: Invalid function name; function: frobnicate");
    assertValidation(() -> test("begins_with(title, :v)", item, ":v", n("1")),
        "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N");
    assertValidation(() -> test("contains(title, title)", item),
        "Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: contains, first operand: [title]");
    assertValidation(() -> test("if_not_exists(title, :v) = :v", item, ":v", n("1")),
        "Invalid ConditionExpression: The function is not allowed in a condition expression; function: if_not_exists");
  }

  @Test
  void attribute_type_needs_a_valid_type_name() {
    assertValidation(() -> test("attribute_type(title, :t)", item, ":t", s("STRING")),
        "Invalid ConditionExpression: Invalid attribute type name found; type: STRING, valid types: { B,NULL,SS,BOOL,L,BS,N,NS,S,M }");
    assertValidation(() -> test("attribute_type(title, :t)", item, ":t", n("1")),
        "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N");
  }

  @Test
  void between_bounds_are_checked_at_parse_time() {
    assertValidation(() -> Expressions.parseCondition("a BETWEEN :lo AND :hi",
            values(":lo", n("5"), ":hi", n("1")), "FilterExpression"),
        "Invalid FilterExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}");
  }

  @Test
  void in_takes_at_most_100_operands() {
    StringBuilder text = new StringBuilder("a IN (");
    for (int i = 0; i <= 100; i++) {
      text.append(i == 0 ? "" : ",").append(":v");
    }
    text.append(")");
    assertValidation(() -> test(text.toString(), item, ":v", n("1")),
        "Invalid ConditionExpression: The IN operator is provided with too many operands; number of operands: 101");
    String hundred = text.toString().replaceFirst(":v,", "");
    assertThat(test(hundred, item, ":v", n("1"))).isFalse();
  }

  @Test
  void at_most_300_operators() {
    String ok = "a = :v" + " OR a = :v".repeat(149);
    assertThat(test(ok, item, ":v", n("1"))).isFalse();
    String tooMany = ok + " OR a = :v";
    assertValidation(() -> Expressions.parseCondition(tooMany, values(":v", n("1")), "FilterExpression"),
        "Invalid FilterExpression: The expression contains too many operators; operator count: 301");
  }

  @Test
  void redundant_parentheses() {
    assertValidation(() -> test("((a = :v))", item, ":v", n("1")),
        "Invalid ConditionExpression: The expression has redundant parentheses;");
    assertValidation(() -> test("a = :v OR (b = :v AND c = :v)", item, ":v", n("1")),
        "Invalid ConditionExpression: The expression has redundant parentheses;");
    assertThat(test("(a = :v) AND (b = :v)", item, ":v", n("1"))).isFalse();
    assertThat(test("(a = :v OR b = :v) AND c = :v", item, ":v", n("1"))).isFalse();
  }

  @Test
  void document_path_nesting_limit() {
    String ok = "a" + ".b".repeat(32);
    assertThat(test("attribute_exists(" + ok + ")", item)).isFalse();
    String deep = "a" + ".b".repeat(33);
    assertValidation(() -> test("attribute_exists(" + deep + ")", item),
        "Invalid ConditionExpression: The document path has too many nesting levels; nesting levels: 33");
  }

  @Test
  void thousands_of_nested_parentheses_fail_fast() {
    String text = "(".repeat(4000) + "a = :v" + ")".repeat(4000);
    long started = System.nanoTime();
    assertValidation(() -> Expressions.parseCondition(text.substring(0, 4000) + "a", ExpressionAttributes.none(),
            "ConditionExpression"),
        "Invalid ConditionExpression: The expression has too many nested levels; maximum: 128");
    assertThat(System.nanoTime() - started).isLessThan(1_000_000_000L);
  }

  @Test
  void keywords_are_case_insensitive_but_functions_are_not() {
    assertThat(test("title = :v aNd NoT price = :w", item, ":v", s("widget"), ":w", n("1"))).isTrue();
    assertValidation(() -> test("Attribute_Exists(title)", item),
        "Invalid ConditionExpression: Invalid function name; function: Attribute_Exists");
  }
}
