package dev.pulse.broadcaster;

import java.util.AbstractList;
import java.util.Objects;
import org.java_websocket.drafts.Draft;

/**
 * The server's list of drafts, whose one draft is made when the first client's handshake reads
 * it. Java-WebSocket's Draft_6455 makes a SecureRandom as it is constructed (to mask a client's
 * frames, which a server never does); its providers and seeding cost the agent's start some tens
 * of milliseconds on the host's cores, for a page that may never be opened.
 */
final class DraftOnFirstUse extends AbstractList<Draft> {
  private final int maxFrameBytes;
  private volatile Draft draft;

  /** Refuses now what the draft would refuse at the first handshake, where no one would hear. */
  DraftOnFirstUse(int maxFrameBytes) {
    if (maxFrameBytes < 1) {
      throw new IllegalArgumentException("the frame limit must be at least 1 byte: "
          + maxFrameBytes);
    }
    this.maxFrameBytes = maxFrameBytes;
  }

  @Override
  public Draft get(int index) {
    Objects.checkIndex(index, 1);
    Draft made = draft;
    if (made == null) {
      synchronized (this) {
        made = draft;
        if (made == null) {
          made = new MaskedFramesDraft(maxFrameBytes);
          draft = made;
        }
      }
    }
    return made;
  }

  @Override
  public int size() {
    return 1;
  }
}
