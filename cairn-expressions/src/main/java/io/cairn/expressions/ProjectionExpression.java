package io.cairn.expressions;

import io.cairn.core.value.AttributeValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A set of document paths to keep from an item: a parsed ProjectionExpression, a translated
 * AttributesToGet, or the paths of an update (for ReturnValues UPDATED_OLD and UPDATED_NEW).
 *
 * <p>Projection keeps nested structure: {@code a.b} yields {@code {a: {b: ...}}}. List elements
 * selected by index keep their relative order and are packed together, as DynamoDB returns them:
 * {@code a[1], a[3]} of {@code [w, x, y, z]} yields {@code {a: [x, z]}}.
 */
public final class ProjectionExpression {
  private final List<DocumentPath> paths;
  private final Node root = new Node();

  /** A trie of the projected paths; a node marked whole keeps its entire value. */
  private static final class Node {
    boolean whole;
    final Map<String, Node> names = new LinkedHashMap<>();
    final TreeMap<Integer, Node> indexes = new TreeMap<>();
  }

  private ProjectionExpression(List<DocumentPath> paths) {
    this.paths = List.copyOf(paths);
    for (DocumentPath path : this.paths) {
      Node node = root;
      for (DocumentPath.Element element : path.elements()) {
        node = switch (element) {
          case DocumentPath.Name name -> node.names.computeIfAbsent(name.name(), k -> new Node());
          case DocumentPath.Index index -> node.indexes.computeIfAbsent(index.index(), k -> new Node());
        };
      }
      node.whole = true;
    }
  }

  /** A projection of the given paths (which need not be disjoint). */
  public static ProjectionExpression of(List<DocumentPath> paths) {
    return new ProjectionExpression(paths);
  }

  public List<DocumentPath> paths() {
    return paths;
  }

  /** Distinct top-level attribute names the projection reads. */
  public List<String> topLevelAttributeNames() {
    return new ArrayList<>(root.names.keySet());
  }

  /** The projected copy of {@code item}; never modifies it. */
  public Map<String, AttributeValue> project(Map<String, AttributeValue> item) {
    Map<String, AttributeValue> out = new LinkedHashMap<>();
    for (Map.Entry<String, Node> entry : root.names.entrySet()) {
      AttributeValue value = item.get(entry.getKey());
      AttributeValue projected = value == null ? null : project(value, entry.getValue());
      if (projected != null) {
        out.put(entry.getKey(), projected);
      }
    }
    return out;
  }

  private static AttributeValue project(AttributeValue value, Node node) {
    if (node.whole) {
      return value;
    }
    if (!node.names.isEmpty() && value instanceof AttributeValue.M m) {
      Map<String, AttributeValue> out = new LinkedHashMap<>();
      for (Map.Entry<String, Node> entry : node.names.entrySet()) {
        AttributeValue child = m.value().get(entry.getKey());
        AttributeValue projected = child == null ? null : project(child, entry.getValue());
        if (projected != null) {
          out.put(entry.getKey(), projected);
        }
      }
      return out.isEmpty() ? null : new AttributeValue.M(out);
    }
    if (!node.indexes.isEmpty() && value instanceof AttributeValue.L l) {
      List<AttributeValue> out = new ArrayList<>();
      for (Map.Entry<Integer, Node> entry : node.indexes.entrySet()) {
        if (entry.getKey() < l.value().size()) {
          AttributeValue projected = project(l.value().get(entry.getKey()), entry.getValue());
          if (projected != null) {
            out.add(projected);
          }
        }
      }
      return out.isEmpty() ? null : new AttributeValue.L(out);
    }
    return null;
  }

  @Override
  public String toString() {
    return "ProjectionExpression" + paths;
  }
}
