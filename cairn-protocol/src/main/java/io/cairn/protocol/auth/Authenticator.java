package io.cairn.protocol.auth;

import io.cairn.core.error.DynamoDbException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Map;

/**
 * Decides who sent a request, or refuses it with DynamoDB's authentication errors.
 *
 * <p>Two modes: {@link #verifying} checks every AWS Signature Version 4 against known secrets and
 * the clock; {@link #acceptingAnySignature} (the DynamoDB Local behaviour, for laptops) accepts any
 * well-formed Authorization header without checking the signature or its time, but still refuses
 * a request with none.
 */
@FunctionalInterface
public interface Authenticator {

  /**
   * @return the verified principal
   * @throws DynamoDbException MissingAuthenticationTokenException, IncompleteSignatureException,
   *     UnrecognizedClientException or InvalidSignatureException
   */
  Principal authenticate(SignedRequest request);

  /** Verifies signatures with these secrets (access key id to secret access key). */
  static Authenticator verifying(Map<String, String> secretsByAccessKeyId, InstantSource clock) {
    return new SigV4Authenticator(Map.copyOf(secretsByAccessKeyId), clock);
  }

  /** Verifies signatures with the secrets of a credentials file (see {@link CredentialsFile}). */
  static Authenticator fromCredentialsFile(Path credentialsFile, InstantSource clock) throws IOException {
    return verifying(CredentialsFile.read(credentialsFile), clock);
  }

  /** Accepts any well-formed signature from any access key, at any time. */
  static Authenticator acceptingAnySignature() {
    return new SigV4Authenticator(null, null);
  }
}
