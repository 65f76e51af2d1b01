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
import java.util.List;

/**
 * A host that runs out of file descriptors on command, as a leaking application would, driven on
 * stdin: "exhaust" opens files until the process limit refuses one ("exhausted N"), "release"
 * closes them ("released"), "quit". It says "host alive N" every 200 ms meanwhile.
 */
public final class DescriptorHost {
  private DescriptorHost() {
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
    List<FileChannel> held = new ArrayList<>();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      switch (line.trim()) {
        case "exhaust":
          try {
            while (true) {
              held.add(FileChannel.open(file, StandardOpenOption.READ));
            }
          } catch (IOException limit) {
            System.out.println("exhausted " + held.size());
          }
          break;
        case "release":
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
