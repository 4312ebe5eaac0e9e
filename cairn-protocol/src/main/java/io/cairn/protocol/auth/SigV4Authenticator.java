package io.cairn.protocol.auth;

import io.cairn.core.error.DynamoDbException;
import io.cairn.core.error.ErrorType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4, header form ({@code Authorization: AWS4-HMAC-SHA256 Credential=...,
 * SignedHeaders=..., Signature=...}), verified as AWS services verify it.
 *
 * <p>Checks, in order: the header is present and complete; the credential has five elements,
 * ends in aws4_request and is scoped to dynamodb on the request's date; the access key is known;
 * the request time is within {@link #CLOCK_SKEW_MAX} of the server's clock; the signature matches
 * (compared in constant time). In accept-any mode ({@code secrets == null}) only the first group
 * of checks runs.
 */
final class SigV4Authenticator implements Authenticator {
  static final String ALGORITHM = "AWS4-HMAC-SHA256";
  static final String SERVICE = "dynamodb";
  static final String TERMINATOR = "aws4_request";
  static final Duration CLOCK_SKEW_MAX = Duration.ofMinutes(15);
  static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
  /** A longer Authorization header is refused unread: it bounds the work of a hostile header. */
  static final int AUTHORIZATION_CHARS_MAX = 8192;

  static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private static final HexFormat HEX = HexFormat.of();

  /** Null in accept-any mode. */
  private final Map<String, String> secretsByAccessKeyId;
  private final InstantSource clock;

  SigV4Authenticator(Map<String, String> secretsByAccessKeyId, InstantSource clock) {
    this.secretsByAccessKeyId = secretsByAccessKeyId;
    this.clock = clock;
    if (secretsByAccessKeyId != null && clock == null) {
      throw new IllegalArgumentException("verifying signatures needs a clock");
    }
  }

  @Override
  public Principal authenticate(SignedRequest request) {
    List<String> authorizations = request.headerValues("authorization");
    if (authorizations.isEmpty() || authorizations.getFirst().isBlank()) {
      throw new DynamoDbException(ErrorType.MISSING_AUTHENTICATION_TOKEN, "Request is missing Authentication Token");
    }
    String authorization = authorizations.getFirst();
    if (authorization.length() > AUTHORIZATION_CHARS_MAX) {
      throw incomplete("Authorization header is too long");
    }
    ParsedAuthorization parsed = parse(authorization, request);
    Credential credential = parseCredential(parsed.credential);
    String requestDate = parsed.amzDate.substring(0, 8);
    if (!TERMINATOR.equals(credential.terminator)) {
      throw invalid("Credential should be scoped with a valid terminator: '" + TERMINATOR + "', not '"
          + credential.terminator + "'.");
    }
    if (!SERVICE.equals(credential.service)) {
      throw invalid("Credential should be scoped to correct service: '" + SERVICE + "'. ");
    }
    if (!credential.date.equals(requestDate)) {
      throw invalid("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '"
          + credential.date + "' != '" + requestDate + "', from '" + parsed.amzDate + "'.");
    }
    Principal principal = new Principal(credential.accessKeyId, credential.region);
    if (secretsByAccessKeyId == null) {
      return principal;
    }
    String secret = secretsByAccessKeyId.get(credential.accessKeyId);
    if (secret == null) {
      throw new DynamoDbException(ErrorType.UNRECOGNIZED_CLIENT, "The security token included in the request is invalid.");
    }
    checkTime(parsed.requestTime);
    String expected = signature(secret, credential, parsed, request);
    boolean matches = MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.US_ASCII), parsed.signature.getBytes(StandardCharsets.US_ASCII));
    if (!matches) {
      throw invalid("The request signature we calculated does not match the signature you provided. "
          + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
    }
    return principal;
  }

  private void checkTime(Instant requestTime) {
    Instant now = clock.instant();
    if (requestTime.isBefore(now.minus(CLOCK_SKEW_MAX))) {
      throw invalid("Signature expired: " + AMZ_DATE.format(requestTime) + " is now earlier than "
          + AMZ_DATE.format(now.minus(CLOCK_SKEW_MAX)) + " (" + AMZ_DATE.format(now) + " - "
          + CLOCK_SKEW_MAX.toMinutes() + " min.)");
    }
    if (requestTime.isAfter(now.plus(CLOCK_SKEW_MAX))) {
      throw invalid("Signature not yet current: " + AMZ_DATE.format(requestTime) + " is still later than "
          + AMZ_DATE.format(now.plus(CLOCK_SKEW_MAX)) + " (" + AMZ_DATE.format(now) + " + "
          + CLOCK_SKEW_MAX.toMinutes() + " min.)");
    }
  }

  // ---- parsing ----

  private record ParsedAuthorization(
      String algorithm, String credential, String signedHeaders, String signature, String amzDate, Instant requestTime) {}

  private record Credential(String accessKeyId, String date, String region, String service, String terminator) {}

  private static ParsedAuthorization parse(String authorization, SignedRequest request) {
    String trimmed = authorization.strip();
    int space = trimmed.indexOf(' ');
    String algorithm = space < 0 ? trimmed : trimmed.substring(0, space);
    String parameters = space < 0 ? "" : trimmed.substring(space + 1);
    String credential = null;
    String signedHeaders = null;
    String signature = null;
    for (String part : parameters.split(",")) {
      String pair = part.strip();
      int equals = pair.indexOf('=');
      if (equals <= 0) {
        continue;
      }
      String name = pair.substring(0, equals).strip();
      String value = pair.substring(equals + 1).strip();
      switch (name) {
        case "Credential" -> credential = value;
        case "SignedHeaders" -> signedHeaders = value;
        case "Signature" -> signature = value;
        default -> { /* AWS ignores unknown parameters. */ }
      }
    }
    String amzDate = null;
    Instant requestTime = null;
    List<String> amzDates = request.headerValues("x-amz-date");
    if (!amzDates.isEmpty()) {
      try {
        requestTime = Instant.from(AMZ_DATE.parse(amzDates.getFirst().strip()));
        amzDate = amzDates.getFirst().strip();
      } catch (DateTimeParseException e) {
        requestTime = null;
      }
    }
    if (requestTime == null) {
      List<String> dates = request.headerValues("date");
      if (!dates.isEmpty()) {
        try {
          requestTime = ZonedDateTime.parse(dates.getFirst().strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
          amzDate = AMZ_DATE.format(requestTime);
        } catch (DateTimeParseException e) {
          requestTime = null;
        }
      }
    }
    StringBuilder missing = new StringBuilder();
    if (credential == null) {
      missing.append("Authorization header requires 'Credential' parameter. ");
    }
    if (signature == null) {
      missing.append("Authorization header requires 'Signature' parameter. ");
    }
    if (signedHeaders == null) {
      missing.append("Authorization header requires 'SignedHeaders' parameter. ");
    }
    if (requestTime == null) {
      missing.append("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ");
    }
    if (!missing.isEmpty()) {
      throw incomplete(missing + "Authorization=" + authorization);
    }
    if (!ALGORITHM.equals(algorithm)) {
      throw incomplete("Unsupported AWS 'algorithm': '" + algorithm + "'");
    }
    return new ParsedAuthorization(algorithm, credential, signedHeaders, signature, amzDate, requestTime);
  }

  private static Credential parseCredential(String credential) {
    String[] parts = credential.split("/", -1);
    if (parts.length != 5) {
      throw incomplete("Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '"
          + credential + "'");
    }
    return new Credential(parts[0], parts[1], parts[2], parts[3], parts[4]);
  }

  // ---- signing ----

  private static String signature(String secret, Credential credential, ParsedAuthorization parsed, SignedRequest request) {
    String canonicalRequest = canonicalRequest(request, parsed.signedHeaders);
    String scope = credential.date + "/" + credential.region + "/" + credential.service + "/" + credential.terminator;
    String stringToSign = ALGORITHM + "\n" + parsed.amzDate + "\n" + scope + "\n"
        + HEX.formatHex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
    byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), credential.date);
    key = hmac(key, credential.region);
    key = hmac(key, credential.service);
    key = hmac(key, credential.terminator);
    return HEX.formatHex(hmac(key, stringToSign));
  }

  static String canonicalRequest(SignedRequest request, String signedHeaders) {
    StringBuilder canonical = new StringBuilder(512);
    canonical.append(request.method()).append('\n');
    canonical.append(canonicalUri(request.rawPath())).append('\n');
    canonical.append(canonicalQuery(request.rawQuery())).append('\n');
    for (String name : signedHeaders.split(";")) {
      String lower = name.strip().toLowerCase(java.util.Locale.ROOT);
      canonical.append(lower).append(':');
      List<String> values = request.headerValues(lower);
      for (int i = 0; i < values.size(); i++) {
        if (i > 0) {
          canonical.append(',');
        }
        canonical.append(collapseSpaces(values.get(i)));
      }
      canonical.append('\n');
    }
    canonical.append('\n').append(signedHeaders).append('\n');
    canonical.append(payloadHash(request));
    return canonical.toString();
  }

  private static String payloadHash(SignedRequest request) {
    List<String> declared = request.headerValues("x-amz-content-sha256");
    if (!declared.isEmpty() && UNSIGNED_PAYLOAD.equals(declared.getFirst().strip())) {
      return UNSIGNED_PAYLOAD;
    }
    // The hash is always computed from the body received, so a body changed in flight (or a
    // declared hash that does not match it) fails as a signature mismatch.
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      ByteBuffer body = request.body();
      digest.update(body);
      return HEX.formatHex(digest.digest());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /** Non-S3 services encode the already-encoded path once more ("double encoding"). */
  static String canonicalUri(String rawPath) {
    if (rawPath.isEmpty()) {
      return "/";
    }
    return uriEncode(rawPath, false);
  }

  static String canonicalQuery(String rawQuery) {
    if (rawQuery.isEmpty()) {
      return "";
    }
    List<String[]> pairs = new ArrayList<>();
    for (String part : rawQuery.split("&")) {
      if (part.isEmpty()) {
        continue;
      }
      int equals = part.indexOf('=');
      String name = equals < 0 ? part : part.substring(0, equals);
      String value = equals < 0 ? "" : part.substring(equals + 1);
      pairs.add(new String[] {uriEncode(percentDecode(name), true), uriEncode(percentDecode(value), true)});
    }
    pairs.sort((a, b) -> {
      int byName = a[0].compareTo(b[0]);
      return byName != 0 ? byName : a[1].compareTo(b[1]);
    });
    StringBuilder canonical = new StringBuilder();
    for (String[] pair : pairs) {
      if (!canonical.isEmpty()) {
        canonical.append('&');
      }
      canonical.append(pair[0]).append('=').append(pair[1]);
    }
    return canonical.toString();
  }

  static String uriEncode(String text, boolean encodeSlash) {
    StringBuilder encoded = new StringBuilder(text.length() + 16);
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      boolean unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '.' || c == '~' || (c == '/' && !encodeSlash);
      if (unreserved) {
        encoded.append(c);
      } else {
        encoded.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
            .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
      }
    }
    return encoded.toString();
  }

  private static String percentDecode(String text) {
    if (text.indexOf('%') < 0 && text.indexOf('+') < 0) {
      return text;
    }
    try {
      return java.net.URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return text;
    }
  }

  private static String collapseSpaces(String value) {
    String trimmed = value.strip();
    StringBuilder collapsed = new StringBuilder(trimmed.length());
    boolean previousSpace = false;
    for (int i = 0; i < trimmed.length(); i++) {
      char c = trimmed.charAt(i);
      boolean space = c == ' ' || c == '\t';
      if (space && previousSpace) {
        continue;
      }
      collapsed.append(space ? ' ' : c);
      previousSpace = space;
    }
    return collapsed.toString();
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
    }
  }

  private static DynamoDbException incomplete(String message) {
    return new DynamoDbException(ErrorType.INCOMPLETE_SIGNATURE, message);
  }

  private static DynamoDbException invalid(String message) {
    return new DynamoDbException(ErrorType.INVALID_SIGNATURE, message);
  }
}
