package io.cairn.it.differential;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NormalizerTest {
  private final Normalizer normalizer = new Normalizer(false);

  private String normalised(String body) {
    return Normalizer.canonical(normalizer.response(200, body));
  }

  @Test
  void errorTypeIsReducedToItsShortNameAndMessagesAreDroppedByDefault() {
    String local = "{\"__type\":\"com.amazon.coral.validate#ValidationException\",\"Message\":\"One\"}";
    String other = "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ValidationException\",\"message\":\"Two\"}";
    assertThat(normalised(local)).isEqualTo(normalised(other)).contains("\"ValidationException\"").doesNotContain("One");
  }

  @Test
  void validationMessagesAreComparedWhenAsked() {
    Normalizer strict = new Normalizer(true);
    String a = Normalizer.canonical(strict.response(400, "{\"__type\":\"x#ValidationException\",\"Message\":\"One\"}"));
    String b = Normalizer.canonical(strict.response(400, "{\"__type\":\"y#ValidationException\",\"message\":\"Two\"}"));
    assertThat(a).isNotEqualTo(b);
    String c = Normalizer.canonical(strict.response(400, "{\"__type\":\"x#ConditionalCheckFailedException\",\"message\":\"One\"}"));
    String d = Normalizer.canonical(strict.response(400, "{\"__type\":\"y#ConditionalCheckFailedException\",\"message\":\"Two\"}"));
    assertThat(c).isEqualTo(d);
  }

  @Test
  void setMembersAreUnorderedButListsAreNot() {
    assertThat(normalised("{\"Item\":{\"s\":{\"SS\":[\"b\",\"a\"]}}}")).isEqualTo(normalised("{\"Item\":{\"s\":{\"SS\":[\"a\",\"b\"]}}}"));
    assertThat(normalised("{\"Item\":{\"l\":{\"L\":[{\"S\":\"b\"},{\"S\":\"a\"}]}}}"))
        .isNotEqualTo(normalised("{\"Item\":{\"l\":{\"L\":[{\"S\":\"a\"},{\"S\":\"b\"}]}}}"));
  }

  @Test
  void timestampsTableIdsAndArnAccountsAreNormalised() {
    String a = "{\"Table\":{\"CreationDateTime\":1.7E9,\"TableId\":\"x\",\"TableArn\":\"arn:aws:dynamodb:ddblocal:000000000000:table/t\"}}";
    String b = "{\"Table\":{\"CreationDateTime\":1.8E9,\"TableId\":\"y\",\"TableArn\":\"arn:aws:dynamodb:us-east-1:123456789012:table/t\"}}";
    assertThat(normalised(a)).isEqualTo(normalised(b)).contains("table/t");
  }

  @Test
  void batchGetResponsesAreUnorderedWithinATable() {
    String a = "{\"Responses\":{\"t\":[{\"pk\":{\"S\":\"1\"}},{\"pk\":{\"S\":\"2\"}}]}}";
    String b = "{\"Responses\":{\"t\":[{\"pk\":{\"S\":\"2\"}},{\"pk\":{\"S\":\"1\"}}]}}";
    assertThat(normalised(a)).isEqualTo(normalised(b));
  }

  @Test
  void sameSeedGivesTheSameRequests() {
    RequestGenerator a = new RequestGenerator(42);
    RequestGenerator b = new RequestGenerator(42);
    for (int i = 0; i < 500; i++) {
      assertThat(a.next().bodyText()).isEqualTo(b.next().bodyText());
    }
  }
}
