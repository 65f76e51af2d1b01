package dev.pulse.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL cluster of the test's own (initdb, pg_ctl), so that a test can stop and start a
 * real database under a running application, or give it few connection slots. Uses the
 * PostgreSQL 15 binaries scripts/provision-postgres.sh installs; as root it runs them as the
 * postgres user, since PostgreSQL refuses to run as root.
 */
public final class ThrowawayCluster implements AutoCloseable {
  private static final Path BIN = Paths.get("/usr/lib/postgresql/15/bin");
  private final Path dataDir;
  private final int port;

  private ThrowawayCluster(Path dataDir, int port) {
    this.dataDir = dataDir;
    this.port = port;
  }

  /** A new cluster with trust authentication on loopback and {@code maxConnections} slots, started. */
  public static ThrowawayCluster start(int maxConnections) throws Exception {
    if (!Files.isExecutable(BIN.resolve("initdb"))) {
      throw new IllegalStateException("no PostgreSQL 15 binaries at " + BIN
          + ": run `bash scripts/provision-postgres.sh`");
    }
    Path dir = Files.createTempDirectory("pulse-cluster-");
    Path data = dir.resolve("data");
    if (isRoot()) {
      run(List.of("chown", "-R", "postgres:postgres", dir.toString()));
    }
    run(asPostgres(BIN.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust",
        "-U", "postgres", "--no-sync"));
    ThrowawayCluster cluster = new ThrowawayCluster(data, AgentProcess.freePort());
    Files.writeString(data.resolve("postgresql.auto.conf"), "max_connections = " + maxConnections
        + "\nsuperuser_reserved_connections = 1\nunix_socket_directories = '" + dir + "'\n"
        + "listen_addresses = '127.0.0.1'\nport = " + cluster.port + "\nfsync = off\n");
    if (isRoot()) {
      run(List.of("chown", "postgres:postgres", data.resolve("postgresql.auto.conf").toString()));
    }
    cluster.up();
    return cluster;
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
  }

  public void up() throws Exception {
    run(asPostgres(BIN.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-w", "-l",
        dataDir.resolve("log").toString(), "start"));
  }

  /** Stops at once, as a crash or an operator would: clients are cut. */
  public void down() throws Exception {
    run(asPostgres(BIN.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "immediate",
        "-w", "stop"));
  }

  @Override
  public void close() throws Exception {
    try {
      down();
    } catch (Exception e) {
      // already down
    }
    run(List.of("rm", "-rf", dataDir.getParent().toString()));
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static List<String> asPostgres(String... command) {
    List<String> full = new ArrayList<>();
    if (isRoot()) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(List.of(command));
    return full;
  }

  private static void run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(new File("/dev/null").exists() ? ProcessBuilder.Redirect.DISCARD
            : ProcessBuilder.Redirect.INHERIT).start();
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed");
    }
  }
}
