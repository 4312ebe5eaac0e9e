package io.cairn.server;

import io.cairn.partition.IndexPropagator;
import io.cairn.partition.PartitionHost;
import io.cairn.router.table.IndexBackfiller;
import java.util.concurrent.atomic.AtomicReference;
import io.cairn.partition.PartitionHostOptions;
import io.cairn.protocol.auth.Authenticator;
import io.cairn.protocol.FrontEndConfig;
import io.cairn.protocol.HttpFrontEnd;
import io.cairn.protocol.metrics.CairnMeters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.cairn.router.Operations;
import io.cairn.router.item.BatchOperations;
import io.cairn.router.item.ItemOperations;
import io.cairn.router.item.QueryScanOperations;
import io.cairn.router.table.TableCatalog;
import io.cairn.router.table.TableOperations;
import io.cairn.storage.Durability;
import io.cairn.storage.StorageEngine;
import io.cairn.storage.StorageOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running single-process Cairn: every role in one JVM — request router, the table catalog, and
 * one storage node whose partitions apply their command logs to RocksDB. Tests start one with
 * {@code CairnServer.start(CairnConfig.forTests())} and point an SDK client at {@link #endpoint()}.
 */
public final class CairnServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CairnServer.class);
  /** System property: the item-collection size limit in bytes (DynamoDB's 10 GB by default). */
  public static final String ITEM_COLLECTION_BYTES_MAX_PROPERTY = "cairn.itemCollectionBytesMax";
  /** System property: how fast a GSI backfill scans the table. */
  public static final String BACKFILL_ITEMS_PER_SECOND_PROPERTY = "cairn.backfillItemsPerSecond";
  static final int BACKFILL_ITEMS_PER_SECOND_DEFAULT = 5_000;
  static final int BACKFILL_CHUNK_ITEMS = 100;
  static final int PROPAGATION_BATCH_RECORDS_MAX = 512;

  private final CairnConfig config;
  private final StorageEngine engine;
  private final PartitionHost partitions;
  private final IndexPropagator propagator;
  private final IndexBackfiller backfiller;
  private final HttpFrontEnd frontEnd;
  private final URI endpoint;
  private boolean closed;

  private CairnServer(
      CairnConfig config, StorageEngine engine, PartitionHost partitions, IndexPropagator propagator,
      IndexBackfiller backfiller, HttpFrontEnd frontEnd) {
    this.config = config;
    this.engine = engine;
    this.partitions = partitions;
    this.propagator = propagator;
    this.backfiller = backfiller;
    this.frontEnd = frontEnd;
    InetSocketAddress bound = frontEnd.address();
    String scheme = config.tlsCert() == null ? "http" : "https";
    this.endpoint = URI.create(scheme + "://" + hostForUri(config.host()) + ":" + bound.getPort());
  }

  /** Starts a server and returns once it accepts requests. */
  public static CairnServer start(CairnConfig config) {
    InstantSource clock = InstantSource.system();
    StorageEngine engine = config.inMemory()
        ? StorageEngine.openInMemory(StorageOptions.defaults())
        : StorageEngine.open(config.dataDir(), StorageOptions.defaults());
    PartitionHost partitions = null;
    IndexPropagator propagator = null;
    IndexBackfiller backfiller = null;
    try {
      TableCatalog catalog = new TableCatalog(new EngineCatalogStore(engine),
          Long.getLong(ITEM_COLLECTION_BYTES_MAX_PROPERTY, TableCatalog.ITEM_COLLECTION_BYTES_MAX_DEFAULT));
      // Secondary-index changes travel through each partition's outbox to the propagator; it
      // resumes from the persisted outbox after a restart.
      propagator = new IndexPropagator(engine, catalog, Durability.PROCESS_CRASH_SAFE, PROPAGATION_BATCH_RECORDS_MAX);
      // Writes are acknowledged once in the WAL (they survive a crash of the process); see
      // docs/durability.md for why fsync per write is not the default.
      partitions = new PartitionHost(engine, PartitionHostOptions.defaults(Durability.PROCESS_CRASH_SAFE), catalog,
          propagator);
      String endpointAddress = hostForUri(config.host()) + ":" + config.port();
      AtomicReference<TableOperations> tables = new AtomicReference<>();
      backfiller = new IndexBackfiller(catalog, partitions, (table, index) -> tables.get().finishBackfill(table, index),
          Integer.getInteger(BACKFILL_ITEMS_PER_SECOND_PROPERTY, BACKFILL_ITEMS_PER_SECOND_DEFAULT),
          BACKFILL_CHUNK_ITEMS);
      IndexBackfiller backfills = backfiller;
      tables.set(new TableOperations(catalog, new PartitionTableData(partitions, propagator, () -> backfills), clock,
          endpointAddress));
      backfiller.resumeAll();
      Operations operations = new Operations(
          tables.get(),
          new ItemOperations(catalog, partitions),
          new QueryScanOperations(catalog, partitions),
          new BatchOperations(catalog, partitions));
      Authenticator authenticator = config.credentialsFile() == null
          ? Authenticator.acceptingAnySignature()
          : Authenticator.fromCredentialsFile(config.credentialsFile(), clock);
      FrontEndConfig frontEndConfig = FrontEndConfig.defaults(config.host(), config.port())
          .withTls(config.tlsCert(), config.tlsKey());
      // Metrics: the front end's request meters plus the GSI lag (docs/metrics.md).
      PrometheusMeterRegistry registry = CairnMeters.newRegistry(CairnMeters.PROCESS_DEFAULT, CairnMeters.ROLE_ALL);
      IndexPropagator indexes = propagator;
      Gauge.builder(CairnMeters.INDEX_PENDING_CHANGES, indexes, IndexPropagator::pendingRecords)
          .description("Outbox records not yet applied to any GSI").strongReference(true).register(registry);
      FunctionCounter.builder(CairnMeters.INDEX_APPLIED_CHANGES, indexes, IndexPropagator::appliedRecords)
          .description("Outbox records applied to GSIs since start").register(registry);
      HttpFrontEnd frontEnd = HttpFrontEnd.start(frontEndConfig, operations, authenticator, registry);
      CairnServer server = new CairnServer(config, engine, partitions, propagator, backfiller, frontEnd);
      log.atInfo().setMessage("cairn started").addKeyValue("version", version())
          .addKeyValue("endpoint", server.endpoint).addKeyValue("dataDir", server.dataDescription())
          .addKeyValue("auth", server.authDescription()).addKeyValue("tables", catalog.all().size()).log();
      return server;
    } catch (IOException e) {
      closeQuietly(backfiller, partitions, propagator, engine);
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      closeQuietly(backfiller, partitions, propagator, engine);
      throw e;
    }
  }

  private static void closeQuietly(
      IndexBackfiller backfiller, PartitionHost partitions, IndexPropagator propagator, StorageEngine engine) {
    if (backfiller != null) {
      backfiller.close();
    }
    if (partitions != null) {
      partitions.close();
    }
    if (propagator != null) {
      propagator.close();
    }
    engine.close();
  }

  /** Outbox records not yet applied to any GSI (the index lag, for tests and operators). */
  public long pendingIndexChanges() {
    return propagator.pendingRecords();
  }

  /** The base URI clients use, e.g. http://127.0.0.1:8000. */
  public URI endpoint() {
    return endpoint;
  }

  /** What {@code cairn start} prints once it serves: version, address, data directory, auth mode. */
  public String startupBanner() {
    return "Cairn " + version() + "\n"
        + "  endpoint:   " + endpoint + "\n"
        + "  data:       " + dataDescription() + "\n"
        + "  auth:       " + authDescription() + "\n"
        + "Point any AWS SDK at it, e.g.: aws dynamodb list-tables --endpoint-url " + endpoint;
  }

  private String dataDescription() {
    return config.inMemory() ? "in memory (nothing survives exit)" : config.dataDir().toAbsolutePath().toString();
  }

  private String authDescription() {
    return config.credentialsFile() == null
        ? "any well-formed signature accepted (no --credentials); serving loopback only"
        : "SigV4 verified against " + config.credentialsFile().toAbsolutePath();
  }

  public static String version() {
    String version = CairnServer.class.getPackage().getImplementationVersion();
    return version == null ? "0.1.0-SNAPSHOT" : version;
  }

  /** Stops accepting requests, finishes those in flight, flushes and closes storage. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    frontEnd.close();
    backfiller.close();
    partitions.close();
    propagator.close();
    engine.close();
    log.atInfo().setMessage("cairn stopped").addKeyValue("endpoint", endpoint).log();
  }

  private static String hostForUri(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }
}
