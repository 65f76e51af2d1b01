package dev.pulse.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Java threads of another JVM as {@code jcmd PID Thread.print} reports them: name, state, top
 * frame and native id, read from outside, as an operator would.
 */
public final class ThreadDump {
  /** A Java thread's first line (the JVM's own native threads carry no "#number"). */
  private static final Pattern HEADER =
      Pattern.compile("^\"(.*)\" #\\d+ .*nid=(0x[0-9a-f]+|\\d+)");

  /** One thread: its state line ("WAITING (parking)"), its top frame or "" and its Linux tid. */
  public static final class Entry {
    public final String name;
    public final String state;
    public final String topFrame;
    public final long nativeId;

    Entry(String name, String state, String topFrame, long nativeId) {
      this.name = name;
      this.state = state;
      this.topFrame = topFrame;
      this.nativeId = nativeId;
    }

    @Override
    public String toString() {
      return "\"" + name + "\" " + state + (topFrame.isEmpty() ? "" : " at " + topFrame);
    }
  }

  private ThreadDump() {
  }

  public static List<Entry> of(long pid) throws IOException, InterruptedException {
    String java = AgentProcess.javaExecutable();
    Path jcmd = Paths.get(java).resolveSibling("jcmd");
    Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Thread.print")
        .redirectErrorStream(true).start();
    String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("jcmd failed: " + text);
    }
    return parse(text);
  }

  static List<Entry> parse(String text) {
    List<Entry> threads = new ArrayList<>();
    String[] lines = text.split("\n");
    for (int i = 0; i < lines.length; i++) {
      Matcher header = HEADER.matcher(lines[i]);
      if (!header.find()) {
        continue;
      }
      String id = header.group(2);
      long nativeId = id.startsWith("0x") ? Long.parseLong(id.substring(2), 16) : Long.parseLong(id);
      String state = "";
      String top = "";
      for (int j = i + 1; j < lines.length && !lines[j].isBlank(); j++) {
        String line = lines[j].trim();
        if (line.startsWith("java.lang.Thread.State: ")) {
          state = line.substring("java.lang.Thread.State: ".length());
        } else if (line.startsWith("at ") && top.isEmpty()) {
          top = line.substring(3).replaceAll("\\(.*", "");
        }
      }
      threads.add(new Entry(header.group(1), state, top, nativeId));
    }
    return threads;
  }

  /**
   * How many times the thread has been switched off a CPU so far (voluntary and not), from
   * /proc; -1 where there is no /proc. A thread that sleeps without a timeout adds none.
   */
  public static long contextSwitches(long pid, long nativeId) throws IOException {
    Path status = Paths.get("/proc", Long.toString(pid), "task", Long.toString(nativeId), "status");
    if (!Files.isReadable(status)) {
      return -1;
    }
    long switches = 0;
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("voluntary_ctxt_switches:")
          || line.startsWith("nonvoluntary_ctxt_switches:")) {
        switches += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    return switches;
  }
}
