package dev.pulse.broadcaster;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** Builds the server's TLS context from a PKCS#12 or JKS keystore file. */
public final class TlsContexts {
  private TlsContexts() {
  }

  public static SSLContext fromKeystore(Path keystore, String password)
      throws IOException, GeneralSecurityException {
    char[] secret = password.toCharArray();
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, secret); // PKCS12 by default since JDK 9, which also reads JKS files
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, secret);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }
}
