package io.cairn.protocol.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.protocol.FrontEndConfig;
import io.cairn.protocol.HttpFrontEnd;
import io.cairn.protocol.auth.Authenticator;
import io.cairn.protocol.testing.EchoService;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ForkJoinPool;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS with a self-signed certificate made by keytool, written out as PEM files. */
class TlsTest {
  static final char[] PASSWORD = "changeit".toCharArray();

  @Test
  void servesHttpsWithPemCertificateAndKey(@TempDir Path dir) throws Exception {
    Path keystore = dir.resolve("server.p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "cairn", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=localhost", "-ext", "san=dns:localhost,ip:127.0.0.1", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", keystore.toString(),
        "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
        .redirectErrorStream(true).start();
    String keytoolOutput = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor()).as(keytoolOutput).isZero();

    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(keystore.toFile())) {
      store.load(in, PASSWORD);
    }
    PrivateKey key = (PrivateKey) store.getKey("cairn", PASSWORD);
    Certificate certificate = store.getCertificate("cairn");
    Path certPem = dir.resolve("cert.pem");
    Path keyPem = dir.resolve("key.pem");
    Files.writeString(certPem, pem("CERTIFICATE", certificate.getEncoded()));
    Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()));

    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("cairn", certificate);
    TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, trustManagers.getTrustManagers(), null);

    try (HttpFrontEnd server = HttpFrontEnd.start(
            FrontEndConfig.defaults("127.0.0.1", 0).withTls(certPem, keyPem),
            new EchoService(ForkJoinPool.commonPool()), Authenticator.acceptingAnySignature());
        HttpClient client = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build()) {
      assertThat(server.tlsEnabled()).isTrue();
      URI uri = URI.create("https://localhost:" + server.address().getPort() + "/");
      HttpResponse<String> health = client.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).startsWith("healthy: dynamodb.");

      HttpResponse<String> listTables = client.send(HttpRequest.newBuilder(uri)
              .header("Content-Type", "application/x-amz-json-1.0")
              .header("X-Amz-Target", "DynamoDB_20120810.ListTables")
              .header("X-Amz-Date", "20261121T120000Z")
              .header("Authorization", RawHttpTest.ANY_AUTH)
              .POST(HttpRequest.BodyPublishers.ofString("{\"Limit\":2}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(listTables.statusCode()).isEqualTo(200);
      assertThat(listTables.body()).isEqualTo("{\"TableNames\":[\"table-0\",\"table-1\"]}");
      assertThat(listTables.headers().firstValue("x-amzn-RequestId")).isPresent();
    }
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
