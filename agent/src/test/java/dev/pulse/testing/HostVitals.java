package dev.pulse.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A host JVM's live heap (after a full collection, read from outside with jcmd), its thread count
 * and its CPU time (from /proc): what an attack must give back once it is over.
 */
public final class HostVitals {
  public final long heapKb;
  public final long threads;

  private HostVitals(long heapKb, long threads) {
    this.heapKb = heapKb;
    this.threads = threads;
  }

  public static HostVitals of(long pid) throws IOException, InterruptedException {
    String jcmd = Paths.get(AgentProcess.javaExecutable()).resolveSibling("jcmd").toString();
    run(jcmd, String.valueOf(pid), "GC.run");
    Matcher used = Pattern.compile("used (\\d+)K").matcher(run(jcmd, String.valueOf(pid),
        "GC.heap_info"));
    if (!used.find()) {
      throw new IllegalStateException("no heap figure from jcmd GC.heap_info");
    }
    long threads = Files.readAllLines(Paths.get("/proc/" + pid + "/status")).stream()
        .filter(line -> line.startsWith("Threads:"))
        .mapToLong(line -> Long.parseLong(line.substring(8).trim())).findFirst().orElse(-1);
    return new HostVitals(Long.parseLong(used.group(1)), threads);
  }

  /** CPU seconds the process has used, user and system. */
  public static double cpuSeconds(long pid) throws IOException {
    String stat = Files.readString(Paths.get("/proc/" + pid + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
  }

  /**
   * Waits until the host's heap after GC is within {@code heapKb} of {@code before} and its threads
   * within {@code threads}; fails with the last figures.
   */
  public static HostVitals awaitBack(long pid, HostVitals before, long heapKb, long threads,
      Duration patience) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    while (true) {
      HostVitals now = of(pid);
      if (now.heapKb <= before.heapKb + heapKb && now.threads <= before.threads + threads) {
        return now;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not back within " + patience + ": heap " + before.heapKb + " KB -> "
            + now.heapKb + " KB (bound +" + heapKb + "), threads " + before.threads + " -> "
            + now.threads + " (bound +" + threads + ")");
      }
      Thread.sleep(500);
    }
  }

  @Override
  public String toString() {
    return "heap after GC " + heapKb + " KB, " + threads + " threads";
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor();
    return output;
  }
}
