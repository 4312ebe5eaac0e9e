package io.cairn.protocol.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.core.Limits;
import io.cairn.core.error.DynamoDbException;
import java.io.IOException;

/**
 * The one configured Jackson factory and mapper of the protocol layer.
 *
 * <p>Every limit a hostile body could exploit is set here, so parsing costs bounded memory and
 * stack: nesting depth ({@link #NESTING_DEPTH_MAX}, so a 4,000-deep document fails early instead
 * of recursing), number length, string and name length, and document length. A
 * body that is not a single JSON object in valid UTF-8 becomes a SerializationException.
 */
public final class Json {
  private Json() {}

  /** Longest JSON number token accepted; DynamoDB numbers travel as strings, so this is generous. */
  public static final int NUMBER_CHARS_MAX = 1_000;
  /** Longest field name: an attribute name may be 64 KB. */
  public static final int NAME_CHARS_MAX = Limits.ATTRIBUTE_NAME_BYTES_MAX + 1;

  /** JSON nesting accepted by the parser (see {@link Limits#JSON_NESTING_DEPTH_MAX} for why it is what it is). */
  public static final int NESTING_DEPTH_MAX = Limits.JSON_NESTING_DEPTH_MAX;

  public static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(NESTING_DEPTH_MAX)
                  .maxNumberLength(NUMBER_CHARS_MAX)
                  .maxStringLength(Limits.DECOMPRESSED_BODY_BYTES_MAX)
                  .maxNameLength(NAME_CHARS_MAX)
                  .maxDocumentLength(Limits.DECOMPRESSED_BODY_BYTES_MAX)
                  .build())
          .streamWriteConstraints(
              StreamWriteConstraints.builder().maxNestingDepth(NESTING_DEPTH_MAX).build())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  public static final ObjectMapper MAPPER =
      JsonMapper.builder(FACTORY)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();

  /**
   * Parses a request body. An empty body is an empty object, as DynamoDB treats it.
   *
   * @throws DynamoDbException SerializationException for anything but one JSON object
   */
  public static ObjectNode parseRequestBody(byte[] body, int offset, int length) {
    if (length == 0) {
      return MAPPER.createObjectNode();
    }
    JsonNode tree;
    try (JsonParser parser = FACTORY.createParser(body, offset, length)) {
      tree = MAPPER.readTree(parser);
    } catch (StreamConstraintsException e) {
      throw DynamoDbException.serialization("Request body exceeds a parser limit: " + firstLine(e));
    } catch (JsonProcessingException e) {
      throw DynamoDbException.serialization("Malformed JSON request body: " + firstLine(e));
    } catch (IOException e) {
      throw DynamoDbException.serialization("Unreadable request body: " + firstLine(e));
    }
    if (tree == null || tree.isMissingNode()) {
      return MAPPER.createObjectNode();
    }
    if (tree instanceof ObjectNode object) {
      return object;
    }
    throw JsonShapes.notAStructure(tree);
  }

  public static ObjectNode parseRequestBody(byte[] body) {
    return parseRequestBody(body, 0, body.length);
  }

  private static String firstLine(Exception e) {
    String message = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    if (message == null) {
      return e.getClass().getSimpleName();
    }
    int newline = message.indexOf('\n');
    String line = newline < 0 ? message : message.substring(0, newline);
    // Jackson quotes a window of the input; keep messages short and free of request data.
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }
}
