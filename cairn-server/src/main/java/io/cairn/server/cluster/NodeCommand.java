package io.cairn.server.cluster;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cairn node --topology DIR/cluster.json --name NAME}: runs one process of a cluster, in
 * the role the topology gives that name. {@code cairn cluster start} launches these; an operator
 * can start one by hand the same way (e.g. to bring a killed node back).
 */
@Command(name = "node", mixinStandardHelpOptions = true,
    description = "Run one process of a Cairn cluster (a storage node, metadata member, router or endpoint manager).")
public final class NodeCommand implements Callable<Integer> {
  @Option(names = "--topology", required = true, paramLabel = "FILE", description = "The cluster's cluster.json.")
  Path topologyFile;

  @Option(names = "--name", required = true, description = "This process's name in the topology, e.g. storage-az1-1.")
  String name;

  @Override
  public Integer call() throws Exception {
    ClusterTopology topology = ClusterTopology.read(topologyFile);
    ProcessSpec self = topology.byName(name);
    java.nio.file.Files.createDirectories(self.dataDir());
    // Ratis exits the JVM on some internal failures; a node process dying is what an operator expects then.
    AutoCloseable running = switch (self.role()) {
      case METADATA -> MetadataProcess.start(topology, self);
      case STORAGE -> StorageProcess.start(topology, self);
      case ROUTER -> RouterProcess.start(topology, self);
      case ENDPOINT -> null;
    };
    if (running == null) {
      EndpointProcess.run(topology, self); // blocks until the process is stopped
      return 0;
    }
    System.out.println("cairn " + self.role().name().toLowerCase(java.util.Locale.ROOT) + " " + name + " running on "
        + self.address());
    System.out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        running.close();
      } catch (Exception e) {
        e.printStackTrace();
      }
      stopped.countDown();
    }, "cairn-shutdown"));
    stopped.await();
    return 0;
  }
}
