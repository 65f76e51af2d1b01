package demo.memory;

import java.util.Random;

/** Deterministic stand-ins for a model's embeddings: 64-d vectors around 20 topic centres. */
final class Embeddings {
  static final int DIMENSIONS = 64;
  private static final int TOPICS = 20;
  private static final float[][] CENTRES = new float[TOPICS][DIMENSIONS];

  static {
    Random random = new Random(20261125L);
    for (float[] centre : CENTRES) {
      for (int d = 0; d < DIMENSIONS; d++) {
        centre[d] = (float) random.nextGaussian();
      }
    }
  }

  private Embeddings() {
  }

  static float[] of(Random random) {
    float[] centre = CENTRES[random.nextInt(TOPICS)];
    float[] vector = new float[DIMENSIONS];
    for (int d = 0; d < DIMENSIONS; d++) {
      vector[d] = centre[d] + (float) (random.nextGaussian() * 0.3);
    }
    return vector;
  }

  static String literal(float[] vector) {
    StringBuilder text = new StringBuilder("[");
    for (int d = 0; d < vector.length; d++) {
      text.append(d == 0 ? "" : ", ").append(vector[d]);
    }
    return text.append(']').toString();
  }
}
