package dev.pulse.agent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.pulse.agent.instrumentation.hikari.HikariInstrumentations;
import dev.pulse.agent.instrumentation.jdbc.JdbcInstrumentations;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import sample.overlap.BothCloseSample;

/**
 * A class loader that cannot see the agent's hooks (its parent the platform loader, as OSGi
 * bundles' and JBoss modules' are) gets its JDBC classes back unchanged: woven, every advised call
 * would fail to link and throw an error it then swallows, some 20 times the call's own cost.
 */
class AdviceTransformerVisibilityTest {
  private static final String NAME = "sample/overlap/BothCloseSample";

  @Test
  void aLoaderThatSeesTheHooksGetsItsClassWovenOneThatDoesNotGetsItUnchanged() throws Exception {
    byte[] classFile;
    try (InputStream in = BothCloseSample.class.getResourceAsStream("BothCloseSample.class")) {
      classFile = in.readAllBytes();
    }
    ClassLoader seesHooks = BothCloseSample.class.getClassLoader();
    ClassLoader isolated = new ClassLoader(ClassLoader.getPlatformClassLoader()) {
      @Override
      public InputStream getResourceAsStream(String name) {
        // its own classes' files, and the JDK's through its parent; nothing of the agent's
        InputStream own = name.startsWith("sample/") ? seesHooks.getResourceAsStream(name) : null;
        return own != null ? own : super.getResourceAsStream(name);
      }
    };
    assertNotNull(transformer().transform(seesHooks, NAME, null, null, classFile));
    assertNull(transformer().transform(isolated, NAME, null, null, classFile));
  }

  private static AdviceTransformer transformer() {
    List<Instrumentation> all = new ArrayList<>(JdbcInstrumentations.all());
    all.addAll(HikariInstrumentations.all());
    return new AdviceTransformer(new MentionFilter(List.of("java/sql/", "com/zaxxer/hikari/")),
        all, new ClassFactsCache());
  }
}
