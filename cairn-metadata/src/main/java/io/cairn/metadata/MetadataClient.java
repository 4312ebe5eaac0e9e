package io.cairn.metadata;

import io.cairn.core.id.PartitionId;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How routers and the control plane talk to the metadata service. Two primitives — a write (through
 * the Ratis log) and a read (linearizable: answered by the leader after confirming its leadership,
 * by ReadIndex or within its lease) — and typed, blocking helpers over them that wait at most
 * {@link #requestTimeoutMs()}.
 *
 * <p>The futures complete exceptionally with {@link MetadataUnavailableException} when no answer
 * came within the deadline; NotLeader replies and leader changes are retried inside the deadline.
 */
public interface MetadataClient extends AutoCloseable {

  CompletableFuture<MetadataReply> write(MetadataCommand command);

  CompletableFuture<MetadataReply> read(MetadataQuery query);

  /** The deadline of one call, retries included. */
  long requestTimeoutMs();

  @Override
  void close();

  // ---- typed helpers -------------------------------------------------------------------------

  default MetadataReply await(CompletableFuture<MetadataReply> reply) {
    try {
      return reply.get(requestTimeoutMs(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      reply.cancel(false);
      throw new MetadataUnavailableException("metadata service did not answer within " + requestTimeoutMs() + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MetadataUnavailableException("interrupted waiting for the metadata service", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof MetadataUnavailableException u) {
        throw u;
      }
      throw new MetadataUnavailableException("metadata service call failed: " + e.getCause(), e.getCause());
    }
  }

  default MetadataReply createTable(String name, byte[] definition) {
    return await(write(new MetadataCommand.CreateTable(name, definition)));
  }

  default MetadataReply compareAndSetTable(String name, long expectedVersion, byte[] definition) {
    return await(write(new MetadataCommand.CompareAndSetTable(name, expectedVersion, definition)));
  }

  default MetadataReply deleteTable(String name, long expectedVersion) {
    return await(write(new MetadataCommand.DeleteTable(name, expectedVersion)));
  }

  /** The first of {@code count} fresh ids of {@code kind}. */
  default long allocateIds(IdKind kind, int count) {
    MetadataReply reply = await(write(new MetadataCommand.AllocateIds(kind, count)));
    if (reply instanceof MetadataReply.IdsAllocated ids) {
      return ids.first();
    }
    throw new IllegalStateException("id allocation refused: " + reply);
  }

  default MetadataReply registerNode(String nodeId, String az, String address, long atMs) {
    return await(write(new MetadataCommand.RegisterNode(nodeId, az, address, atMs)));
  }

  default MetadataReply heartbeat(String nodeId, long atMs) {
    return await(write(new MetadataCommand.Heartbeat(nodeId, atMs)));
  }

  default MetadataReply setPartitionReplicas(PartitionId partitionId, List<String> replicaNodeIds, String leaderHint, long expectedVersion) {
    return await(write(new MetadataCommand.SetPartitionReplicas(partitionId, replicaNodeIds, leaderHint, expectedVersion)));
  }

  default MetadataReply beginReplacement(PartitionId partitionId, String fillingNodeId, String replacedNodeId,
      long expectedVersion) {
    return await(write(new MetadataCommand.BeginReplacement(partitionId, fillingNodeId, replacedNodeId, expectedVersion)));
  }

  default MetadataReply finishReplacement(PartitionId partitionId, long expectedVersion) {
    return await(write(new MetadataCommand.FinishReplacement(partitionId, expectedVersion)));
  }

  default MetadataReply abandonReplacement(PartitionId partitionId, long expectedVersion) {
    return await(write(new MetadataCommand.AbandonReplacement(partitionId, expectedVersion)));
  }

  /** {@link MetadataReply.TableFound} or {@link MetadataReply.TableAbsent}. */
  default MetadataReply getTable(String name) {
    return await(read(new MetadataQuery.GetTable(name)));
  }

  default MetadataReply.Tables listTables() {
    return (MetadataReply.Tables) await(read(new MetadataQuery.ListTables()));
  }

  /** {@link MetadataReply.PartitionFound} or {@link MetadataReply.PartitionAbsent}. */
  default MetadataReply getPartition(PartitionId partitionId) {
    return await(read(new MetadataQuery.GetPartition(partitionId)));
  }

  default MetadataReply.Partitions listPartitions() {
    return (MetadataReply.Partitions) await(read(new MetadataQuery.ListPartitions()));
  }

  default MetadataReply heartbeat(String nodeId, long atMs, List<PartitionId> leading) {
    return await(write(new MetadataCommand.Heartbeat(nodeId, atMs, leading)));
  }

  default MetadataReply setNodeHealth(String nodeId, NodeHealth health) {
    return await(write(new MetadataCommand.SetNodeHealth(nodeId, health)));
  }

  default MetadataReply.Nodes listNodes() {
    return (MetadataReply.Nodes) await(read(new MetadataQuery.ListNodes()));
  }
}
