package io.cairn.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsFileTest {
  @Test
  void readsPairsSkippingCommentsAndBlankLines(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("credentials");
    Files.writeString(file, "# operators\n\nAKID1 secret1\n  AKID2\tsecret/2+x  \n# end\n");
    assertThat(CredentialsFile.read(file)).isEqualTo(Map.of("AKID1", "secret1", "AKID2", "secret/2+x"));
  }

  @Test
  void malformedLinesNameTheLineButNotTheSecret() {
    assertThatThrownBy(() -> CredentialsFile.parse(List.of("ok secret", "only-one-field-topsecret"), "creds"))
        .hasMessage("creds:2: expected 'ACCESS_KEY_ID SECRET_ACCESS_KEY', found 1 fields");
    assertThatThrownBy(() -> CredentialsFile.parse(List.of("a b c"), "creds")).hasMessageNotContaining("b c");
    assertThatThrownBy(() -> CredentialsFile.parse(List.of("a s1", "a s2"), "creds"))
        .hasMessage("creds:2: access key id a appears twice");
  }
}
