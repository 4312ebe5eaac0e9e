package io.cairn.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.core.error.DynamoDbException;
import io.cairn.core.error.ErrorType;
import io.cairn.core.value.AttributeValue;
import java.io.IOException;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AttributeValueJsonTest {

  static JsonNode json(String text) throws IOException {
    return Json.MAPPER.readTree(text);
  }

  static AttributeValue read(String text) throws IOException {
    return AttributeValueJson.readValue(json(text));
  }

  static void assertFails(String text, ErrorType type, String message) {
    assertThatThrownBy(() -> read(text))
        .isInstanceOfSatisfying(DynamoDbException.class, e -> {
          assertThat(e.type()).isEqualTo(type);
          assertThat(e.getMessage()).isEqualTo(message);
        });
  }

  static String write(AttributeValue value) throws IOException {
    StringWriter out = new StringWriter();
    try (JsonGenerator json = Json.FACTORY.createGenerator(out)) {
      AttributeValueJson.writeValue(json, value);
    }
    return out.toString();
  }

  @Test
  void readsEveryType() throws IOException {
    assertThat(read("{\"S\":\"x\"}")).isEqualTo(AttributeValue.s("x"));
    assertThat(read("{\"N\":\"1.50\"}")).isEqualTo(AttributeValue.n("1.5"));
    assertThat(read("{\"B\":\"AAEC/w==\"}")).isEqualTo(AttributeValue.b(new byte[] {0, 1, 2, (byte) 255}));
    assertThat(read("{\"BOOL\":false}")).isEqualTo(AttributeValue.Bool.FALSE);
    assertThat(read("{\"NULL\":true}")).isEqualTo(AttributeValue.Null.INSTANCE);
    assertThat(read("{\"M\":{\"a\":{\"S\":\"b\"}}}")).isEqualTo(AttributeValue.m(Map.of("a", AttributeValue.s("b"))));
    assertThat(read("{\"L\":[{\"N\":\"1\"},{\"S\":\"a\"}]}"))
        .isEqualTo(AttributeValue.l(List.of(AttributeValue.n(1), AttributeValue.s("a"))));
    assertThat(read("{\"SS\":[\"a\",\"b\"]}")).isEqualTo(AttributeValue.ss("b", "a"));
    assertThat(read("{\"NS\":[\"1\",\"2\"]}")).isEqualTo(AttributeValue.ns("2", "1"));
    assertThat(read("{\"BS\":[\"AA==\",\"AQ==\"]}")).isInstanceOf(AttributeValue.BS.class);
    assertThat(read("{\"M\":{}}")).isEqualTo(AttributeValue.m(Map.of()));
    assertThat(read("{\"L\":[]}")).isEqualTo(AttributeValue.l(List.of()));
  }

  @Test
  void nullMembersAndUnknownNamesAreIgnored() throws IOException {
    assertThat(read("{\"S\":\"x\",\"N\":null,\"Extra\":1}")).isEqualTo(AttributeValue.s("x"));
  }

  @Test
  void roundTripsThroughTheWriter() throws IOException {
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    item.put("s", AttributeValue.s("é\"\n"));
    item.put("n", AttributeValue.n("-0.000100"));
    item.put("b", AttributeValue.b(new byte[] {1, 2, 3}));
    item.put("bool", AttributeValue.Bool.TRUE);
    item.put("null", AttributeValue.Null.INSTANCE);
    item.put("l", AttributeValue.l(List.of(AttributeValue.m(Map.of("x", AttributeValue.ns("1", "2"))))));
    item.put("ss", AttributeValue.ss("a"));
    item.put("bs", new AttributeValue.BS(List.of(io.cairn.core.value.Bytes.wrap(new byte[] {9}))));
    StringWriter out = new StringWriter();
    try (JsonGenerator json = Json.FACTORY.createGenerator(out)) {
      AttributeValueJson.writeItem(json, item);
    }
    assertThat(AttributeValueJson.readItem(json(out.toString()))).isEqualTo(item);
    assertThat(write(AttributeValue.n("-0.000100"))).isEqualTo("{\"N\":\"-0.0001\"}");
    assertThat(write(AttributeValue.b(new byte[] {(byte) 0xfb, (byte) 0xff}))).isEqualTo("{\"B\":\"+/8=\"}");
    assertThat(write(AttributeValue.Null.INSTANCE)).isEqualTo("{\"NULL\":true}");
  }

  @Test
  void emptyAndMultipleTypesUseDynamoDbWording() {
    assertFails("{}", ErrorType.VALIDATION,
        "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
    assertFails("{\"S\":null}", ErrorType.VALIDATION,
        "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
    assertFails("{\"S\":\"a\",\"N\":\"1\"}", ErrorType.VALIDATION,
        "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
  }

  @Test
  void setsMayNotBeEmptyOrHoldDuplicates() {
    assertFails("{\"SS\":[]}", ErrorType.VALIDATION, "One or more parameter values were invalid: An string set  may not be empty");
    assertFails("{\"NS\":[]}", ErrorType.VALIDATION, "One or more parameter values were invalid: An number set  may not be empty");
    assertFails("{\"BS\":[]}", ErrorType.VALIDATION, "One or more parameter values were invalid: An binary set  may not be empty");
    assertFails("{\"SS\":[\"a\",\"a\"]}", ErrorType.VALIDATION, "Input collection [a, a] contains duplicates.");
    assertFails("{\"NS\":[\"1\",\"1.0\"]}", ErrorType.VALIDATION, "Input collection [1, 1.0] contains duplicates.");
    assertFails("{\"BS\":[\"AA==\",\"AA==\"]}", ErrorType.VALIDATION, "Input collection [AA==, AA==] contains duplicates.");
  }

  @Test
  void nullMustBeTrue() {
    assertFails("{\"NULL\":false}", ErrorType.VALIDATION,
        "One or more parameter values were invalid: Null attribute value types must have the value of true");
  }

  @Test
  void numbersAreValidatedByDynamoNumber() {
    assertFails("{\"N\":\"abc\"}", ErrorType.VALIDATION, "A value provided cannot be converted into a number");
    assertFails("{\"N\":\"1E+126\"}", ErrorType.VALIDATION,
        "Number overflow. Attempting to store a number with magnitude larger than supported range");
  }

  @Test
  void wrongJsonTypesAreSerializationExceptions() {
    assertFails("{\"S\":5}", ErrorType.SERIALIZATION, "NUMBER_VALUE cannot be converted to String");
    assertFails("{\"S\":true}", ErrorType.SERIALIZATION, "TRUE_VALUE cannot be converted to String");
    assertFails("{\"N\":1}", ErrorType.SERIALIZATION, "NUMBER_VALUE cannot be converted to String");
    assertFails("{\"S\":{}}", ErrorType.SERIALIZATION, "Start of structure or map found where not expected.");
    assertFails("{\"S\":[]}", ErrorType.SERIALIZATION, "Start of list found where not expected");
    assertFails("{\"M\":[]}", ErrorType.SERIALIZATION, "Start of list found where not expected");
    assertFails("{\"M\":\"x\"}", ErrorType.SERIALIZATION, "Expected map or null");
    assertFails("{\"L\":\"x\"}", ErrorType.SERIALIZATION, "Expected list or null");
    assertFails("{\"L\":{}}", ErrorType.SERIALIZATION, "Start of structure or map found where not expected.");
    assertFails("\"x\"", ErrorType.SERIALIZATION, "Expected null");
    assertFails("[]", ErrorType.SERIALIZATION, "Start of list found where not expected");
    assertFails("{\"BOOL\":1}", ErrorType.SERIALIZATION, "NUMBER_VALUE cannot be converted to Boolean");
    assertFails("{\"SS\":[1]}", ErrorType.SERIALIZATION, "NUMBER_VALUE cannot be converted to String");
  }

  @Test
  void invalidBase64IsSerializationException() {
    assertFails("{\"B\":\"23456\"}", ErrorType.SERIALIZATION,
        "'23456' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: 5");
    assertFails("{\"B\":\"=+/=\"}", ErrorType.SERIALIZATION, "'=+/=' can not be converted to a Blob: Invalid Base64 character: '='");
    assertFails("{\"B\":\"+/+=\"}", ErrorType.SERIALIZATION,
        "'+/+=' can not be converted to a Blob: Invalid last non-pad Base64 character dectected");
    assertFails("{\"B\":\"ab-_\"}", ErrorType.SERIALIZATION, "'ab-_' can not be converted to a Blob: Invalid Base64 character: '-'");
    assertFails("{\"B\":5}", ErrorType.SERIALIZATION, "NUMBER_VALUE cannot be converted to Blob");
  }

  @Test
  void nestingDeeperThan32LevelsIsRefused() throws IOException {
    assertThat(read(nested(31))).isInstanceOf(AttributeValue.M.class);
    assertFails(nested(32), ErrorType.VALIDATION,
        "One or more parameter values were invalid: Nesting Levels have exceeded supported limits");
  }

  /** A value with {@code levels} levels of M below it. */
  static String nested(int levels) {
    return "{\"M\":{\"a\":".repeat(levels) + "{\"S\":\"x\"}" + "}}".repeat(levels);
  }

  @Test
  void itemsAndKeysMustBeMaps() {
    assertThatThrownBy(() -> AttributeValueJson.readItem(json("[]")))
        .hasMessage("Start of list found where not expected");
    assertThatThrownBy(() -> AttributeValueJson.readItem(json("\"x\"")))
        .hasMessage("Expected map or null");
    assertThatThrownBy(() -> AttributeValueJson.readKey(json("{\"k\":null}")))
        .hasMessage("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
  }
}
