package io.cairn.core.value;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Item and attribute sizes as DynamoDB computes them for the 400 KB limit and for capacity units.
 *
 * <p>The rules (from DynamoDB's documentation): an attribute costs the UTF-8 length of its name plus
 * the size of its value. Strings cost their UTF-8 length, binaries their length, numbers roughly one
 * byte per two significant digits plus one, BOOL and NULL one byte. Lists and maps cost 3 bytes plus
 * one byte per element plus their elements (map entries include their names). Sets cost the sum of
 * their members.
 */
public final class ItemSize {
  private ItemSize() {}

  public static long of(Map<String, AttributeValue> item) {
    long total = 0;
    for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
      total += utf8Length(attribute.getKey()) + of(attribute.getValue());
    }
    return total;
  }

  public static long of(AttributeValue value) {
    return switch (value) {
      case AttributeValue.S s -> utf8Length(s.value());
      case AttributeValue.N n -> numberSize(n.value());
      case AttributeValue.B b -> b.value().length();
      case AttributeValue.Bool ignored -> 1;
      case AttributeValue.Null ignored -> 1;
      case AttributeValue.M m -> {
        long total = 3;
        for (Map.Entry<String, AttributeValue> entry : m.value().entrySet()) {
          total += 1 + utf8Length(entry.getKey()) + of(entry.getValue());
        }
        yield total;
      }
      case AttributeValue.L l -> {
        long total = 3;
        for (AttributeValue element : l.value()) {
          total += 1 + of(element);
        }
        yield total;
      }
      case AttributeValue.SS ss -> {
        long total = 0;
        for (String member : ss.value()) {
          total += utf8Length(member);
        }
        yield total;
      }
      case AttributeValue.NS ns -> {
        long total = 0;
        for (DynamoNumber member : ns.value()) {
          total += numberSize(member);
        }
        yield total;
      }
      case AttributeValue.BS bs -> {
        long total = 0;
        for (Bytes member : bs.value()) {
          total += member.length();
        }
        yield total;
      }
    };
  }

  static long numberSize(DynamoNumber number) {
    return (number.precision() + 1) / 2 + 1;
  }

  public static int utf8Length(String text) {
    int bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
