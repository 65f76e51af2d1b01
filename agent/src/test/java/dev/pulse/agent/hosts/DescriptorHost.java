package dev.pulse.agent.hosts;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A host that runs out of file descriptors on command, as a leaking application would, driven on
 * stdin: "exhaust" opens files until the process limit refuses one ("exhausted N"); "hoard" does
 * the same ("hoarding N") and then keeps a thread taking every descriptor the process frees, as an
 * application retrying its opens in a loop would; "release" stops that and closes them all
 * ("released"), "quit". It says "host alive N" every 200 ms meanwhile.
 */
public final class DescriptorHost {
  private DescriptorHost() {
  }

  private static void exhaust(Path file, List<FileChannel> held) {
    try {
      while (true) {
        held.add(FileChannel.open(file, StandardOpenOption.READ));
      }
    } catch (IOException limit) {
      // the process's limit: every descriptor is held
    }
  }

  public static void main(String[] args) throws Exception {
    Path file = Files.createTempFile("pulse-descriptors", ".tmp");
    file.toFile().deleteOnExit();
    Thread beats = new Thread(() -> {
      int beat = 0;
      while (true) {
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          return;
        }
        System.out.println("host alive " + ++beat);
      }
    });
    beats.setDaemon(true);
    beats.start();
    System.out.println("host started");
    List<FileChannel> held = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean hoarding = new AtomicBoolean();
    Thread hoarder = null;
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      switch (line.trim()) {
        case "exhaust":
          exhaust(file, held);
          System.out.println("exhausted " + held.size());
          break;
        case "hoard":
          exhaust(file, held);
          hoarding.set(true);
          hoarder = new Thread(() -> {
            while (hoarding.get()) {
              try {
                held.add(FileChannel.open(file, StandardOpenOption.READ));
              } catch (IOException full) {
                Thread.onSpinWait(); // spins: a freed descriptor is taken at once
              }
            }
          }, "hoarder");
          hoarder.setDaemon(true);
          hoarder.start();
          System.out.println("hoarding " + held.size());
          break;
        case "release":
          hoarding.set(false);
          if (hoarder != null) {
            hoarder.join();
          }
          for (FileChannel channel : held) {
            channel.close();
          }
          held.clear();
          System.out.println("released");
          break;
        case "quit":
          return;
        default:
          System.out.println("unknown command " + line);
      }
    }
  }
}
