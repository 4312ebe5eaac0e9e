package io.cairn.endpoint.plan;

/**
 * What the planner knows about one router: from the metadata service in a cluster, from a file in
 * tests. {@code capacity} is relative (e.g. vCPUs); weights are proportional to it.
 */
public record RouterStatus(String id, String az, String address, int capacity, boolean healthy) {}
