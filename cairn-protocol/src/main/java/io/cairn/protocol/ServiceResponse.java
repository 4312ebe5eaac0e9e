package io.cairn.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/** A successful operation's JSON body, written straight to the response buffer. */
@FunctionalInterface
public interface ServiceResponse {
  /** Writes the whole body, a single JSON object, to {@code json}. */
  void writeBody(JsonGenerator json) throws IOException;
}
