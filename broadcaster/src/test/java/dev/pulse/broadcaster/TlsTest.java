package dev.pulse.broadcaster;

import static dev.pulse.broadcaster.Streams.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.testing.WsTestClient;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsTest {

  @Test
  void servesWssFromAKeystore(@TempDir Path dir) throws Exception {
    Path keystore = dir.resolve("pulse.p12");
    Process keytool = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "pulse", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
        "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
        "-storetype", "PKCS12", "-keystore", keystore.toString(),
        "-storepass", "changeit", "-keypass", "changeit")
        .redirectErrorStream(true).start();
    assertEquals(0, keytool.waitFor(), new String(keytool.getInputStream().readAllBytes()));

    try (Broadcaster broadcaster = Streams.start(new BroadcasterConfig().tlsKeystore(keystore)
        .tlsPassword("changeit"))) {
      assertTrue(broadcaster.url().startsWith("wss://127.0.0.1:"), broadcaster.url());
      HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(keystore)).build();
      try (WsTestClient client = WsTestClient.open(broadcaster.url(), trusting)) {
        client.awaitType("welcome", WAIT);
        Streams.sync(client);
        broadcaster.publish(Streams.event(Channel.SYSTEM_ALERTS, "secure", 1));
        client.awaitType("secure", WAIT);
      }
    }
  }

  @Test
  void aWrongKeystorePasswordLeavesTheStreamOffWithoutThrowing(@TempDir Path dir) throws Exception {
    Path notAKeystore = Files.writeString(dir.resolve("broken.p12"), "not a keystore");
    try (Broadcaster broadcaster = Broadcaster.start(new BroadcasterConfig().port(0)
        .tlsKeystore(notAKeystore).tlsPassword("x"))) {
      assertTrue(!broadcaster.isListening());
    }
  }

  private static SSLContext trusting(Path keystore) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, "changeit".toCharArray());
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }
}
