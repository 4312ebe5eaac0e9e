/** The metadata service: tables, partition maps and storage nodes as a replicated state machine on Ratis, and the routers' constant-work cache in front of it. */
package io.cairn.metadata;
