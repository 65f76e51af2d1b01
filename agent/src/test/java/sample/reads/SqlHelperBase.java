package sample.reads;

/** The superclass of the samples: read only when a matcher must know what they extend. */
public class SqlHelperBase {
}
