package dev.pulse.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Runs another class's main and prints the CPU time start-up cost, which a busy machine does not
 * blur as it does wall-clock time: the main thread's before main (the JVM's start and any agent's
 * premain) and in it, the JIT compiler threads', and the whole process's (user + system, read from
 * /proc, 10 ms ticks). Linux only. Usage: {@code StartupCpu CLASS}; prints one line "cpu ...".
 */
public final class StartupCpu {
  private static final long MS_PER_TICK = 10;

  private StartupCpu() {
  }

  public static void main(String[] args) throws Exception {
    long beforeMain = ticks(Paths.get("/proc/thread-self/stat"));
    // read before anything else allocates much; the JDK's management classes are the same in
    // every configuration compared
    long allocatedBeforeMain = ((com.sun.management.ThreadMXBean)
        java.lang.management.ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    Class.forName(args[0]).getMethod("main", String[].class).invoke(null, (Object) new String[0]);
    long mainEnd = ticks(Paths.get("/proc/thread-self/stat"));
    long jit = 0;
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Paths.get("/proc/self/task"))) {
      for (Path task : tasks) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (NoSuchFileException ended) {
          continue; // a thread that ended since the listing (a pool's, say)
        }
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        if (name.startsWith("C1 Comp") || name.startsWith("C2 Comp")) {
          jit += ticks(task.resolve("stat"));
        }
      }
    }
    System.out.println("cpu main-before-main=" + beforeMain * MS_PER_TICK + "ms main-in-main="
        + (mainEnd - beforeMain) * MS_PER_TICK + "ms jit=" + jit * MS_PER_TICK + "ms process="
        + ticks(Paths.get("/proc/self/stat")) * MS_PER_TICK + "ms alloc-before-main="
        + allocatedBeforeMain / 1024 + "KiB");
  }

  /** utime + stime of a /proc stat file (fields 14 and 15; the name before them may hold spaces). */
  private static long ticks(Path stat) throws IOException {
    String text = Files.readString(stat);
    String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }
}
