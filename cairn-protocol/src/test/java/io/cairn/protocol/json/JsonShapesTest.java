package io.cairn.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class JsonShapesTest {
  static JsonNode json(String text) throws IOException {
    return Json.MAPPER.readTree(text);
  }

  @Test
  void integers() throws IOException {
    assertThat(JsonShapes.requireInt(json("25"))).isEqualTo(25);
    assertThat(JsonShapes.requireInt(json("2.9"))).isEqualTo(2);
    assertThat(JsonShapes.requireLong(json("-9000000000"))).isEqualTo(-9_000_000_000L);
    assertThatThrownBy(() -> JsonShapes.requireInt(json("\"25\""))).hasMessage("STRING_VALUE cannot be converted to Integer");
    assertThatThrownBy(() -> JsonShapes.requireInt(json("false"))).hasMessage("FALSE_VALUE cannot be converted to Integer");
    assertThatThrownBy(() -> JsonShapes.requireInt(json("9000000000"))).hasMessage("NUMBER_VALUE cannot be converted to Integer");
    assertThatThrownBy(() -> JsonShapes.requireLong(json("[]"))).hasMessage("Start of list found where not expected");
  }

  @Test
  void strings() throws IOException {
    assertThat(JsonShapes.requireString(json("\"t\""))).isEqualTo("t");
    assertThatThrownBy(() -> JsonShapes.requireString(json("{}"))).hasMessage("Start of structure or map found where not expected.");
  }

  @Test
  void booleansAcceptJavaStyleStrings() throws IOException {
    assertThat(JsonShapes.requireBoolean(json("true"))).isTrue();
    assertThat(JsonShapes.requireBoolean(json("\"TRUE\""))).isTrue();
    assertThat(JsonShapes.requireBoolean(json("\"yes\""))).isFalse();
  }

  @Test
  void structuresListsAndMaps() throws IOException {
    assertThat(JsonShapes.requireStructure(json("{}")).isEmpty()).isTrue();
    assertThatThrownBy(() -> JsonShapes.requireStructure(json("1"))).hasMessage("Expected null");
    assertThatThrownBy(() -> JsonShapes.requireList(json("1"))).hasMessage("Expected list or null");
    assertThatThrownBy(() -> JsonShapes.requireMap(json("true"))).hasMessage("Expected map or null");
  }
}
