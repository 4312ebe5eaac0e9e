package io.cairn.expressions;

import io.cairn.core.Limits;
import io.cairn.core.error.DynamoDbException;
import io.cairn.core.value.AttributeValue;
import io.cairn.expressions.Ast.And;
import io.cairn.expressions.Ast.Arithmetic;
import io.cairn.expressions.Ast.Between;
import io.cairn.expressions.Ast.Comparator;
import io.cairn.expressions.Ast.Comparison;
import io.cairn.expressions.Ast.Condition;
import io.cairn.expressions.Ast.FunctionCondition;
import io.cairn.expressions.Ast.FunctionOperand;
import io.cairn.expressions.Ast.In;
import io.cairn.expressions.Ast.Not;
import io.cairn.expressions.Ast.Operand;
import io.cairn.expressions.Ast.Or;
import io.cairn.expressions.Ast.Parenthesized;
import io.cairn.expressions.Ast.PathOperand;
import io.cairn.expressions.Ast.ValueOperand;
import io.cairn.expressions.Lexer.Kind;
import io.cairn.expressions.Lexer.Token;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A recursive-descent parser for all four expression grammars.
 *
 * <p>Like DynamoDB, it reports a syntax error before any semantic error: semantic problems found
 * while parsing (an undefined placeholder, a reserved word, a wrong operand type) are remembered
 * and thrown only once the whole text has parsed. Recursion is bounded by
 * {@link #NESTING_LEVELS_MAX}, so hostile input such as thousands of nested parentheses fails with
 * a ValidationException instead of exhausting the stack; every loop consumes a token, so parsing is
 * linear in the length of the text.
 */
final class Parser {
  /** How deeply parentheses, NOT and function calls may nest; far beyond any useful expression. */
  static final int NESTING_LEVELS_MAX = 128;
  /** Path elements after the top-level attribute, matching DynamoDB's item nesting limit. */
  static final int PATH_NESTING_LEVELS_MAX = Limits.NESTING_DEPTH_MAX;
  /** DynamoDB's limit on operators and functions in one expression. */
  static final int OPERATORS_MAX = 300;

  static final Set<String> VALID_TYPE_NAMES =
      Set.of("S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M");

  private static final Set<Kind> COMPARATORS =
      EnumSet.of(Kind.EQ, Kind.NE, Kind.LT, Kind.LE, Kind.GT, Kind.GE);

  private final String text;
  private final List<Token> tokens;
  private final ExpressionAttributes attributes;
  private final String parameterName;
  private final boolean update;
  /** Text rendered from an expression validated earlier: no request-size limits. */
  private final boolean rendered;
  /** ADD and DELETE build AttributeUpdates actions (only for rendered text). */
  private final boolean legacy;
  private int position;
  private int depth;
  private int operatorCount;
  private DynamoDbException pending;

  private Parser(String text, ExpressionAttributes attributes, String parameterName, boolean update) {
    this(text, attributes, parameterName, update, false, false);
  }

  private Parser(
      String text, ExpressionAttributes attributes, String parameterName, boolean update,
      boolean rendered, boolean legacy) {
    this.text = text;
    this.attributes = attributes;
    this.parameterName = parameterName;
    this.update = update;
    this.rendered = rendered;
    this.legacy = legacy;
    if (text == null || text.isBlank()) {
      throw invalid("The expression can not be empty;");
    }
    int sizeBytes = text.getBytes(StandardCharsets.UTF_8).length;
    if (!rendered && sizeBytes > Limits.EXPRESSION_BYTES_MAX) {
      throw invalid(
          "Expression size has exceeded the maximum allowed size; expression size: " + sizeBytes);
    }
    this.tokens = Lexer.tokenize(text);
  }

  static Parser forCondition(String text, ExpressionAttributes attributes, String parameterName) {
    return new Parser(text, attributes, parameterName, false);
  }

  static Parser forUpdate(String text, ExpressionAttributes attributes) {
    return new Parser(text, attributes, "UpdateExpression", true);
  }

  static Parser forRendered(
      String text, ExpressionAttributes attributes, String parameterName, boolean update, boolean legacy) {
    return new Parser(text, attributes, parameterName, update, true, legacy);
  }

  static Parser forProjection(String text, ExpressionAttributes attributes) {
    return new Parser(text, attributes, "ProjectionExpression", false);
  }

  // ---------------------------------------------------------------- errors

  DynamoDbException invalid(String message) {
    return DynamoDbException.validation("Invalid " + parameterName + ": " + message);
  }

  /** Remembers the first semantic error; it is thrown once the text has parsed. */
  private void semantic(String message) {
    if (pending == null) {
      pending = invalid(message);
    }
  }

  private DynamoDbException syntaxError() {
    Token token = tokens.get(position);
    Token previous = position > 0 ? tokens.get(position - 1) : token;
    Token next = token.kind() == Kind.EOF ? token : tokens.get(position + 1);
    String near = text.substring(previous.start(), Math.max(previous.start(), next.end()));
    return invalid("Syntax error; token: \"" + token.text() + "\", near: \"" + near + "\"");
  }

  private void finish() {
    if (peek().kind() != Kind.EOF) {
      throw syntaxError();
    }
    if (!rendered && operatorCount > OPERATORS_MAX) {
      throw invalid("The expression contains too many operators; operator count: " + operatorCount);
    }
    if (pending != null) {
      throw pending;
    }
  }

  private void enter() {
    depth++;
    if (depth > NESTING_LEVELS_MAX) {
      throw invalid("The expression has too many nested levels; maximum: " + NESTING_LEVELS_MAX);
    }
  }

  private void exit() {
    depth--;
  }

  // ---------------------------------------------------------------- tokens

  private Token peek() {
    return tokens.get(position);
  }

  private Token peekAt(int offset) {
    return tokens.get(Math.min(position + offset, tokens.size() - 1));
  }

  private boolean at(Kind kind) {
    return peek().kind() == kind;
  }

  private boolean atKeyword(String keyword) {
    return peek().isKeyword(keyword);
  }

  private Token advance() {
    Token token = tokens.get(position);
    if (token.kind() != Kind.EOF) {
      position++;
    }
    return token;
  }

  private Token expect(Kind kind) {
    if (!at(kind)) {
      throw syntaxError();
    }
    return advance();
  }

  private boolean atGrammarKeyword() {
    Token token = peek();
    if (token.kind() != Kind.NAME) {
      return false;
    }
    String upper = token.text().toUpperCase(java.util.Locale.ROOT);
    return switch (upper) {
      case "AND", "OR", "NOT", "BETWEEN", "IN" -> true;
      case "SET", "REMOVE", "ADD", "DELETE" -> update;
      default -> false;
    };
  }

  // ---------------------------------------------------------------- conditions

  Condition parseConditionExpression() {
    Condition condition = parseOr();
    finish();
    checkRedundantParentheses(condition, null);
    return condition;
  }

  private Condition parseOr() {
    enter();
    Condition left = parseAnd();
    while (atKeyword("OR")) {
      advance();
      operatorCount++;
      left = new Or(left, parseAnd());
    }
    exit();
    return left;
  }

  private Condition parseAnd() {
    Condition left = parseNot();
    while (atKeyword("AND")) {
      advance();
      operatorCount++;
      left = new And(left, parseNot());
    }
    return left;
  }

  private Condition parseNot() {
    if (atKeyword("NOT")) {
      advance();
      operatorCount++;
      enter();
      Condition inner = parseNot();
      exit();
      return new Not(inner);
    }
    return parsePredicate();
  }

  private Condition parsePredicate() {
    if (at(Kind.LPAREN)) {
      advance();
      Condition inner = parseOr();
      expect(Kind.RPAREN);
      return new Parenthesized(inner);
    }
    if (at(Kind.NAME) && peekAt(1).kind() == Kind.LPAREN && !atGrammarKeyword()) {
      FunctionOperand call = parseFunctionCall();
      if (COMPARATORS.contains(peek().kind()) || atKeyword("BETWEEN") || atKeyword("IN")) {
        return parseComparisonRest(checkValueFunctionInCondition(call));
      }
      return checkConditionFunction(call);
    }
    Operand left = parseConditionOperand();
    return parseComparisonRest(left);
  }

  private Condition parseComparisonRest(Operand left) {
    Token token = peek();
    operatorCount++;
    if (COMPARATORS.contains(token.kind())) {
      advance();
      Comparator comparator = switch (token.kind()) {
        case EQ -> Comparator.EQ;
        case NE -> Comparator.NE;
        case LT -> Comparator.LT;
        case LE -> Comparator.LE;
        case GT -> Comparator.GT;
        default -> Comparator.GE;
      };
      return new Comparison(comparator, left, parseConditionOperand());
    }
    if (token.isKeyword("BETWEEN")) {
      advance();
      Operand low = parseConditionOperand();
      if (!atKeyword("AND")) {
        throw syntaxError();
      }
      advance();
      Operand high = parseConditionOperand();
      checkBetweenBounds(low, high);
      return new Between(left, low, high);
    }
    if (token.isKeyword("IN")) {
      advance();
      expect(Kind.LPAREN);
      List<Operand> candidates = new ArrayList<>();
      candidates.add(parseConditionOperand());
      while (at(Kind.COMMA)) {
        advance();
        candidates.add(parseConditionOperand());
      }
      expect(Kind.RPAREN);
      if (!rendered && candidates.size() > Limits.IN_OPERANDS_MAX) {
        semantic("The IN operator is provided with too many operands; number of operands: "
            + candidates.size());
      }
      return new In(left, candidates);
    }
    throw syntaxError();
  }

  private void checkBetweenBounds(Operand low, Operand high) {
    if (low instanceof ValueOperand lowValue && high instanceof ValueOperand highValue) {
      AttributeValue a = lowValue.value();
      AttributeValue b = highValue.value();
      if (a == null || b == null) {
        return;
      }
      String bounds = "lower bound operand: AttributeValue: " + Values.render(a)
          + ", upper bound operand: AttributeValue: " + Values.render(b);
      if (!a.typeName().equals(b.typeName())) {
        semantic("The BETWEEN operator requires same data type for lower and upper bounds; " + bounds);
      } else if (Values.orderable(a, b) && Values.compare(a, b) > 0) {
        semantic("The BETWEEN operator requires upper bound to be greater than or equal to lower bound; "
            + bounds);
      }
    }
  }

  /** An operand of a comparison: a path, a value, or size(path). */
  private Operand parseConditionOperand() {
    Token token = peek();
    if (token.kind() == Kind.VALUE_PLACEHOLDER) {
      return parseValue();
    }
    if (token.kind() == Kind.NAME && peekAt(1).kind() == Kind.LPAREN && !atGrammarKeyword()) {
      return checkValueFunctionInCondition(parseFunctionCall());
    }
    if ((token.kind() == Kind.NAME && !atGrammarKeyword()) || token.kind() == Kind.NAME_PLACEHOLDER) {
      return new PathOperand(parsePath());
    }
    throw syntaxError();
  }

  private FunctionOperand parseFunctionCall() {
    Token name = advance();
    operatorCount++;
    expect(Kind.LPAREN);
    enter();
    List<Operand> arguments = new ArrayList<>();
    if (!at(Kind.RPAREN)) {
      arguments.add(update ? parseUpdateOperand() : parseConditionOperand());
      while (at(Kind.COMMA)) {
        advance();
        arguments.add(update ? parseUpdateOperand() : parseConditionOperand());
      }
    }
    expect(Kind.RPAREN);
    exit();
    return new FunctionOperand(name.text(), arguments);
  }

  private static boolean isConditionFunction(String name) {
    return switch (name) {
      case "attribute_exists", "attribute_not_exists", "attribute_type", "begins_with", "contains" -> true;
      default -> false;
    };
  }

  private static boolean isUpdateFunction(String name) {
    return name.equals("if_not_exists") || name.equals("list_append");
  }

  /** A function used where a value is expected inside a condition: only size qualifies. */
  private Operand checkValueFunctionInCondition(FunctionOperand call) {
    String name = call.name();
    if (name.equals("size")) {
      checkArity(call, 1);
      requirePath(call, 0);
    } else if (isConditionFunction(name)) {
      semantic("The function is not allowed to be used this way in an expression; function: " + name);
    } else if (isUpdateFunction(name)) {
      semantic("The function is not allowed in a condition expression; function: " + name);
    } else {
      semantic("Invalid function name; function: " + name);
    }
    return call;
  }

  private Condition checkConditionFunction(FunctionOperand call) {
    String name = call.name();
    switch (name) {
      case "attribute_exists", "attribute_not_exists" -> {
        checkArity(call, 1);
        requirePath(call, 0);
      }
      case "attribute_type" -> {
        if (checkArity(call, 2)) {
          requirePath(call, 0);
          if (call.arguments().get(1) instanceof ValueOperand type && type.value() != null) {
            if (!(type.value() instanceof AttributeValue.S s)) {
              semantic("Incorrect operand type for operator or function; operator or function: "
                  + "attribute_type, operand type: " + type.value().typeName());
            } else if (!VALID_TYPE_NAMES.contains(s.value())) {
              semantic("Invalid attribute type name found; type: " + s.value()
                  + ", valid types: { B,NULL,SS,BOOL,L,BS,N,NS,S,M }");
            }
          }
        }
      }
      case "begins_with" -> {
        if (checkArity(call, 2)) {
          for (Operand argument : call.arguments()) {
            if (argument instanceof ValueOperand v && v.value() != null
                && !(v.value() instanceof AttributeValue.S || v.value() instanceof AttributeValue.B)) {
              semantic("Incorrect operand type for operator or function; operator or function: "
                  + "begins_with, operand type: " + v.value().typeName());
            }
          }
        }
      }
      case "contains" -> {
        if (checkArity(call, 2)
            && call.arguments().get(0) instanceof PathOperand first
            && call.arguments().get(1) instanceof PathOperand second
            && first.path().equals(second.path())) {
          semantic("The first operand must be distinct from the remaining operands for this operator "
              + "or function; operator: contains, first operand: " + first.path().render());
        }
      }
      case "size" -> semantic(
          "The function is not allowed to be used this way in an expression; function: size");
      default -> {
        if (isUpdateFunction(name)) {
          semantic("The function is not allowed in a condition expression; function: " + name);
        } else {
          semantic("Invalid function name; function: " + name);
        }
      }
    }
    return new FunctionCondition(name, call.arguments());
  }

  private boolean checkArity(FunctionOperand call, int expected) {
    if (call.arguments().size() != expected) {
      semantic("Incorrect number of operands for operator or function; operator or function: "
          + call.name() + ", number of operands: " + call.arguments().size());
      return false;
    }
    return true;
  }

  private void requirePath(FunctionOperand call, int index) {
    if (index < call.arguments().size() && !(call.arguments().get(index) instanceof PathOperand)) {
      semantic("Operator or function requires a document path; operator or function: " + call.name());
    }
  }

  /**
   * DynamoDB refuses parentheses that change nothing: a parenthesis directly inside another, and
   * an AND group in parentheses directly under OR (AND binds tighter anyway).
   */
  private void checkRedundantParentheses(Condition condition, Condition parent) {
    switch (condition) {
      case Parenthesized p -> {
        if (parent instanceof Parenthesized
            || (parent instanceof Or && p.inner() instanceof And)) {
          throw invalid("The expression has redundant parentheses;");
        }
        checkRedundantParentheses(p.inner(), p);
      }
      case And and -> {
        checkRedundantParentheses(and.left(), and);
        checkRedundantParentheses(and.right(), and);
      }
      case Or or -> {
        checkRedundantParentheses(or.left(), or);
        checkRedundantParentheses(or.right(), or);
      }
      case Not not -> checkRedundantParentheses(not.inner(), not);
      case Comparison ignored -> { }
      case Between ignored -> { }
      case In ignored -> { }
      case FunctionCondition ignored -> { }
    }
  }

  // ---------------------------------------------------------------- paths and values

  private ValueOperand parseValue() {
    Token token = expect(Kind.VALUE_PLACEHOLDER);
    AttributeValue value = attributes.resolveValue(token.text());
    if (value == null) {
      semantic("An expression attribute value used in expression is not defined; attribute value: "
          + token.text());
    }
    return new ValueOperand(token.text(), value);
  }

  DocumentPath parsePath() {
    List<DocumentPath.Element> elements = new ArrayList<>();
    elements.add(new DocumentPath.Name(parsePathName()));
    while (true) {
      if (at(Kind.DOT)) {
        advance();
        elements.add(new DocumentPath.Name(parsePathName()));
      } else if (at(Kind.LBRACKET)) {
        advance();
        Token number = peek();
        if (number.kind() != Kind.NUMBER || number.text().length() > 9) {
          throw syntaxError();
        }
        advance();
        expect(Kind.RBRACKET);
        elements.add(new DocumentPath.Index(Integer.parseInt(number.text())));
      } else {
        break;
      }
    }
    if (elements.size() - 1 > PATH_NESTING_LEVELS_MAX) {
      semantic("The document path has too many nesting levels; nesting levels: " + (elements.size() - 1));
    }
    return new DocumentPath(elements);
  }

  private String parsePathName() {
    Token token = peek();
    if (token.kind() == Kind.NAME_PLACEHOLDER) {
      advance();
      String name = attributes.resolveName(token.text());
      if (name == null) {
        semantic("An expression attribute name used in the document path is not defined; attribute name: "
            + token.text());
        return token.text();
      }
      return name;
    }
    if (token.kind() == Kind.NAME) {
      advance();
      if (ReservedWords.isReserved(token.text())) {
        semantic("Attribute name is a reserved keyword; reserved keyword: " + token.text());
      }
      return token.text();
    }
    throw syntaxError();
  }

  // ---------------------------------------------------------------- projections

  List<DocumentPath> parseProjectionExpression() {
    List<DocumentPath> paths = new ArrayList<>();
    paths.add(parsePath());
    while (at(Kind.COMMA)) {
      advance();
      paths.add(parsePath());
    }
    finish();
    checkOverlaps(paths);
    return paths;
  }

  void checkOverlaps(List<DocumentPath> paths) {
    for (int i = 0; i < paths.size(); i++) {
      for (int j = i + 1; j < paths.size(); j++) {
        DocumentPath one = paths.get(i);
        DocumentPath two = paths.get(j);
        String both = "; must remove or rewrite one of these paths; path one: " + one.render()
            + ", path two: " + two.render();
        if (one.isPrefixOf(two) || two.isPrefixOf(one)) {
          throw invalid("Two document paths overlap with each other" + both);
        }
        int common = Math.min(one.size(), two.size());
        for (int k = 0; k < common; k++) {
          DocumentPath.Element a = one.get(k);
          DocumentPath.Element b = two.get(k);
          if (!a.equals(b)) {
            if (a.getClass() != b.getClass()) {
              throw invalid("Two document paths conflict with each other" + both);
            }
            break;
          }
        }
      }
    }
  }

  // ---------------------------------------------------------------- updates

  List<UpdateExpression.Action> parseUpdateExpression() {
    List<UpdateExpression.Action> actions = new ArrayList<>();
    Set<String> clausesSeen = new java.util.HashSet<>();
    do {
      Token keyword = peek();
      String clause = keyword.kind() == Kind.NAME
          ? keyword.text().toUpperCase(java.util.Locale.ROOT) : "";
      if (!Set.of("SET", "REMOVE", "ADD", "DELETE").contains(clause)) {
        throw syntaxError();
      }
      advance();
      if (!clausesSeen.add(clause)) {
        semantic("The \"" + clause + "\" section can only be used once in an update expression;");
      }
      actions.add(parseUpdateAction(clause));
      while (at(Kind.COMMA)) {
        advance();
        actions.add(parseUpdateAction(clause));
      }
    } while (!at(Kind.EOF));
    finish();
    List<DocumentPath> targets = new ArrayList<>();
    for (UpdateExpression.Action action : actions) {
      targets.add(action.path());
    }
    checkOverlaps(targets);
    return actions;
  }

  private UpdateExpression.Action parseUpdateAction(String clause) {
    DocumentPath path = parsePath();
    switch (clause) {
      case "SET" -> {
        expect(Kind.EQ);
        Operand value = parseUpdateOperand();
        if (at(Kind.PLUS) || at(Kind.MINUS)) {
          char operator = advance().text().charAt(0);
          operatorCount++;
          Operand right = parseUpdateOperand();
          checkNumericOperand(value, operator);
          checkNumericOperand(right, operator);
          value = new Arithmetic(value, operator, right);
        }
        return new UpdateExpression.Set(path, value);
      }
      case "REMOVE" -> {
        return new UpdateExpression.Remove(path);
      }
      case "ADD" -> {
        ValueOperand value = parseValue();
        AttributeValue v = value.value();
        if (legacy) {
          return new UpdateExpression.Add(path, v, true);
        }
        if (v != null && !(v instanceof AttributeValue.N || Values.isSet(v))) {
          semantic("Incorrect operand type for operator or function; operator: ADD, operand type: "
              + Values.longTypeName(v));
        }
        return new UpdateExpression.Add(path, v, false);
      }
      default -> {
        ValueOperand value = parseValue();
        AttributeValue v = value.value();
        if (legacy) {
          return new UpdateExpression.Delete(path, v, true);
        }
        if (v != null && !Values.isSet(v)) {
          semantic("Incorrect operand type for operator or function; operator: DELETE, operand type: "
              + Values.longTypeName(v));
        }
        return new UpdateExpression.Delete(path, v, false);
      }
    }
  }

  private void checkNumericOperand(Operand operand, char operator) {
    if (operand instanceof ValueOperand v && v.value() != null && !(v.value() instanceof AttributeValue.N)) {
      semantic("Incorrect operand type for operator or function; operator or function: " + operator
          + ", operand type: " + v.value().typeName());
    }
  }

  /** An operand on the right of SET: a path, a value, if_not_exists(...) or list_append(...). */
  private Operand parseUpdateOperand() {
    Token token = peek();
    if (token.kind() == Kind.VALUE_PLACEHOLDER) {
      return parseValue();
    }
    if (token.kind() == Kind.NAME && peekAt(1).kind() == Kind.LPAREN && !atGrammarKeyword()) {
      FunctionOperand call = parseFunctionCall();
      checkUpdateFunction(call);
      return call;
    }
    if ((token.kind() == Kind.NAME && !atGrammarKeyword()) || token.kind() == Kind.NAME_PLACEHOLDER) {
      return new PathOperand(parsePath());
    }
    throw syntaxError();
  }

  private void checkUpdateFunction(FunctionOperand call) {
    String name = call.name();
    switch (name) {
      case "if_not_exists" -> {
        if (checkArity(call, 2)) {
          requirePath(call, 0);
        }
      }
      case "list_append" -> {
        if (checkArity(call, 2)) {
          for (Operand argument : call.arguments()) {
            if (argument instanceof ValueOperand v && v.value() != null
                && !(v.value() instanceof AttributeValue.L)) {
              semantic("Incorrect operand type for operator or function; operator or function: "
                  + "list_append, operand type: " + v.value().typeName());
            }
          }
        }
      }
      default -> {
        if (isConditionFunction(name) || name.equals("size")) {
          semantic("The function is not allowed in an update expression; function: " + name);
        } else {
          semantic("Invalid function name; function: " + name);
        }
      }
    }
  }
}
