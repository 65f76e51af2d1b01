package demo.memory;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/** A throwaway pgvector database where Docker runs. */
final class Containers {
  private Containers() {
  }

  /** Its JDBC URL, or null where Docker is not available. */
  static String startPgvector() {
    try {
      if (!DockerClientFactory.instance().isDockerAvailable()) {
        return null;
      }
      PostgreSQLContainer<?> container = new PostgreSQLContainer<>(
          DockerImageName.parse("pgvector/pgvector:pg16").asCompatibleSubstituteFor("postgres"));
      container.start();
      Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
      return container.getJdbcUrl() + "&user=" + container.getUsername() + "&password="
          + container.getPassword();
    } catch (RuntimeException | LinkageError e) {
      return null;
    }
  }
}
