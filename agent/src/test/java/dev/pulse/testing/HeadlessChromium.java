package dev.pulse.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium driven through Debian's chromedriver, both named explicitly so that Selenium
 * never tries to download a browser or a driver (this machine's network would refuse it).
 */
public final class HeadlessChromium {
  private static final Path BROWSER = Paths.get("/usr/bin/chromium");
  private static final Path DRIVER = Paths.get("/usr/bin/chromedriver");

  private HeadlessChromium() {
  }

  /** A new headless browser with a fresh profile under {@code target/}. */
  public static ChromeDriver start() throws Exception {
    if (!Files.isExecutable(BROWSER) || !Files.isExecutable(DRIVER)) {
      throw new IllegalStateException("no " + BROWSER + " or " + DRIVER + ": install them with"
          + " `apt-get install -y chromium chromium-driver` (.ci/run does)");
    }
    Path profile = Files.createTempDirectory(Files.createDirectories(Paths.get("target")),
        "chromium-profile-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER.toFile());
    // the background-networking flags keep Chromium from calling home, which this network refuses
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--window-size=1400,2400", "--user-data-dir=" + profile.toAbsolutePath());
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    return driver;
  }
}
