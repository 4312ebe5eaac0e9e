package io.cairn.it.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One direction of a link between two storage nodes, as a TCP relay: connections accepted on
 * {@code listen} are joined to {@code target}, and bytes are copied both ways until either side
 * closes. {@link #cut} makes it behave like a blackhole route: nothing more crosses in either
 * direction on the connections already open (the relay stops reading, so the senders' buffers fill
 * and they stall, as TCP does when its segments are dropped), and a new connection is accepted but
 * never joined. {@link #restore} lets the held bytes through, in order, as TCP's retransmissions
 * would after a route comes back.
 */
final class Relay implements AutoCloseable {
  static final int BUFFER_BYTES = 64 * 1024;
  static final int CONNECT_TIMEOUT_MS = 2_000;

  private final String name;
  private final InetSocketAddress target;
  private final ServerSocket server;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition open = lock.newCondition();
  private boolean cut;
  private volatile boolean closed;

  private Relay(String name, ServerSocket server, InetSocketAddress target) {
    this.name = name;
    this.server = server;
    this.target = target;
  }

  /** Listens on {@code listen} and starts accepting. */
  static Relay start(String name, InetSocketAddress listen, InetSocketAddress target) throws IOException {
    ServerSocket server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(listen);
    Relay relay = new Relay(name, server, target);
    Thread.ofPlatform().daemon().name("relay-" + name).start(relay::accept);
    return relay;
  }

  /** Where it listens. */
  InetSocketAddress address() {
    return (InetSocketAddress) server.getLocalSocketAddress();
  }

  void cut() {
    lock.lock();
    try {
      cut = true;
    } finally {
      lock.unlock();
    }
  }

  void restore() {
    lock.lock();
    try {
      cut = false;
      open.signalAll();
    } finally {
      lock.unlock();
    }
  }

  boolean isCut() {
    lock.lock();
    try {
      return cut;
    } finally {
      lock.unlock();
    }
  }

  /** Connections open now (both sides of each counted once). */
  int connections() {
    return sockets.size() / 2;
  }

  private void accept() {
    while (!closed) {
      Socket from;
      try {
        from = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      Thread.ofVirtual().name("relay-" + name + "-join").start(() -> join(from));
    }
  }

  private void join(Socket from) {
    Socket to = new Socket();
    sockets.add(from);
    sockets.add(to);
    try {
      awaitOpen();
      from.setTcpNoDelay(true);
      to.setTcpNoDelay(true);
      to.connect(target, CONNECT_TIMEOUT_MS);
      Thread.ofVirtual().name("relay-" + name + "-forth").start(() -> pump(from, to));
      pump(to, from);
    } catch (IOException | InterruptedException e) {
      closeBoth(from, to);
    }
  }

  /** Copies {@code in} to {@code out} while the relay is not cut; closes both at the end. */
  private void pump(Socket in, Socket out) {
    byte[] buffer = new byte[BUFFER_BYTES];
    try {
      InputStream input = in.getInputStream();
      OutputStream output = out.getOutputStream();
      while (true) {
        int n = input.read(buffer);
        if (n < 0) {
          break;
        }
        awaitOpen();
        output.write(buffer, 0, n);
      }
    } catch (IOException | InterruptedException e) {
      // one side went away (or the relay closed): the other goes too
    }
    closeBoth(in, out);
  }

  private void awaitOpen() throws InterruptedException {
    lock.lock();
    try {
      while (cut && !closed) {
        open.await();
      }
    } finally {
      lock.unlock();
    }
  }

  private void closeBoth(Socket a, Socket b) {
    for (Socket s : new Socket[] {a, b}) {
      try {
        s.close();
      } catch (IOException e) {
        // already closed
      }
      sockets.remove(s);
    }
  }

  @Override
  public void close() {
    closed = true;
    restore(); // wakes held pumps, which then meet closed sockets
    try {
      server.close();
    } catch (IOException e) {
      // nothing to release
    }
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException e) {
        // already closed
      }
    }
    sockets.clear();
  }

  @Override
  public String toString() {
    return name + " " + server.getLocalSocketAddress() + " → " + target + (isCut() ? " CUT" : "") + ", "
        + connections() + " connection(s)";
  }
}
