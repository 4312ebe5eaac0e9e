package io.cairn.core.value;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One DynamoDB attribute value: the ten types of the data model.
 *
 * <p>Values are immutable. Sets keep the order in which the client sent their members (DynamoDB
 * returns them in an unspecified order; keeping the client's order is the least surprising
 * choice), but compare as sets: two sets are equal when they hold the same members in any order.
 * Numbers compare by numeric value, so {@code 1} equals {@code 1.0}.
 */
public sealed interface AttributeValue {

  /** The type descriptor as it appears on the wire: "S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS". */
  String typeName();

  record S(String value) implements AttributeValue {
    public S {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public String typeName() {
      return "S";
    }
  }

  record N(DynamoNumber value) implements AttributeValue {
    public N {
      Objects.requireNonNull(value, "value");
    }

    public static N of(String text) {
      return new N(DynamoNumber.parse(text));
    }

    public static N of(long value) {
      return new N(DynamoNumber.of(value));
    }

    @Override
    public String typeName() {
      return "N";
    }
  }

  record B(Bytes value) implements AttributeValue {
    public B {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public String typeName() {
      return "B";
    }
  }

  record Bool(boolean value) implements AttributeValue {
    public static final Bool TRUE = new Bool(true);
    public static final Bool FALSE = new Bool(false);

    public static Bool of(boolean value) {
      return value ? TRUE : FALSE;
    }

    @Override
    public String typeName() {
      return "BOOL";
    }
  }

  /** DynamoDB's NULL type; the only valid wire value is {@code {"NULL": true}}. */
  record Null() implements AttributeValue {
    public static final Null INSTANCE = new Null();

    @Override
    public String typeName() {
      return "NULL";
    }
  }

  record M(Map<String, AttributeValue> value) implements AttributeValue {
    public M {
      value = Collections.unmodifiableMap(new LinkedHashMap<>(value));
    }

    @Override
    public String typeName() {
      return "M";
    }
  }

  record L(List<AttributeValue> value) implements AttributeValue {
    public L {
      value = List.copyOf(value);
    }

    @Override
    public String typeName() {
      return "L";
    }
  }

  /** A string set. Members are unique; the set is never empty once validated. */
  record SS(List<String> value) implements AttributeValue {
    public SS {
      value = List.copyOf(value);
    }

    @Override
    public String typeName() {
      return "SS";
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof SS other && new HashSet<>(value).equals(new HashSet<>(other.value));
    }

    @Override
    public int hashCode() {
      return new HashSet<>(value).hashCode();
    }
  }

  /** A number set. Members are unique by numeric value. */
  record NS(List<DynamoNumber> value) implements AttributeValue {
    public NS {
      value = List.copyOf(value);
    }

    @Override
    public String typeName() {
      return "NS";
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof NS other && new HashSet<>(value).equals(new HashSet<>(other.value));
    }

    @Override
    public int hashCode() {
      return new HashSet<>(value).hashCode();
    }
  }

  /** A binary set. Members are unique by content. */
  record BS(List<Bytes> value) implements AttributeValue {
    public BS {
      value = List.copyOf(value);
    }

    @Override
    public String typeName() {
      return "BS";
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof BS other && new HashSet<>(value).equals(new HashSet<>(other.value));
    }

    @Override
    public int hashCode() {
      return new HashSet<>(value).hashCode();
    }
  }

  static S s(String value) {
    return new S(value);
  }

  static N n(String value) {
    return N.of(value);
  }

  static N n(long value) {
    return N.of(value);
  }

  static B b(byte[] value) {
    return new B(Bytes.copyOf(value));
  }

  static M m(Map<String, AttributeValue> value) {
    return new M(value);
  }

  static L l(List<AttributeValue> value) {
    return new L(value);
  }

  static SS ss(String... members) {
    return new SS(List.of(members));
  }

  static NS ns(String... members) {
    List<DynamoNumber> numbers = new ArrayList<>(members.length);
    for (String member : members) {
      numbers.add(DynamoNumber.parse(member));
    }
    return new NS(numbers);
  }
}
