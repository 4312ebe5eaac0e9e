package io.cairn.endpoint.server;

import io.cairn.core.Invariants;
import io.cairn.endpoint.dns.ZoneSnapshot;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.cairn.endpoint.dns.DnsProvider;
import org.xbill.DNS.Message;
import org.xbill.DNS.TSIG;

/**
 * The authoritative DNS server: UDP and TCP on one port (8053 by convention in a local cluster),
 * answering from the current zone snapshot through {@link Answerer}. One thread reads UDP; TCP
 * connections are served by a small bounded pool and dropped when it is full.
 */
public final class DnsServer implements AutoCloseable {
  public static final int PORT_DEFAULT = 8053;
  public static final int UDP_PAYLOAD_BYTES_MAX = 512;
  public static final int TCP_MESSAGE_BYTES_MAX = 65_535;
  public static final int TCP_CONNECTIONS_MAX = 8;
  public static final int TCP_QUEUE_MAX = 32;
  public static final int TCP_READ_TIMEOUT_MS = 5_000;

  private static final Logger LOG = LoggerFactory.getLogger(DnsServer.class);

  private final Supplier<ZoneSnapshot> zone;
  private final Answerer answerer;
  private final UpdateHandler updates;
  private final DatagramSocket udp;
  private final ServerSocket tcp;
  private final ThreadPoolExecutor tcpPool;
  private final Thread udpThread;
  private final Thread tcpThread;
  private volatile boolean running = true;

  /**
   * Binds UDP and TCP on {@code port} (0 picks a free port, the same for both). With an
   * {@code updateKey}, TSIG-signed RFC 2136 updates and zone transfers signed with it are accepted;
   * without one they are refused.
   */
  public DnsServer(InetAddress bind, int port, DnsProvider provider, TSIG updateKey,
      RandomGenerator random) throws IOException {
    this.zone = provider::snapshot;
    this.answerer = new Answerer(random);
    this.updates = new UpdateHandler(provider, updateKey);
    DatagramSocket u = null;
    ServerSocket t = null;
    for (int attempt = 0; attempt < 10 && t == null; attempt++) {
      u = new DatagramSocket(new InetSocketAddress(bind, port));
      try {
        t = new ServerSocket();
        t.setReuseAddress(true);
        t.bind(new InetSocketAddress(bind, u.getLocalPort()));
      } catch (IOException e) {
        u.close();
        t = null;
        if (port != 0) {
          throw e;
        }
      }
    }
    Invariants.check(t != null, "could not bind UDP and TCP on one port");
    this.udp = u;
    this.tcp = t;
    this.tcpPool = new ThreadPoolExecutor(TCP_CONNECTIONS_MAX, TCP_CONNECTIONS_MAX, 30, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(TCP_QUEUE_MAX), r -> {
          Thread th = new Thread(r, "cairn-dns-tcp");
          th.setDaemon(true);
          return th;
        }, new ThreadPoolExecutor.DiscardPolicy());
    // Core size equals max so connections get a thread before any queues; idle threads time out.
    tcpPool.allowCoreThreadTimeOut(true);
    this.udpThread = new Thread(this::serveUdp, "cairn-dns-udp");
    this.tcpThread = new Thread(this::serveTcp, "cairn-dns-tcp-accept");
    udpThread.setDaemon(true);
    tcpThread.setDaemon(true);
    udpThread.start();
    tcpThread.start();
    LOG.atInfo().addKeyValue("component", "dns-server").addKeyValue("port", port())
        .log("serving zone {} on {}:{} udp+tcp", zone.get().zone(), bind.getHostAddress(), port());
  }

  public int port() {
    return udp.getLocalPort();
  }

  /** The reply frames for one query: one message, or several for a zone transfer. */
  private List<byte[]> respond(byte[] query, int length, int sizeMax) {
    try {
      Message q = new Message(java.util.Arrays.copyOf(query, length));
      byte[] wire = java.util.Arrays.copyOf(query, length);
      Message r;
      if (updates.handles(q)) {
        if (sizeMax == UDP_PAYLOAD_BYTES_MAX && q.getQuestion() != null
            && q.getQuestion().getType() == org.xbill.DNS.Type.AXFR) {
          return null;
        }
        List<byte[]> frames = new java.util.ArrayList<>();
        for (Message m : updates.handle(q, wire)) {
          frames.add(m.toWire());
        }
        return frames;
      }
      // The injected random generator need not be thread-safe; answers are cheap.
      synchronized (answerer) {
        r = answerer.answer(q, zone.get());
      }
      return List.of(r.toWire(sizeMax));
    } catch (IOException e) {
      return null;
    }
  }

  private void serveUdp() {
    byte[] buf = new byte[UDP_PAYLOAD_BYTES_MAX * 8];
    while (running) {
      try {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        udp.receive(p);
        List<byte[]> out = respond(p.getData(), p.getLength(), UDP_PAYLOAD_BYTES_MAX);
        if (out != null && out.size() == 1) {
          udp.send(new DatagramPacket(out.getFirst(), out.getFirst().length, p.getSocketAddress()));
        }
      } catch (SocketException e) {
        if (running) {
          LOG.warn("udp socket error", e);
        }
      } catch (IOException e) {
        LOG.warn("udp error", e);
      }
    }
  }

  private void serveTcp() {
    while (running) {
      try {
        Socket s = tcp.accept();
        tcpPool.execute(() -> serveConnection(s));
      } catch (IOException e) {
        if (running) {
          LOG.warn("tcp accept error", e);
        }
      }
    }
  }

  private void serveConnection(Socket s) {
    try (s) {
      s.setSoTimeout(TCP_READ_TIMEOUT_MS);
      s.setTcpNoDelay(true);
      DataInputStream in = new DataInputStream(s.getInputStream());
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      while (running) {
        int len = in.readUnsignedShort();
        byte[] q = new byte[len];
        in.readFully(q);
        List<byte[]> replies = respond(q, len, TCP_MESSAGE_BYTES_MAX);
        if (replies == null) {
          return;
        }
        for (byte[] r : replies) {
          Invariants.check(r.length <= TCP_MESSAGE_BYTES_MAX, "reply of %d bytes", r.length);
          // Length and message in one write: two small writes meet Nagle and delayed ACKs (40 ms).
          byte[] framed = new byte[r.length + 2];
          framed[0] = (byte) (r.length >>> 8);
          framed[1] = (byte) r.length;
          System.arraycopy(r, 0, framed, 2, r.length);
          out.write(framed);
        }
        out.flush();
      }
    } catch (IOException e) {
      // The client closed the connection or went quiet; nothing to do.
    }
  }

  @Override
  public void close() {
    running = false;
    udp.close();
    try {
      tcp.close();
    } catch (IOException e) {
      LOG.warn("closing tcp", e);
    }
    tcpPool.shutdownNow();
  }
}
