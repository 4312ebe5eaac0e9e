/** Verification tools (pure): a linearizability checker for recorded concurrent histories. */
package io.cairn.verify;
