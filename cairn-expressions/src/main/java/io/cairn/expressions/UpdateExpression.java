package io.cairn.expressions;

import io.cairn.core.error.DynamoDbException;
import io.cairn.core.value.AttributeValue;
import io.cairn.expressions.Ast.Operand;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A parsed UpdateExpression (or translated AttributeUpdates): SET, REMOVE, ADD and DELETE actions
 * on non-overlapping paths.
 *
 * <p>Every action reads the item as it was before the update, as DynamoDB specifies: right-hand
 * sides are evaluated first, then REMOVEs run (list indexes highest first, so each index refers to
 * the list before the update), then SET, ADD and DELETE write their results in expression order.
 */
public final class UpdateExpression {
  static final String MISSING_ATTRIBUTE =
      "The provided expression refers to an attribute that does not exist in the item";
  static final String INCORRECT_DATA_TYPE =
      "An operand in the update expression has an incorrect data type";
  static final String LEGACY_TYPE_MISMATCH = "Type mismatch for attribute to update";

  /** One action of the expression. */
  sealed interface Action permits Set, Remove, Add, Delete {
    DocumentPath path();
  }

  record Set(DocumentPath path, Operand value) implements Action {}

  record Remove(DocumentPath path) implements Action {}

  /** ADD; {@code legacy} actions (AttributeUpdates) may also append lists, with legacy messages. */
  record Add(DocumentPath path, AttributeValue value, boolean legacy) implements Action {}

  record Delete(DocumentPath path, AttributeValue value, boolean legacy) implements Action {}

  private final List<Action> actions;
  private final List<DocumentPath> paths;
  private final java.util.Set<String> topLevelNames;

  UpdateExpression(List<Action> actions) {
    this.actions = List.copyOf(actions);
    List<DocumentPath> allPaths = new ArrayList<>();
    java.util.Set<String> names = new LinkedHashSet<>();
    for (Action action : actions) {
      allPaths.add(action.path());
      names.add(action.path().topLevelName());
    }
    this.paths = List.copyOf(allPaths);
    this.topLevelNames = Collections.unmodifiableSet(names);
  }

  /**
   * The update as text with fresh placeholders; {@link Expressions#parseUpdate(ExpressionSource)}
   * turns it back into an equivalent update.
   */
  public ExpressionSource source() {
    return Renderer.update(actions);
  }

  List<Action> actions() {
    return actions;
  }

  /** The top-level attributes the update touches (callers refuse updates to key attributes). */
  public java.util.Set<String> topLevelAttributeNames() {
    return topLevelNames;
  }

  /** Every path the update writes or removes, in expression order. */
  public List<DocumentPath> paths() {
    return paths;
  }

  /** The updated attributes of {@code item}, for ReturnValues UPDATED_OLD and UPDATED_NEW. */
  public Map<String, AttributeValue> updatedAttributes(Map<String, AttributeValue> item) {
    return ProjectionExpression.of(paths).project(item);
  }

  /**
   * Applies the update to {@code item} (empty for a new item) and returns the new item. Never
   * modifies {@code item}.
   */
  public Map<String, AttributeValue> apply(Map<String, AttributeValue> item) {
    List<DocumentPath> writePaths = new ArrayList<>();
    List<AttributeValue> writeValues = new ArrayList<>();
    List<DocumentPath> removals = new ArrayList<>();
    for (Action action : actions) {
      switch (action) {
        case Set set -> {
          writePaths.add(set.path());
          writeValues.add(evaluate(set.value(), item));
        }
        case Remove remove -> removals.add(remove.path());
        case Add add -> {
          writePaths.add(add.path());
          writeValues.add(added(Documents.get(item, add.path()), add));
        }
        case Delete delete -> {
          AttributeValue existing = Documents.get(item, delete.path());
          if (existing != null) {
            AttributeValue left = deleted(existing, delete);
            if (left == null) {
              removals.add(delete.path());
            } else {
              writePaths.add(delete.path());
              writeValues.add(left);
            }
          } else if (delete.path().size() > 1) {
            // Validates the parents as DynamoDB does, even though nothing is deleted.
            Documents.remove(new LinkedHashMap<>(item), delete.path());
          }
        }
      }
    }
    Map<String, AttributeValue> result = new LinkedHashMap<>(item);
    removals.sort(UpdateExpression::highestIndexFirst);
    for (DocumentPath removal : removals) {
      Documents.remove(result, removal);
    }
    for (int i = 0; i < writePaths.size(); i++) {
      Documents.set(result, writePaths.get(i), writeValues.get(i));
    }
    return result;
  }

  private static int highestIndexFirst(DocumentPath a, DocumentPath b) {
    int common = Math.min(a.size(), b.size());
    for (int i = 0; i < common; i++) {
      DocumentPath.Element x = a.get(i);
      DocumentPath.Element y = b.get(i);
      if (x instanceof DocumentPath.Index ix && y instanceof DocumentPath.Index iy) {
        if (ix.index() != iy.index()) {
          return Integer.compare(iy.index(), ix.index());
        }
      } else if (x instanceof DocumentPath.Name nx && y instanceof DocumentPath.Name ny) {
        int order = nx.name().compareTo(ny.name());
        if (order != 0) {
          return order;
        }
      } else {
        return x instanceof DocumentPath.Index ? -1 : 1;
      }
    }
    return Integer.compare(b.size(), a.size());
  }

  private static AttributeValue evaluate(Operand operand, Map<String, AttributeValue> item) {
    return switch (operand) {
      case Ast.PathOperand p -> {
        AttributeValue value = Documents.get(item, p.path());
        if (value == null) {
          throw DynamoDbException.validation(MISSING_ATTRIBUTE);
        }
        yield value;
      }
      case Ast.ValueOperand v -> v.value();
      case Ast.FunctionOperand f -> switch (f.name()) {
        case "if_not_exists" -> {
          AttributeValue existing = Evaluator.operand(f.arguments().get(0), item);
          yield existing != null ? existing : evaluate(f.arguments().get(1), item);
        }
        case "list_append" -> {
          AttributeValue a = evaluate(f.arguments().get(0), item);
          AttributeValue b = evaluate(f.arguments().get(1), item);
          if (!(a instanceof AttributeValue.L la) || !(b instanceof AttributeValue.L lb)) {
            throw DynamoDbException.validation(INCORRECT_DATA_TYPE);
          }
          List<AttributeValue> joined = new ArrayList<>(la.value());
          joined.addAll(lb.value());
          yield new AttributeValue.L(joined);
        }
        default -> throw new IllegalStateException("unknown update function " + f.name());
      };
      case Ast.Arithmetic a -> {
        AttributeValue left = evaluate(a.left(), item);
        AttributeValue right = evaluate(a.right(), item);
        if (!(left instanceof AttributeValue.N ln) || !(right instanceof AttributeValue.N rn)) {
          throw DynamoDbException.validation(INCORRECT_DATA_TYPE);
        }
        yield new AttributeValue.N(
            a.operator() == '+' ? ln.value().add(rn.value()) : ln.value().subtract(rn.value()));
      }
    };
  }

  private static AttributeValue added(AttributeValue existing, Add add) {
    AttributeValue value = add.value();
    String mismatch = add.legacy() ? LEGACY_TYPE_MISMATCH : INCORRECT_DATA_TYPE;
    if (existing == null) {
      return value;
    }
    if (existing instanceof AttributeValue.N a && value instanceof AttributeValue.N b) {
      return new AttributeValue.N(a.value().add(b.value()));
    }
    if (Values.isSet(existing) && existing.typeName().equals(value.typeName())) {
      return Values.union(existing, value);
    }
    if (add.legacy() && existing instanceof AttributeValue.L a && value instanceof AttributeValue.L b) {
      List<AttributeValue> joined = new ArrayList<>(a.value());
      joined.addAll(b.value());
      return new AttributeValue.L(joined);
    }
    throw DynamoDbException.validation(mismatch);
  }

  private static AttributeValue deleted(AttributeValue existing, Delete delete) {
    if (Values.isSet(existing) && existing.typeName().equals(delete.value().typeName())) {
      return Values.difference(existing, delete.value());
    }
    throw DynamoDbException.validation(delete.legacy() ? LEGACY_TYPE_MISMATCH : INCORRECT_DATA_TYPE);
  }

  @Override
  public String toString() {
    return "UpdateExpression" + actions;
  }
}
