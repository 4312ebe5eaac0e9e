package io.cairn.protocol.auth;

import java.util.Objects;

/**
 * Who sent a request, as its verified signature says.
 *
 * @param accessKeyId the access key id from the signature's credential
 * @param region the region of the signature's credential scope
 */
public record Principal(String accessKeyId, String region) {
  public Principal {
    Objects.requireNonNull(accessKeyId, "accessKeyId");
    Objects.requireNonNull(region, "region");
  }
}
