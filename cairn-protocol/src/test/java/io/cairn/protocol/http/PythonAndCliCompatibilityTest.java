package io.cairn.protocol.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.protocol.FrontEndConfig;
import io.cairn.protocol.HttpFrontEnd;
import io.cairn.protocol.auth.Authenticator;
import io.cairn.protocol.json.Json;
import io.cairn.protocol.testing.EchoService;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * boto3 and the AWS CLI against a verifying front end: their signatures verify, botocore's CRC32
 * check passes, errors map to their exception codes. {@code bin/cairn test} installs both; when
 * one is missing the test fails with the command that installs it, rather than passing unrun.
 */
class PythonAndCliCompatibilityTest {
  static HttpFrontEnd server;

  @BeforeAll
  static void start() throws IOException {
    server = HttpFrontEnd.start(FrontEndConfig.defaults("127.0.0.1", 0), new EchoService(ForkJoinPool.commonPool()),
        Authenticator.verifying(Map.of("AKIDBOTO", "boto/secret"), InstantSource.system()));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String endpoint() {
    return "http://127.0.0.1:" + server.address().getPort();
  }

  record Result(int exitCode, String stdout) {}

  static Result run(List<String> command, Map<String, String> environment) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false);
    builder.environment().putAll(environment);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      return new Result(-1, "");
    }
    process.getOutputStream().close();
    byte[] stdout;
    try (InputStream in = process.getInputStream()) {
      stdout = in.readAllBytes();
    }
    process.getErrorStream().transferTo(System.err);
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("timed out: " + command);
    }
    return new Result(process.exitValue(), new String(stdout, StandardCharsets.UTF_8));
  }

  static boolean available(List<String> probe) throws Exception {
    return run(probe, Map.of()).exitCode() == 0;
  }

  @Test
  void boto3(@TempDir Path dir) throws Exception {
    String python = available(List.of("python3", "-c", "import boto3")) ? "python3"
        : available(List.of("/usr/bin/python3", "-c", "import boto3")) ? "/usr/bin/python3" : null;
    assertThat(python).as("no python3 with boto3; install it: apt-get install python3-boto3").isNotNull();
    Path script = dir.resolve("boto3_smoke.py");
    try (InputStream in = getClass().getResourceAsStream("boto3_smoke.py")) {
      Files.write(script, in.readAllBytes());
    }
    Result result = run(List.of(python, script.toString(), endpoint()),
        Map.of("AWS_CONFIG_FILE", "/dev/null", "AWS_SHARED_CREDENTIALS_FILE", "/dev/null", "AWS_MAX_ATTEMPTS", "1"));
    assertThat(result.exitCode()).as(result.stdout()).isZero();
    JsonNode out = Json.MAPPER.readTree(result.stdout());
    assertThat(out.path("tables").size()).isEqualTo(3);
    assertThat(out.path("request_id").asText()).hasSize(52);
    assertThat(out.path("echo_n").asText()).isEqualTo("1.5");
    assertThat(out.path("echo_b").toString()).isEqualTo("[0,255]");
    assertThat(out.path("missing").asText()).isEqualTo("ResourceNotFoundException");
    assertThat(out.path("wrong_secret").asText()).isEqualTo("InvalidSignatureException");
  }

  @Test
  void awsCli() throws Exception {
    assertThat(available(List.of("aws", "--version"))).as("the AWS CLI is missing; install it: apt-get install awscli").isTrue();
    Map<String, String> environment = Map.of(
        "AWS_ACCESS_KEY_ID", "AKIDBOTO", "AWS_SECRET_ACCESS_KEY", "boto/secret", "AWS_DEFAULT_REGION", "us-east-1",
        "AWS_CONFIG_FILE", "/dev/null", "AWS_SHARED_CREDENTIALS_FILE", "/dev/null", "AWS_PAGER", "", "AWS_MAX_ATTEMPTS", "1");
    Result result = run(List.of("aws", "dynamodb", "list-tables", "--endpoint-url", endpoint(), "--output", "json"), environment);
    assertThat(result.exitCode()).as(result.stdout()).isZero();
    assertThat(Json.MAPPER.readTree(result.stdout()).path("TableNames").size()).isEqualTo(3);
  }
}
