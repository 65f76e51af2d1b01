package dev.pulse.agent.dashboard;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The page's open connections, oldest first, capped in all and per address. At a cap the oldest
 * connection (of that address, or of all) is closed to make room: a slow or idle client loses
 * its place to a newer one instead of keeping everyone else out, and a browser, which sends its
 * request as soon as it connects, is done long before it would be the oldest.
 */
final class PageConnections {
  private final int maxOpen;
  private final int maxPerAddress;
  private final Deque<Socket> all = new ArrayDeque<>();
  private final Map<InetAddress, Deque<Socket>> byAddress = new HashMap<>();

  PageConnections(int maxOpen, int maxPerAddress) {
    this.maxOpen = maxOpen;
    this.maxPerAddress = maxPerAddress;
  }

  synchronized void add(Socket socket) {
    Deque<Socket> mine = byAddress.computeIfAbsent(socket.getInetAddress(), a -> new ArrayDeque<>());
    if (mine.size() >= maxPerAddress) {
      evict(mine.peekFirst());
    }
    if (all.size() >= maxOpen) {
      evict(all.peekFirst());
    }
    mine.addLast(socket);
    all.addLast(socket);
  }

  synchronized void remove(Socket socket) {
    all.remove(socket);
    Deque<Socket> mine = byAddress.get(socket.getInetAddress());
    if (mine != null && mine.remove(socket) && mine.isEmpty()) {
      byAddress.remove(socket.getInetAddress());
    }
  }

  synchronized int size() {
    return all.size();
  }

  synchronized void closeAll() {
    while (!all.isEmpty()) {
      evict(all.peekFirst());
    }
  }

  /** Closing the socket ends the worker's blocked read or write at once. */
  private void evict(Socket socket) {
    remove(socket);
    try {
      socket.close();
    } catch (IOException e) {
      // it is gone either way
    }
  }
}
