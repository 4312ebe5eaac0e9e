package io.cairn.endpoint.dns;

/**
 * The record types the endpoint zone uses. {@code ALIAS} is Route 53's alias: a pointer to another
 * name in the same zone that the authoritative server follows itself, so the client sees the A
 * records of the target under the name it asked for.
 */
public enum RecordType {
  A,
  TXT,
  ALIAS
}
