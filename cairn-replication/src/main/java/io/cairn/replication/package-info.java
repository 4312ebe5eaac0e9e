/** Partitions as replication groups on Apache Ratis: a storage node hosting one Ratis division per partition replica, whose state machine applies the partition's command log. */
package io.cairn.replication;
