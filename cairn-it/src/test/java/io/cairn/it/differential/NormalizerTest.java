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
  void numbersCanBeComparedByValue() {
    Normalizer byValue = new Normalizer(false, true);
    String a = Normalizer.canonical(byValue.response(200, "{\"Item\":{\"n\":{\"N\":\"1E+2\"},\"s\":{\"NS\":[\"1.0\",\"2\"]}}}"));
    String b = Normalizer.canonical(byValue.response(200, "{\"Item\":{\"n\":{\"N\":\"100\"},\"s\":{\"NS\":[\"2\",\"1\"]}}}"));
    assertThat(a).isEqualTo(b);
    assertThat(normalised("{\"Item\":{\"n\":{\"N\":\"1E+2\"}}}")).isNotEqualTo(normalised("{\"Item\":{\"n\":{\"N\":\"100\"}}}"));
  }

  @Test
  void dynamoDbLocalQuirksAreCorrectedTowardsDynamoDb() {
    Step create = new Step(0, "CreateTable", Normalizer.MAPPER.createObjectNode(), null, Step.Mode.SINGLE, "CreateTable");
    var outcome = normalizer.response(200, "{\"TableDescription\":{\"TableStatus\":\"ACTIVE\"}}");
    OracleCorrections.apply(create, outcome);
    assertThat(outcome.at("/body/TableDescription/TableStatus").asText()).isEqualTo("CREATING");
    Step delete = new Step(1, "DeleteItem", Normalizer.MAPPER.createObjectNode(), null, Step.Mode.SINGLE, "DeleteItem");
    var deleted = normalizer.response(200, "{\"ConsumedCapacity\":{\"CapacityUnits\":1.0}}");
    OracleCorrections.apply(delete, deleted);
    assertThat(deleted.at("/body").isEmpty()).isTrue();
  }

  @Test
  void aDifferenceNamesTheFirstPathWhereTheOutcomesDiverge() throws Exception {
    var a = Normalizer.MAPPER.readTree("{\"body\":{\"Items\":[{\"a\":{\"N\":\"1\"}},{\"a\":{\"N\":\"2\"}}]}}");
    var b = Normalizer.MAPPER.readTree("{\"body\":{\"Items\":[{\"a\":{\"N\":\"1\"}},{\"a\":{\"N\":\"3\"}}]}}");
    assertThat(DifferentialRunner.Difference.firstDivergence(a, b, "")).isEqualTo("/body/Items/1/a/N: \"2\" vs \"3\"");
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
