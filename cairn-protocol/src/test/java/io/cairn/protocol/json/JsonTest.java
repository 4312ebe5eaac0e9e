package io.cairn.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.core.error.DynamoDbException;
import io.cairn.core.error.ErrorType;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonTest {
  static void assertSerialization(byte[] body, String messagePart) {
    assertThatThrownBy(() -> Json.parseRequestBody(body))
        .isInstanceOfSatisfying(DynamoDbException.class, e -> {
          assertThat(e.type()).isEqualTo(ErrorType.SERIALIZATION);
          assertThat(e.getMessage()).contains(messagePart);
        });
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void emptyBodyIsAnEmptyObject() {
    assertThat(Json.parseRequestBody(new byte[0]).isEmpty()).isTrue();
    assertThat(Json.parseRequestBody(utf8("  ")).isEmpty()).isTrue();
  }

  @Test
  void parsesAnObject() {
    assertThat(Json.parseRequestBody(utf8("{\"TableName\":\"t\",\"Limit\":5}")).path("Limit").asInt()).isEqualTo(5);
  }

  @Test
  void refusesMalformedTrailingAndDuplicateInput() {
    assertSerialization(utf8("{"), "Malformed JSON request body");
    assertSerialization(utf8("{}{}"), "Malformed JSON request body");
    assertSerialization(utf8("{} x"), "Malformed JSON request body");
    assertSerialization(utf8("{\"a\":1,\"a\":2}"), "Duplicate field 'a'");
    assertSerialization(utf8("{'a':1}"), "Malformed JSON request body");
  }

  @Test
  void refusesNonObjectTopLevels() {
    assertSerialization(utf8("[]"), "Start of list found where not expected");
    assertSerialization(utf8("1"), "Expected null");
    assertSerialization(utf8("null"), "Expected null");
  }

  @Test
  void refusesInvalidUtf8() {
    assertSerialization(new byte[] {'{', '"', (byte) 0xff, '"', ':', '1', '}'}, "UTF-8");
  }

  @Test
  void refusesDeepNestingBeforeBuildingIt() {
    assertSerialization(utf8("[".repeat(4_000) + "]".repeat(4_000)), "nesting depth");
    assertSerialization(utf8("{\"a\":".repeat(Json.NESTING_DEPTH_MAX + 1) + "1" + "}".repeat(Json.NESTING_DEPTH_MAX + 1)),
        "nesting depth");
  }

  @Test
  void acceptsTheDeepestLegalDocumentInsideATransaction() {
    // TransactWriteItems > [ ] > { } > Put > Item > attribute, then 2 JSON levels per document level.
    String document = AttributeValueJsonTest.nested(33);
    String body = "{\"TransactItems\":[{\"Put\":{\"Item\":{\"a\":" + document + "}}}]}";
    assertThat(Json.parseRequestBody(utf8(body)).has("TransactItems")).isTrue();
  }

  @Test
  void refusesOverlongNumbers() {
    assertSerialization(utf8("{\"a\":" + "1".repeat(Json.NUMBER_CHARS_MAX + 1) + "}"), "exceeds a parser limit");
  }
}
