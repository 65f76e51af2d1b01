package dev.pulse.agent.vector;

/**
 * A change of a pgvector setting made by SQL: {@code SET [LOCAL] hnsw.ef_search = 100},
 * {@code set_config('ivfflat.probes', '10', true)}, {@code RESET hnsw.ef_search}, {@code RESET ALL}.
 */
public final class SettingChange {
  /** Setting name, lower case ("hnsw.ef_search"); null for RESET ALL. */
  private final String name;
  /** The new value as text; null for a reset (back to the default) or when bound as a parameter. */
  private final String value;
  /** 1-based index of the parameter holding the value, or -1. */
  private final int valueParameter;
  /** SET LOCAL, or set_config(..., true): ends with the transaction. */
  private final boolean local;

  SettingChange(String name, String value, int valueParameter, boolean local) {
    this.name = name;
    this.value = value;
    this.valueParameter = valueParameter;
    this.local = local;
  }

  public String name() {
    return name;
  }

  public String value() {
    return value;
  }

  public int valueParameter() {
    return valueParameter;
  }

  public boolean local() {
    return local;
  }

  public boolean isReset() {
    return value == null && valueParameter < 0;
  }

  @Override
  public String toString() {
    return (local ? "SET LOCAL " : "SET ") + (name == null ? "ALL" : name) + " = "
        + (value != null ? value : valueParameter > 0 ? "?" + valueParameter : "DEFAULT");
  }
}
