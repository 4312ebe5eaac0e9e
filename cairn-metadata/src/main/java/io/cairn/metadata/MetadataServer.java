package io.cairn.metadata;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member of the metadata group: a Ratis server with one division running the
 * {@link MetadataStateMachine}. A cluster runs three (one per AZ); single-process mode runs one,
 * through the same code. The data directory survives restarts: the member recovers from its latest
 * snapshot plus its log, then catches up from the leader.
 */
public final class MetadataServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MetadataServer.class);

  private final MetadataPeer self;
  private final RaftServer server;
  private final MetadataStateMachine stateMachine;

  private MetadataServer(MetadataPeer self, RaftServer server, MetadataStateMachine stateMachine) {
    this.self = self;
    this.server = server;
    this.stateMachine = stateMachine;
  }

  /** Starts member {@code selfId} of the group {@code peers}, keeping its log and snapshots in {@code dataDir}. */
  public static MetadataServer start(String selfId, List<MetadataPeer> peers, Path dataDir, MetadataServerOptions options)
      throws IOException {
    MetadataPeer self = peers.stream().filter(p -> p.id().equals(selfId)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException(selfId + " is not one of " + peers));
    int colon = self.address().lastIndexOf(':');
    String host = self.address().substring(0, colon);
    int port = Integer.parseInt(self.address().substring(colon + 1));
    // Note: Ratis calls System.exit if its gRPC server cannot bind, unless the process called
    // org.apache.ratis.util.ExitUtils.disableSystemExit() (the tests do).
    RaftProperties props = MetadataGroup.serverProperties(options, host, port);
    Files.createDirectories(dataDir);
    RaftServerConfigKeys.setStorageDir(props, List.of(dataDir.toFile()));
    // RECOVER uses what is on disk and formats only if nothing is there.
    MetadataStateMachine stateMachine = new MetadataStateMachine();
    RaftServer server = RaftServer.newBuilder()
        .setServerId(RaftPeerId.valueOf(selfId))
        .setGroup(MetadataGroup.group(peers))
        .setStateMachine(stateMachine)
        .setProperties(props)
        .setOption(RaftStorage.StartupOption.RECOVER)
        .build();
    server.start();
    log.info("metadata member started: member={} address={} group={} members={}", selfId, self.address(), MetadataGroup.GROUP_ID, peers.size());
    return new MetadataServer(self, server, stateMachine);
  }

  /**
   * A client that submits to this member in-process (no gRPC). Meant for single-process mode, where
   * this member is the whole group; in a cluster it only works while this member leads.
   */
  public MetadataClient inProcessClient(long requestTimeoutMs) {
    return new InProcessMetadataClient(server, RaftPeerId.valueOf(self.id()), requestTimeoutMs);
  }

  public MetadataPeer self() {
    return self;
  }

  public MetadataStateMachine stateMachine() {
    return stateMachine;
  }

  /** Whether this member currently leads the group (and so answers linearizable reads). */
  public boolean isLeader() {
    try {
      return server.getDivision(MetadataGroup.GROUP_ID).getInfo().isLeader();
    } catch (IOException e) {
      return false;
    }
  }

  /** Index of the last entry applied by this member's state machine. */
  public long appliedIndex() {
    var last = stateMachine.getLastAppliedTermIndex();
    return last == null ? -1 : last.getIndex();
  }

  @Override
  public void close() throws IOException {
    server.close();
    log.info("metadata member stopped: member={}", self.id());
  }
}
