package dev.pulse.agent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.agent.instrumentation.hikari.HikariInstrumentations;
import dev.pulse.agent.instrumentation.jdbc.JdbcInstrumentations;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import sample.reads.CloseableSqlSample;
import sample.reads.SqlHelperSample;

/**
 * A class that passes the byte scan is matched on its own methods before its supertypes: one that
 * declares no method an advice takes is let go without its loader being asked for a class file
 * (the transformer runs on the thread loading the class, the application's).
 */
class AdviceTransformerReadsTest {
  private final List<String> asked = new CopyOnWriteArrayList<>();
  private final ClassLoader loader = new ClassLoader(getClass().getClassLoader()) {
    @Override
    public InputStream getResourceAsStream(String name) {
      asked.add(name);
      return super.getResourceAsStream(name);
    }
  };

  @Test
  void aClassWithNoMethodAnAdviceTakesIsLetGoWithoutReadingItsSupertypes() throws IOException {
    assertNull(transform(SqlHelperSample.class));
    assertEquals(List.of(), asked);
  }

  @Test
  void aClassWithSuchAMethodHasItsSupertypesReadAndIsLeftAloneWhenNoInstrumentationApplies()
      throws IOException {
    assertNull(transform(CloseableSqlSample.class));
    assertTrue(asked.contains("sample/reads/SqlHelperBase.class"), asked.toString());
  }

  private byte[] transform(Class<?> sample) throws IOException {
    List<Instrumentation> all = new ArrayList<>(JdbcInstrumentations.all());
    all.addAll(HikariInstrumentations.all());
    AdviceTransformer transformer = new AdviceTransformer(
        new MentionFilter(List.of("java/sql/", "com/zaxxer/hikari/")), all,
        new ClassFactsCache());
    String name = sample.getName().replace('.', '/');
    byte[] classFile;
    try (InputStream in = sample.getResourceAsStream(sample.getSimpleName() + ".class")) {
      classFile = in.readAllBytes();
    }
    assertTrue(transformer.isCandidate(loader, name, classFile), "passes the byte scan");
    return transformer.transform(loader, name, null, null, classFile);
  }
}
