package io.cairn.expressions;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A document path such as {@code a.b[3].c}, with placeholders already resolved to real names.
 *
 * <p>The first element is always a {@link Name}: the top-level attribute.
 */
public record DocumentPath(List<Element> elements) {

  /** One step of a path: a map key or a list index. */
  public sealed interface Element permits Name, Index {}

  public record Name(String name) implements Element {
    public Name {
      Objects.requireNonNull(name, "name");
    }
  }

  public record Index(int index) implements Element {
    public Index {
      if (index < 0) {
        throw new IllegalArgumentException("negative list index " + index);
      }
    }
  }

  public DocumentPath {
    elements = List.copyOf(elements);
    if (elements.isEmpty() || !(elements.get(0) instanceof Name)) {
      throw new IllegalArgumentException("a document path starts with an attribute name");
    }
  }

  /** A path naming one top-level attribute. */
  public static DocumentPath of(String topLevelName) {
    return new DocumentPath(List.of(new Name(topLevelName)));
  }

  public String topLevelName() {
    return ((Name) elements.get(0)).name();
  }

  public int size() {
    return elements.size();
  }

  public Element get(int position) {
    return elements.get(position);
  }

  public DocumentPath child(Element element) {
    List<Element> longer = new ArrayList<>(elements);
    longer.add(element);
    return new DocumentPath(longer);
  }

  /** Whether this path equals {@code other} or is an ancestor of it. */
  public boolean isPrefixOf(DocumentPath other) {
    return other.elements.size() >= elements.size()
        && other.elements.subList(0, elements.size()).equals(elements);
  }

  /** DynamoDB's rendering in error messages: {@code [a, b, [3]]}. */
  public String render() {
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < elements.size(); i++) {
      if (i > 0) {
        out.append(", ");
      }
      switch (elements.get(i)) {
        case Name name -> out.append(name.name());
        case Index index -> out.append('[').append(index.index()).append(']');
      }
    }
    return out.append(']').toString();
  }

  /** The path as it would be written in an expression (names unescaped): {@code a.b[3]}. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < elements.size(); i++) {
      switch (elements.get(i)) {
        case Name name -> {
          if (i > 0) {
            out.append('.');
          }
          out.append(name.name());
        }
        case Index index -> out.append('[').append(index.index()).append(']');
      }
    }
    return out.toString();
  }
}
