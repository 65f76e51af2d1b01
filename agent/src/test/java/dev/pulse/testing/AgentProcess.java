package dev.pulse.testing;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A host program in a JVM of its own, started with {@code -javaagent:pulse-agent.jar}: what the
 * end-to-end tests run against. Its output is collected line by line for assertions.
 */
public final class AgentProcess implements AutoCloseable {
  private final Process process;
  private final List<String> stdout = new CopyOnWriteArrayList<>();
  private final List<String> stderr = new CopyOnWriteArrayList<>();

  private AgentProcess(Process process) {
    this.process = process;
    pump(process.getInputStream(), stdout, "stdout");
    pump(process.getErrorStream(), stderr, "stderr");
  }

  /** The built agent jar; set by the failsafe configuration. */
  public static Path agentJar() {
    Path jar = Paths.get(System.getProperty("pulse.agent.jar", "target/pulse-agent.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run `mvn verify`, which builds it first");
    }
    return jar;
  }

  /** The test classes, where the host programs live. */
  public static String hostClasses() {
    return System.getProperty("pulse.host.classes", "target/test-classes");
  }

  /** A jar from the host-libs folder the build fills for host programs. */
  public static String hostLib(String prefix) {
    return lib(System.getProperty("pulse.host.libs", "target/host-libs"), prefix);
  }

  /**
   * The class path of a host program that uses a HikariCP pool on PostgreSQL: the test classes,
   * HikariCP, the driver and SLF4J's API, then {@code extraLibs} from host-libs.
   */
  public static String poolHostClasspath(String... extraLibs) {
    List<String> entries = new ArrayList<>(List.of(hostClasses(), hostLib("HikariCP"),
        hostLib("postgresql"), hostLib("slf4j-api")));
    for (String lib : extraLibs) {
      entries.add(hostLib(lib));
    }
    return String.join(File.pathSeparator, entries);
  }

  /** A jar of another version (HikariCP 5, ByteBuddy) or another agent, for compatibility tests. */
  public static String compatLib(String prefix) {
    return lib(System.getProperty("pulse.compat.libs", "target/compat-libs"), prefix);
  }

  private static String lib(String folder, String prefix) {
    File[] jars = new File(folder)
        .listFiles((dir, name) -> name.startsWith(prefix) && name.endsWith(".jar"));
    if (jars == null || jars.length != 1) {
      throw new IllegalStateException("expected one " + prefix + "*.jar in " + folder);
    }
    return jars[0].getPath();
  }

  /** The JVM to run hosts on: PULSE_TEST_JAVA_HOME (to test another JDK), else the tests' own. */
  public static String javaExecutable() {
    String home = System.getenv("PULSE_TEST_JAVA_HOME");
    if (home == null || home.isEmpty()) {
      home = System.getProperty("java.home");
    }
    return Paths.get(home, "bin", "java").toString();
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts {@code mainClass} on {@code classpath} with the agent and {@code agentArgs}
   * (null for none) plus extra JVM options.
   */
  public static AgentProcess start(String agentArgs, List<String> jvmOptions, String classpath,
      String mainClass, String... args) throws IOException {
    List<String> options = new ArrayList<>();
    options.add("-javaagent:" + agentJar() + (agentArgs == null ? "" : "=" + agentArgs));
    options.addAll(jvmOptions);
    return startWithoutAgent(options, classpath, mainClass, args);
  }

  /** Starts {@code mainClass} with no agent: a JVM to attach to later. */
  public static AgentProcess startWithoutAgent(List<String> jvmOptions, String classpath,
      String mainClass, String... args) throws IOException {
    return startOn(javaExecutable(), jvmOptions, classpath, mainClass, args);
  }

  /** Starts {@code mainClass} on the {@code java} given, with exactly these JVM options. */
  public static AgentProcess startOn(String java, List<String> jvmOptions, String classpath,
      String mainClass, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classpath);
    command.add(mainClass);
    command.addAll(List.of(args));
    return run(command);
  }

  /**
   * Like {@link #start}, in a process allowed at most {@code maxFiles} open file descriptors (the
   * shell's {@code ulimit -n}, Linux and macOS).
   */
  public static AgentProcess startWithFileLimit(int maxFiles, String agentArgs,
      List<String> jvmOptions, String classpath, String mainClass, String... args)
      throws IOException {
    List<String> command = new ArrayList<>(List.of("/bin/sh", "-c",
        "ulimit -n " + maxFiles + " && exec \"$@\"", "sh", javaExecutable(),
        "-javaagent:" + agentJar() + (agentArgs == null ? "" : "=" + agentArgs)));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", classpath, mainClass));
    command.addAll(List.of(args));
    return run(command);
  }

  /** {@code java -javaagent:pulse-agent.jar=ARGS -jar JAR ARGS}: an executable jar host. */
  public static AgentProcess startJar(String agentArgs, Path jar, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(javaExecutable(),
        "-javaagent:" + agentJar() + (agentArgs == null ? "" : "=" + agentArgs), "-jar", jar.toString()));
    command.addAll(List.of(args));
    return run(command);
  }

  /** {@code java -jar pulse-agent.jar ARGS}: the console client or live attach. */
  public static AgentProcess agentCommand(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(javaExecutable(), "-jar", agentJar().toString()));
    command.addAll(List.of(args));
    return run(command);
  }

  private static AgentProcess run(List<String> command) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command);
    // a host sees only the settings its test gives it (OTEL_* would turn the OTLP export on)
    builder.environment().keySet().removeIf(name -> (name.startsWith("PULSE_")
        && !name.equals("PULSE_TEST_JDBC_URL")) || name.startsWith("OTEL_"));
    return new AgentProcess(builder.start());
  }

  private static void pump(InputStream in, List<String> sink, String name) {
    Thread thread = new Thread(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          sink.add(line);
        }
      } catch (IOException e) {
        // the process ended
      }
    }, "agent-process-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  public long pid() {
    return process.pid();
  }

  /** The host's standard input, for hosts driven by commands. */
  public java.io.OutputStream stdin() {
    return process.getOutputStream();
  }

  /**
   * Sends a host driven by commands one line, then waits for the line it answers with once done
   * ({@code done} null: no answer awaited, as for "quit").
   */
  public void command(String command, String done, Duration timeout)
      throws IOException, InterruptedException {
    java.io.OutputStream in = process.getOutputStream();
    in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
    if (done != null) {
      awaitLine(Pattern.compile("^" + Pattern.quote(done) + "$"), timeout);
    }
  }

  public List<String> stdout() {
    return stdout;
  }

  public List<String> stderr() {
    return stderr;
  }

  /** Waits for a line of stdout or stderr matching {@code pattern}; fails with the output so far. */
  public String awaitLine(Pattern pattern, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      boolean ended = !process.isAlive();
      if (ended) {
        Thread.sleep(100); // let the pumps read the last lines
      }
      String found = find(pattern);
      if (found != null) {
        return found;
      }
      if (ended || System.nanoTime() > deadline) {
        throw new AssertionError("no line matching " + pattern + " within " + timeout
            + (ended ? " (the host has ended)" : "") + "\n" + output());
      }
      Thread.sleep(20);
    }
  }

  /** How many lines of stdout and stderr match {@code pattern} now. */
  public long count(Pattern pattern) {
    return java.util.stream.Stream.concat(stdout.stream(), stderr.stream())
        .filter(line -> pattern.matcher(line).find()).count();
  }

  private String find(Pattern pattern) {
    for (List<String> lines : List.of(stdout, stderr)) {
      for (String line : lines) {
        if (pattern.matcher(line).find()) {
          return line;
        }
      }
    }
    return null;
  }

  /** Waits for the process to end by itself and returns its exit code. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("host still running after " + timeout + "\n" + output());
    }
    Thread.sleep(50); // let the pumps read the last lines
    return process.exitValue();
  }

  public String output() {
    return "--- stdout ---\n" + String.join("\n", stdout) + "\n--- stderr ---\n"
        + String.join("\n", stderr);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
