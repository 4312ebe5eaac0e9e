package io.cairn.metadata;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.TimeDuration;

/** The metadata service's one Ratis group and the properties both servers and clients use. */
public final class MetadataGroup {
  private MetadataGroup() {}

  /** Fixed, so every member and client of a cluster names the same group without coordination. */
  public static final RaftGroupId GROUP_ID =
      RaftGroupId.valueOf(UUID.nameUUIDFromBytes("cairn-metadata".getBytes(StandardCharsets.UTF_8)));

  public static RaftGroup group(List<MetadataPeer> peers) {
    if (peers.isEmpty()) {
      throw new IllegalArgumentException("the metadata group needs at least one member");
    }
    return RaftGroup.valueOf(GROUP_ID, peers.stream().map(MetadataGroup::raftPeer).toList());
  }

  static RaftPeer raftPeer(MetadataPeer p) {
    return RaftPeer.newBuilder().setId(RaftPeerId.valueOf(p.id())).setAddress(p.address()).build();
  }

  /** Server properties: linearizable reads (ReadIndex, served by lease while the lease holds). */
  static RaftProperties serverProperties(MetadataServerOptions options, String host, int port) {
    RaftProperties props = new RaftProperties();
    // Bind the member's own address, not every interface: members and other services on one
    // machine (the local cluster) get distinct loopback addresses.
    GrpcConfigKeys.Server.setHost(props, host);
    GrpcConfigKeys.Server.setPort(props, port);
    RaftServerConfigKeys.Rpc.setTimeoutMin(props, TimeDuration.valueOf(options.electionTimeoutMinMs(), java.util.concurrent.TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setTimeoutMax(props, TimeDuration.valueOf(options.electionTimeoutMaxMs(), java.util.concurrent.TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Read.setOption(props, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
    RaftServerConfigKeys.Read.setLeaderLeaseEnabled(props, options.leaderLeaseEnabled());
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(props, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(props, options.snapshotEveryEntries());
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(props, 2);
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(props, true);
    RaftServerConfigKeys.Log.setPurgeGap(props, Math.max(1, (int) Math.min(Integer.MAX_VALUE, options.snapshotEveryEntries() / 2)));
    RaftServerConfigKeys.Log.setSegmentSizeMax(props, org.apache.ratis.util.SizeInBytes.valueOf("1MB"));
    return props;
  }
}
