package dev.pulse.agent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.agent.instrumentation.hikari.HikariInstrumentations;
import dev.pulse.agent.instrumentation.jdbc.JdbcInstrumentations;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import sample.overlap.BothCloseSample;

/**
 * A method two instrumentations advise (close() of a class that is both a Connection and a
 * Statement): ByteBuddy's ForDeclaredMethods applied every matching advice; the weaver keeps the
 * first only, so the statement's close is no longer seen.
 */
class AdviceTransformerOverlapTest {
  @Test
  void aMethodTwoInstrumentationsAdviseGetsBoth() throws Exception {
    List<Instrumentation> all = new ArrayList<>(JdbcInstrumentations.all());
    all.addAll(HikariInstrumentations.all());
    AdviceTransformer transformer = new AdviceTransformer(
        new MentionFilter(List.of("java/sql/", "com/zaxxer/hikari/")), all,
        new ClassFactsCache());
    byte[] classFile;
    try (InputStream in = BothCloseSample.class.getResourceAsStream("BothCloseSample.class")) {
      classFile = in.readAllBytes();
    }
    byte[] woven = transformer.transform(BothCloseSample.class.getClassLoader(),
        "sample/overlap/BothCloseSample", null, null, classFile);
    String text = new String(woven, StandardCharsets.ISO_8859_1);
    assertTrue(text.contains("connectionCloseEnter"), "connection close advised");
    assertTrue(text.contains("statementCloseEnter"), "statement close advised");
  }
}
