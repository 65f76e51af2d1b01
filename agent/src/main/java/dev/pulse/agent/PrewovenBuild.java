package dev.pulse.agent;

import dev.pulse.agent.instrumentation.PrewovenIndexWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Run by the agent's build (agent/pom.xml), never by the agent: records what the agent's weaving
 * decides for the class files of the library versions its tests weave, for the jar to carry.
 * Usage: PrewovenBuild PACKAGE_DIRECTORY JAR...
 */
public final class PrewovenBuild {
  private PrewovenBuild() {
  }

  public static void main(String[] args) throws Exception {
    List<Path> jars = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      jars.add(Path.of(args[i]));
    }
    int recorded = PrewovenIndexWriter.write(Path.of(args[0]), AdvisedClasses.instrumentations(),
        AdvisedClasses.MENTION, jars);
    System.out.println("prewoven: " + recorded + " class files of " + jars.size() + " jars");
  }
}
