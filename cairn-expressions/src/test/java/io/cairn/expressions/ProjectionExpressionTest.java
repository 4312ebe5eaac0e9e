package io.cairn.expressions;

import static io.cairn.expressions.Fixtures.assertValidation;
import static io.cairn.expressions.Fixtures.item;
import static io.cairn.expressions.Fixtures.list;
import static io.cairn.expressions.Fixtures.map;
import static io.cairn.expressions.Fixtures.n;
import static io.cairn.expressions.Fixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.core.value.AttributeValue;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProjectionExpressionTest {
  private final Map<String, AttributeValue> item = item(
      "a", s("x"),
      "b", map("c", n("1"), "d", map("e", s("deep"), "f", s("other"))),
      "l", list(s("w"), map("k", n("1"), "j", n("2")), s("y"), s("z")));

  private Map<String, AttributeValue> project(String text) {
    return Expressions.parseProjection(text, ExpressionAttributes.none()).project(item);
  }

  @Test
  void top_level_and_nested_paths_keep_structure() {
    assertThat(project("a")).isEqualTo(item("a", s("x")));
    assertThat(project("b.d.e, a")).isEqualTo(item("b", map("d", map("e", s("deep"))), "a", s("x")));
    assertThat(project("b.c, b.d.f")).isEqualTo(item("b", map("c", n("1"), "d", map("f", s("other")))));
  }

  @Test
  void list_elements_are_packed_in_index_order() {
    assertThat(project("l[3], l[0]")).isEqualTo(item("l", list(s("w"), s("z"))));
    assertThat(project("l[1].j")).isEqualTo(item("l", list(map("j", n("2")))));
    assertThat(project("l[9]")).isEmpty();
  }

  @Test
  void missing_and_mistyped_paths_are_omitted() {
    assertThat(project("nope, a.b, b.c[0], l.k")).isEmpty();
  }

  @Test
  void placeholders_and_projection_of_paths() {
    ExpressionAttributes attributes = new ExpressionAttributes(Map.of("#n", "name"), null);
    ProjectionExpression projection = Expressions.parseProjection("#n, b.c", attributes);
    attributes.checkAllUsed();
    assertThat(projection.project(item("name", s("n"), "b", map("c", n("2"))))).isEqualTo(item("name", s("n"), "b", map("c", n("2"))));
    assertThat(projection.topLevelAttributeNames()).containsExactly("name", "b");
    assertThat(ProjectionExpression.of(List.of(DocumentPath.of("a"))).project(item)).isEqualTo(item("a", s("x")));
  }

  @Test
  void errors() {
    assertValidation(() -> project("a, a.b"),
        "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]");
    assertValidation(() -> project("a, :v"),
        "Invalid ProjectionExpression: Syntax error; token: \":v\", near: \", :v\"");
    assertValidation(() -> project("a,"),
        "Invalid ProjectionExpression: Syntax error; token: \"<EOF>\", near: \",\"");
    assertValidation(() -> project("size"),
        "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: size");
  }
}
