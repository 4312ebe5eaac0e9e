package io.cairn.expressions;

import io.cairn.core.value.AttributeValue;
import io.cairn.expressions.Ast.Condition;
import io.cairn.expressions.Ast.Operand;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a syntax tree back into expression text with fresh placeholders. Parentheses are written
 * where the tree has a {@link Ast.Parenthesized} node and where precedence or associativity needs
 * them (a tree built from legacy parameters has none), so parsing the text yields the same tree,
 * up to the added parentheses and the placeholder names.
 */
final class Renderer {
  private final StringBuilder out = new StringBuilder();
  private final Map<String, String> namePlaceholders = new HashMap<>();
  private final Map<String, String> names = new LinkedHashMap<>();
  private final Map<String, AttributeValue> values = new LinkedHashMap<>();

  private Renderer() {}

  static ExpressionSource condition(Condition condition) {
    Renderer renderer = new Renderer();
    renderer.render(condition);
    return renderer.source(false);
  }

  static ExpressionSource update(List<UpdateExpression.Action> actions) {
    Renderer renderer = new Renderer();
    boolean legacy = false;
    for (UpdateExpression.Action action : actions) {
      legacy |= switch (action) {
        case UpdateExpression.Add add -> add.legacy();
        case UpdateExpression.Delete delete -> delete.legacy();
        case UpdateExpression.Set ignored -> false;
        case UpdateExpression.Remove ignored -> false;
      };
    }
    // The parser accepts each clause once, so actions are grouped by clause. Grouping changes
    // no meaning: every action reads the item as it was before the update, and paths never overlap.
    for (String clause : List.of("SET", "REMOVE", "ADD", "DELETE")) {
      boolean first = true;
      for (UpdateExpression.Action action : actions) {
        if (!clauseOf(action).equals(clause)) {
          continue;
        }
        if (first) {
          if (!renderer.out.isEmpty()) {
            renderer.out.append(' ');
          }
          renderer.out.append(clause).append(' ');
          first = false;
        } else {
          renderer.out.append(", ");
        }
        renderer.action(action);
      }
    }
    return renderer.source(legacy);
  }

  private static String clauseOf(UpdateExpression.Action action) {
    return switch (action) {
      case UpdateExpression.Set ignored -> "SET";
      case UpdateExpression.Remove ignored -> "REMOVE";
      case UpdateExpression.Add ignored -> "ADD";
      case UpdateExpression.Delete ignored -> "DELETE";
    };
  }

  private ExpressionSource source(boolean legacy) {
    return new ExpressionSource(out.toString(), names, values, legacy);
  }

  private void action(UpdateExpression.Action action) {
    switch (action) {
      case UpdateExpression.Set set -> {
        path(set.path());
        out.append(" = ");
        operand(set.value());
      }
      case UpdateExpression.Remove remove -> path(remove.path());
      case UpdateExpression.Add add -> {
        path(add.path());
        out.append(' ');
        value(add.value());
      }
      case UpdateExpression.Delete delete -> {
        path(delete.path());
        out.append(' ');
        value(delete.value());
      }
    }
  }

  /** Binding strength: OR 1, AND 2, NOT 3, everything else 4. */
  private static int precedence(Condition condition) {
    return switch (condition) {
      case Ast.Or ignored -> 1;
      case Ast.And ignored -> 2;
      case Ast.Not ignored -> 3;
      case Ast.Comparison ignored -> 4;
      case Ast.Between ignored -> 4;
      case Ast.In ignored -> 4;
      case Ast.FunctionCondition ignored -> 4;
      case Ast.Parenthesized ignored -> 4;
    };
  }

  /** Renders {@code child}, in parentheses when it binds less tightly than {@code required}. */
  private void child(Condition child, int required) {
    if (precedence(child) < required) {
      out.append('(');
      render(child);
      out.append(')');
    } else {
      render(child);
    }
  }

  private void render(Condition condition) {
    switch (condition) {
      case Ast.Or or -> {
        // Left-associative: a right operand of the same strength needs parentheses.
        child(or.left(), 1);
        out.append(" OR ");
        child(or.right(), 2);
      }
      case Ast.And and -> {
        child(and.left(), 2);
        out.append(" AND ");
        child(and.right(), 3);
      }
      case Ast.Not not -> {
        out.append("NOT ");
        child(not.inner(), 3);
      }
      case Ast.Parenthesized p -> {
        out.append('(');
        render(p.inner());
        out.append(')');
      }
      case Ast.Comparison c -> {
        operand(c.left());
        out.append(' ').append(c.comparator().symbol).append(' ');
        operand(c.right());
      }
      case Ast.Between b -> {
        operand(b.value());
        out.append(" BETWEEN ");
        operand(b.low());
        out.append(" AND ");
        operand(b.high());
      }
      case Ast.In in -> {
        operand(in.value());
        out.append(" IN (");
        arguments(in.candidates());
        out.append(')');
      }
      case Ast.FunctionCondition f -> {
        out.append(f.name()).append('(');
        arguments(f.arguments());
        out.append(')');
      }
    }
  }

  private void arguments(List<Operand> operands) {
    for (int i = 0; i < operands.size(); i++) {
      if (i > 0) {
        out.append(", ");
      }
      operand(operands.get(i));
    }
  }

  private void operand(Operand operand) {
    switch (operand) {
      case Ast.PathOperand p -> path(p.path());
      case Ast.ValueOperand v -> value(v.value());
      case Ast.FunctionOperand f -> {
        out.append(f.name()).append('(');
        arguments(f.arguments());
        out.append(')');
      }
      case Ast.Arithmetic a -> {
        operand(a.left());
        out.append(' ').append(a.operator()).append(' ');
        operand(a.right());
      }
    }
  }

  private void value(AttributeValue value) {
    if (value == null) {
      throw new IllegalArgumentException("an expression with an undefined value cannot be rendered");
    }
    String placeholder = ":v" + values.size();
    values.put(placeholder, value);
    out.append(placeholder);
  }

  private void path(DocumentPath path) {
    for (int i = 0; i < path.size(); i++) {
      switch (path.get(i)) {
        case DocumentPath.Name name -> {
          if (i > 0) {
            out.append('.');
          }
          out.append(namePlaceholders.computeIfAbsent(name.name(), n -> {
            String placeholder = "#n" + names.size();
            names.put(placeholder, n);
            return placeholder;
          }));
        }
        case DocumentPath.Index index -> out.append('[').append(index.index()).append(']');
      }
    }
  }
}
