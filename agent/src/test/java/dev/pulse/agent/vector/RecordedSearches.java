package dev.pulse.agent.vector;

/**
 * Searches recorded into a {@link VectorStatsPublisher} as the recorder records them on the
 * application's thread, for tests of what reads its figures from another package.
 */
public final class RecordedSearches {
  private final VectorStatsPublisher publisher;

  /** @param wake told when searches start again after a quiet run of the publisher */
  public RecordedSearches(Runnable wake) {
    this.publisher = new VectorStatsPublisher(event -> { }, 0, wake, new RecallEstimates());
  }

  public VectorStatsPublisher publisher() {
    return publisher;
  }

  /** One search of {@code collection} taking {@code millis}, with its row count (-1: unknown). */
  public void search(String collection, double millis, int rows, boolean eventSent) {
    publisher.of(collection).record((long) (millis * 1_000_000), rows, -1, eventSent);
    publisher.searched();
  }

  public void search(String collection, double millis, int rows) {
    search(collection, millis, rows, true);
  }

  /** From now on the collection's searches have this measured recall (their shape's estimate). */
  public void measuredRecall(String collection, double recall) {
    String shape = collection + "|recall " + recall;
    publisher.recall.add(shape, recall);
    publisher.of(collection).latestShape = shape;
  }
}
