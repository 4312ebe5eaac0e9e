package io.cairn.server.cluster;

import io.cairn.metadata.MetadataClient;
import io.cairn.metadata.MetadataServer;
import io.cairn.metadata.MetadataServerOptions;
import io.cairn.metadata.MetadataUnavailableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.InstantSource;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A member of the metadata service's Ratis group. While it leads the group it also runs the
 * auto-admin driver, through an in-process client (so auto-admin stops the moment this member
 * stops leading: the in-process client only works on the leader).
 */
public final class MetadataProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MetadataProcess.class);

  private final MetadataServer server;
  private final MetadataClient local;
  private final ScheduledExecutorService admin;
  private AdminDriver driver;

  private MetadataProcess(MetadataServer server) {
    this.server = server;
    this.local = server.inProcessClient(ClusterPeers.METADATA_REQUEST_TIMEOUT_MS);
    this.admin = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "cairn-auto-admin");
      thread.setDaemon(true);
      return thread;
    });
  }

  public static MetadataProcess start(ClusterTopology topology, ProcessSpec self) {
    try {
      MetadataServer server = MetadataServer.start(self.name(), ClusterPeers.metadataPeers(topology),
          self.dataDir().resolve("ratis"), MetadataServerOptions.defaults());
      MetadataProcess process = new MetadataProcess(server);
      AdminDriver driver = new AdminDriver(process.local, InstantSource.system(), topology.settings().admin());
      process.driver = driver;
      process.admin.scheduleWithFixedDelay(() -> process.adminRound(driver), AdminDriver.ROUND_INTERVAL_MS,
          AdminDriver.ROUND_INTERVAL_MS, TimeUnit.MILLISECONDS);
      LOG.atInfo().setMessage("metadata member started").addKeyValue("member", self.name())
          .addKeyValue("deadNodeRepairAfterMs", topology.settings().deadNodeRepairAfterMs())
          .addKeyValue("az", self.az()).addKeyValue("address", self.address()).log();
      return process;
    } catch (IOException e) {
      throw new UncheckedIOException("metadata member " + self.name() + " failed to start", e);
    }
  }

  private void adminRound(AdminDriver driver) {
    if (!server.isLeader()) {
      return;
    }
    try {
      driver.round();
    } catch (MetadataUnavailableException e) {
      LOG.info("auto-admin round skipped: {}", e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("auto-admin round failed", e);
    }
  }

  @Override
  public void close() {
    admin.shutdownNow();
    if (driver != null) {
      driver.close();
    }
    local.close();
    try {
      server.close();
    } catch (IOException e) {
      LOG.warn("metadata member did not close cleanly", e);
    }
  }
}
