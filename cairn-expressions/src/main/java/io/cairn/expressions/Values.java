package io.cairn.expressions;

import io.cairn.core.value.AttributeValue;
import io.cairn.core.value.Bytes;
import io.cairn.core.value.DynamoNumber;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Comparison, rendering and set arithmetic on attribute values, as DynamoDB defines them. */
final class Values {
  private Values() {}

  /** Only S, N and B are ordered; comparing anything else (or two different types) is false. */
  static boolean orderable(AttributeValue a, AttributeValue b) {
    return a != null
        && b != null
        && a.typeName().equals(b.typeName())
        && (a instanceof AttributeValue.S || a instanceof AttributeValue.N || a instanceof AttributeValue.B);
  }

  /** Orders two values of the same orderable type; callers check {@link #orderable} first. */
  static int compare(AttributeValue a, AttributeValue b) {
    return switch (a) {
      case AttributeValue.S s -> compareUtf8(s.value(), ((AttributeValue.S) b).value());
      case AttributeValue.N n -> n.value().compareTo(((AttributeValue.N) b).value());
      case AttributeValue.B bin -> bin.value().compareTo(((AttributeValue.B) b).value());
      default -> throw new IllegalArgumentException("not orderable: " + a.typeName());
    };
  }

  /** Strings order by their UTF-8 bytes, unsigned, which is code point order. */
  static int compareUtf8(String a, String b) {
    return Arrays.compareUnsigned(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  /** DynamoDB's long type names, used in some update-expression messages. */
  static String longTypeName(AttributeValue value) {
    return switch (value) {
      case AttributeValue.S ignored -> "STRING";
      case AttributeValue.N ignored -> "NUMBER";
      case AttributeValue.B ignored -> "BINARY";
      case AttributeValue.Bool ignored -> "BOOLEAN";
      case AttributeValue.Null ignored -> "NULL";
      case AttributeValue.M ignored -> "MAP";
      case AttributeValue.L ignored -> "LIST";
      case AttributeValue.SS ignored -> "SET";
      case AttributeValue.NS ignored -> "SET";
      case AttributeValue.BS ignored -> "SET";
    };
  }

  /** DynamoDB's rendering of a value inside messages: {@code {N:5}}, {@code {S:abc}}. */
  static String render(AttributeValue value) {
    return "{" + value.typeName() + ":" + renderBody(value) + "}";
  }

  private static String renderBody(AttributeValue value) {
    return switch (value) {
      case AttributeValue.S s -> s.value();
      case AttributeValue.N n -> n.value().toString();
      case AttributeValue.B b -> b.value().toBase64();
      case AttributeValue.Bool b -> Boolean.toString(b.value());
      case AttributeValue.Null ignored -> "true";
      case AttributeValue.M m -> {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, AttributeValue> e : m.value().entrySet()) {
          parts.add(e.getKey() + "=" + render(e.getValue()));
        }
        yield "{" + String.join(", ", parts) + "}";
      }
      case AttributeValue.L l -> {
        List<String> parts = new ArrayList<>();
        for (AttributeValue v : l.value()) {
          parts.add(render(v));
        }
        yield "[" + String.join(", ", parts) + "]";
      }
      case AttributeValue.SS ss -> "[" + String.join(", ", ss.value()) + "]";
      case AttributeValue.NS ns -> ns.value().toString();
      case AttributeValue.BS bs -> {
        List<String> parts = new ArrayList<>();
        for (Bytes b : bs.value()) {
          parts.add(b.toBase64());
        }
        yield "[" + String.join(", ", parts) + "]";
      }
    };
  }

  static boolean isSet(AttributeValue value) {
    return value instanceof AttributeValue.SS
        || value instanceof AttributeValue.NS
        || value instanceof AttributeValue.BS;
  }

  /** Set union keeping the order of {@code a} then new members of {@code b}; types must match. */
  static AttributeValue union(AttributeValue a, AttributeValue b) {
    return switch (a) {
      case AttributeValue.SS x -> new AttributeValue.SS(unionList(x.value(), ((AttributeValue.SS) b).value()));
      case AttributeValue.NS x -> new AttributeValue.NS(unionList(x.value(), ((AttributeValue.NS) b).value()));
      case AttributeValue.BS x -> new AttributeValue.BS(unionList(x.value(), ((AttributeValue.BS) b).value()));
      default -> throw new IllegalArgumentException("not a set: " + a.typeName());
    };
  }

  /** Set difference; null when nothing is left (DynamoDB removes an emptied set). */
  static AttributeValue difference(AttributeValue a, AttributeValue b) {
    List<?> left = switch (a) {
      case AttributeValue.SS x -> minus(x.value(), ((AttributeValue.SS) b).value());
      case AttributeValue.NS x -> minus(x.value(), ((AttributeValue.NS) b).value());
      case AttributeValue.BS x -> minus(x.value(), ((AttributeValue.BS) b).value());
      default -> throw new IllegalArgumentException("not a set: " + a.typeName());
    };
    if (left.isEmpty()) {
      return null;
    }
    return rebuildSet(a, left);
  }

  @SuppressWarnings("unchecked")
  private static AttributeValue rebuildSet(AttributeValue like, List<?> members) {
    return switch (like) {
      case AttributeValue.SS ignored -> new AttributeValue.SS((List<String>) members);
      case AttributeValue.NS ignored -> new AttributeValue.NS((List<DynamoNumber>) members);
      case AttributeValue.BS ignored -> new AttributeValue.BS((List<Bytes>) members);
      default -> throw new IllegalArgumentException("not a set: " + like.typeName());
    };
  }

  private static <T> List<T> unionList(List<T> a, List<T> b) {
    Set<T> out = new LinkedHashSet<>(a);
    out.addAll(b);
    return new ArrayList<>(out);
  }

  private static <T> List<T> minus(List<T> a, List<T> b) {
    Set<T> remove = Set.copyOf(b);
    List<T> out = new ArrayList<>();
    for (T member : a) {
      if (!remove.contains(member)) {
        out.add(member);
      }
    }
    return out;
  }

  /** Whether a set contains a scalar of its member type. */
  static boolean setContains(AttributeValue set, AttributeValue member) {
    return switch (set) {
      case AttributeValue.SS ss -> member instanceof AttributeValue.S s && ss.value().contains(s.value());
      case AttributeValue.NS ns -> member instanceof AttributeValue.N n && ns.value().contains(n.value());
      case AttributeValue.BS bs -> member instanceof AttributeValue.B b && bs.value().contains(b.value());
      default -> false;
    };
  }

  static boolean bytesContain(Bytes haystack, Bytes needle) {
    byte[] h = haystack.unsafeArray();
    byte[] n = needle.unsafeArray();
    outer:
    for (int i = 0; i + n.length <= h.length; i++) {
      for (int j = 0; j < n.length; j++) {
        if (h[i + j] != n[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
