package io.cairn.endpoint;

import io.cairn.endpoint.dns.ChangeBatch;

/** What an enactor wants done after one look at the zone: nothing, or one batch. */
public sealed interface Step {
  record Idle(String reason) implements Step {}

  record Apply(ChangeBatch batch) implements Step {}
}
