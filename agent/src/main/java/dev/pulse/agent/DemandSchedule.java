package dev.pulse.agent;

import dev.pulse.log.PulseLog;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Periodic tasks that run only while they have something to do: each is on the scheduler while
 * its condition holds and takes itself off after a run that finds it false, so an agent with
 * nothing to watch leaves the scheduler's thread parked with no timeout. Whoever may have made a
 * condition true calls {@link #review()}. All bookkeeping happens on the scheduler's one thread.
 */
final class DemandSchedule {
  private static final PulseLog LOG = PulseLog.forComponent("agent");
  private static final BooleanSupplier AT_ONCE = () -> true;
  private static final BooleanSupplier AFTER_A_PERIOD = () -> false;

  private final ScheduledExecutorService scheduler;
  private final List<Task> tasks = new ArrayList<>();

  DemandSchedule(ScheduledExecutorService scheduler) {
    this.scheduler = scheduler;
  }

  /**
   * Runs {@code task} every {@code periodMillis} while {@code wanted} holds, the first time at once
   * (or one period later with {@code firstAfterPeriod}, for a task whose trigger did its work).
   */
  void add(Runnable task, long periodMillis, boolean firstAfterPeriod, BooleanSupplier wanted) {
    add(task, periodMillis, firstAfterPeriod ? AFTER_A_PERIOD : AT_ONCE, wanted);
  }

  /**
   * The same, the first run at once only when {@code atOnce} holds as the task goes on the
   * schedule, else one period later, or at the first {@link #review()} that finds it holds.
   */
  void add(Runnable task, long periodMillis, BooleanSupplier atOnce, BooleanSupplier wanted) {
    scheduler.execute(() -> {
      tasks.add(new Task(task, periodMillis, atOnce, wanted));
      reviewNow();
    });
  }

  /** Any thread, never blocks: puts back on the schedule every task whose condition now holds. */
  void review() {
    scheduler.execute(this::reviewNow);
  }

  private void reviewNow() {
    for (Task task : tasks) {
      if (task.future == null && wanted(task)) {
        schedule(task, task.atOnce.getAsBoolean() ? 0 : task.periodMillis);
      } else if (task.future != null && !task.ran && task.atOnce.getAsBoolean()) {
        // its first run was put off a period: whoever wants it at once came meanwhile
        task.future.cancel(false);
        schedule(task, 0);
      }
    }
  }

  private void schedule(Task task, long firstMillis) {
    task.future = scheduler.scheduleAtFixedRate(task::run, firstMillis, task.periodMillis,
        TimeUnit.MILLISECONDS);
  }

  private static boolean wanted(Task task) {
    try {
      return task.wanted.getAsBoolean();
    } catch (RuntimeException e) {
      LOG.warn(task.name() + ": cannot tell whether it has work; it runs", e);
      return true;
    }
  }

  private final class Task {
    final Runnable body;
    final long periodMillis;
    final BooleanSupplier atOnce;
    final BooleanSupplier wanted;
    ScheduledFuture<?> future;
    /** Whether it ran since it was last put on the schedule. */
    boolean ran;

    Task(Runnable body, long periodMillis, BooleanSupplier atOnce, BooleanSupplier wanted) {
      this.body = body;
      this.periodMillis = periodMillis;
      this.atOnce = atOnce;
      this.wanted = wanted;
    }

    String name() {
      return body.getClass().getSimpleName();
    }

    /** A run that throws is logged and keeps the schedule: one failure must not cancel the rest. */
    void run() {
      ran = true;
      try {
        body.run();
      } catch (Throwable t) {
        LOG.warn(name() + " failed", t);
      }
      if (!wanted(this)) {
        // cancelled from within its own run, a periodic task is not queued again
        future.cancel(false);
        future = null;
        ran = false;
      }
    }
  }
}
