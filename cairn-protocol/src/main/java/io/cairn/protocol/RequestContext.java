package io.cairn.protocol;

/**
 * Facts about one request that the operations need.
 *
 * @param requestId the id returned in {@code x-amzn-RequestId}
 * @param accessKeyId the access key id from the request's signature
 * @param region the region from the signature's credential scope (used in ARNs)
 * @param receivedNanos when the request arrived, from the server's monotonic clock
 */
public record RequestContext(String requestId, String accessKeyId, String region, long receivedNanos) {}
