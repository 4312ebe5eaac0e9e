package io.cairn.expressions;

import static io.cairn.expressions.Fixtures.assertValidation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DocumentPathTest {
  private static DocumentPath path(String text) {
    return Expressions.parseProjection(text, ExpressionAttributes.none()).paths().get(0);
  }

  @Test
  void parses_names_and_indexes_and_renders_both_ways() {
    DocumentPath p = path("a.b[3][0].c");
    assertThat(p.elements()).containsExactly(
        new DocumentPath.Name("a"), new DocumentPath.Name("b"), new DocumentPath.Index(3),
        new DocumentPath.Index(0), new DocumentPath.Name("c"));
    assertThat(p.toString()).isEqualTo("a.b[3][0].c");
    assertThat(p.render()).isEqualTo("[a, b, [3], [0], c]");
    assertThat(p.topLevelName()).isEqualTo("a");
    assertThat(path("a.b").isPrefixOf(p)).isTrue();
    assertThat(p.isPrefixOf(path("a.b"))).isFalse();
  }

  @Test
  void a_path_starts_with_a_name() {
    assertThatThrownBy(() -> new DocumentPath(List.of(new DocumentPath.Index(0))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void malformed_paths_are_syntax_errors() {
    assertValidation(() -> path("a[x]"),
        "Invalid ProjectionExpression: Syntax error; token: \"x\", near: \"[x]\"");
    assertValidation(() -> path("a[-1]"),
        "Invalid ProjectionExpression: Syntax error; token: \"-\", near: \"[-1\"");
    assertValidation(() -> path("a..b"),
        "Invalid ProjectionExpression: Syntax error; token: \".\", near: \"..b\"");
    assertValidation(() -> path("a \uD83D\uDE00"),
        "Invalid ProjectionExpression: Syntax error; token: \"\uD83D\uDE00\", near: \"a \uD83D\uDE00\"");
    assertValidation(() -> path("#"),
        "Invalid ProjectionExpression: Syntax error; token: \"#\", near: \"#\"");
  }
}
