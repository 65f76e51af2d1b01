package dev.pulse.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's settings table lists exactly the settings the agent reads, in order, word for word. */
class ReadmeSettingsTest {

  @Test
  void readmeTableMatchesTheSettings() throws Exception {
    Path readme = Paths.get(System.getProperty("pulse.readme", "../README.md"));
    String text = new String(Files.readAllBytes(readme), StandardCharsets.UTF_8);
    String section = text.substring(text.indexOf("\n## Settings\n"));
    section = section.substring(0, section.indexOf("\n## ", 1));
    List<String> rows = section.lines()
        .filter(line -> line.startsWith("| `"))
        .collect(Collectors.toList());
    List<String> expected = Settings.ALL.stream()
        .map(s -> "| `" + s.key() + "` | " + s.defaultText() + " | " + s.allowed() + " | "
            + s.description() + " |")
        .collect(Collectors.toList());
    assertEquals(String.join("\n", expected), String.join("\n", rows));
  }
}
