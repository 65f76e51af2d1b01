package dev.pulse.agent.instrumentation.jdbc;

import dev.pulse.agent.instrumentation.Instrumentation;
import java.util.ArrayList;
import java.util.List;

/** Every JDBC instrumentation. */
public final class JdbcInstrumentations {
  private JdbcInstrumentations() {
  }

  public static List<Instrumentation> all() {
    List<Instrumentation> all = new ArrayList<>(List.of(new DataSourceInstrumentation(),
        new ConnectionCloseInstrumentation(), new PrepareInstrumentation(),
        new TransactionEndInstrumentation(), new ExecuteInstrumentation(),
        new QueryInstrumentation(), new BatchExecuteInstrumentation(),
        new BatchInstrumentation.AddBatch(), new BatchInstrumentation.ClearBatch(),
        new StatementCloseInstrumentation(), new CopyInstrumentation(),
        new PoolUpkeepInstrumentation()));
    all.addAll(ProxyCloseInstrumentation.all());
    return all;
  }
}
