package demo.memory;

/** Command-line options of the demo. */
record DemoOptions(String jdbcUrl, long durationSeconds, boolean embedded, boolean help) {

  static final String USAGE = """
      Usage: java -jar demo-app.jar [--jdbc-url URL] [--duration SECONDS] [--embedded] [--help]

        --jdbc-url URL       PostgreSQL with pgvector (else $DEMO_JDBC_URL, else 127.0.0.1:5432,
                             else a Testcontainers pgvector/pgvector where Docker runs, else an
                             embedded H2 database without vector search)
        --duration SECONDS   stop by itself after this long (default: run until Ctrl-C)
        --embedded           use the embedded database even if PostgreSQL is reachable
        --help               this text
      """;

  static DemoOptions parse(String[] args) {
    String url = null;
    long duration = 0;
    boolean embedded = false;
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--jdbc-url" -> url = value(args, ++i, "--jdbc-url");
        case "--duration" -> duration = Long.parseLong(value(args, ++i, "--duration"));
        case "--embedded" -> embedded = true;
        case "--help", "-h" -> help = true;
        default -> throw new IllegalArgumentException("unknown option " + args[i] + "\n" + USAGE);
      }
    }
    return new DemoOptions(url, duration, embedded, help);
  }

  private static String value(String[] args, int index, String option) {
    if (index >= args.length) {
      throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
    }
    return args[index];
  }
}
