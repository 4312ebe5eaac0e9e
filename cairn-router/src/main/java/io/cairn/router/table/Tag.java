package io.cairn.router.table;

/** A resource tag. */
public record Tag(String key, String value) {}
