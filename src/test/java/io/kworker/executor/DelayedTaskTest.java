package io.kworker.executor;

import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kworker.KWorkerExecutor;
import io.kworker.KWorkerFuture;
import io.kworker.Work;
import io.kworker.WorkState;
import io.kworker.WorkStatus;
import io.kworker.testing.Await;
import io.kworker.testing.ExpectedLogs;
import io.kworker.testing.Gate;
import io.kworker.testing.WorkerTestKit;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Delayed one-shot tasks, under Akka's manual time (the worker's timers follow it): when they run, their
 * delay, their order as {@code Delayed}.
 */
class DelayedTaskTest {
  @RegisterExtension
  static final ExpectedLogs LOGS = ExpectedLogs.of(ExpectedLogs.ARMED_AT_DESTROY);
  static final WorkerTestKit kit = WorkerTestKit.withManualTime();

  @AfterAll
  static void shutdown() {
    kit.shutdown();
  }

  /** A delayed task is armed on the worker and runs once its delay has passed, not before. */
  @Test
  void aDelayedTaskRunsOnceItsDelayHasPassed() throws Exception {
    KWorkerExecutor executor = kit.newExecutor("delayed");
    AtomicInteger runs = new AtomicInteger();
    KWorkerFuture<Integer> f = executor.schedule(runs::incrementAndGet, 100, TimeUnit.MILLISECONDS);
    assertEquals(WorkState.ARMED, Tasks.status(executor, f).state());
    kit.timePasses(99);
    result(executor.worker().flush());
    assertEquals(0, runs.get());
    assertFalse(f.isDone());
    kit.timePasses(1);
    assertEquals(1, f.get(Await.LONG_SECONDS, TimeUnit.SECONDS));
    assertEquals(1, runs.get());
  }

  /** A delay of zero or less runs the task at once, at the tail, with a delay of zero. */
  @Test
  void aDelayThatIsNotPositiveRunsAtOnce() throws Exception {
    KWorkerExecutor executor = kit.newExecutor("zero");
    for (long d : new long[] {0, -1, Long.MIN_VALUE}) {
      KWorkerFuture<String> f = executor.schedule(() -> "ran", d, TimeUnit.DAYS);
      assertEquals(0, f.getDelay(TimeUnit.NANOSECONDS));
      assertEquals("ran", f.get(Await.LONG_SECONDS, TimeUnit.SECONDS));
    }
  }

  /** A delay too long to add to the clock is armed as "never": the task stays pending. */
  @Test
  void aHugeDelayIsArmedAndNeverRuns() {
    KWorkerExecutor executor = kit.newExecutor("huge");
    KWorkerFuture<?> f = executor.schedule(() -> { }, Long.MAX_VALUE, TimeUnit.DAYS);
    assertEquals(WorkState.ARMED, Tasks.status(executor, f).state());
    assertTrue(f.getDelay(TimeUnit.DAYS) > 365L * 100, "more than a century: " + f.getDelay(TimeUnit.DAYS));
    kit.timePasses(Duration.ofDays(365).toMillis());
    assertEquals(WorkState.ARMED, Tasks.status(executor, f).state());
    assertFalse(f.isDone());
  }

  /**
   * getDelay is the time left until the trigger time the worker armed the task for: the worker's own
   * expiry ({@code WorkStatus.expiresIn}) is the same but for a call's transit; an immediate task has 0.
   */
  @Test
  void getDelayIsTheTimeLeftUntilTheWorkersExpiry() {
    KWorkerExecutor executor = kit.newExecutor("getdelay");
    KWorkerFuture<?> f = executor.schedule(() -> { }, 1, TimeUnit.HOURS);
    WorkStatus s = Tasks.status(executor, f);
    long delay = f.getDelay(TimeUnit.NANOSECONDS);
    long expiresIn = s.expiresIn().orElseThrow().toNanos();
    assertTrue(delay <= TimeUnit.HOURS.toNanos(1) && delay > TimeUnit.MINUTES.toNanos(59), "delay " + delay);
    assertTrue(Math.abs(expiresIn - delay) < TimeUnit.MINUTES.toNanos(1), expiresIn + " vs " + delay);
    assertEquals(0, executor.submit(() -> { }).getDelay(TimeUnit.NANOSECONDS));
  }

  /** compareTo orders futures by trigger time, consistently with getDelay; a future equals itself. */
  @Test
  void compareToOrdersByTriggerTime() {
    KWorkerExecutor executor = kit.newExecutor("compare");
    KWorkerFuture<?> hour = executor.schedule(() -> { }, 1, TimeUnit.HOURS);
    KWorkerFuture<?> minute = executor.schedule(() -> { }, 1, TimeUnit.MINUTES);
    KWorkerFuture<?> day = executor.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.DAYS);
    KWorkerFuture<?> now = executor.schedule(() -> { }, 0, TimeUnit.SECONDS);
    assertEquals(0, hour.compareTo(hour));
    assertTrue(minute.compareTo(hour) < 0 && hour.compareTo(minute) > 0);
    assertTrue(hour.compareTo(day) < 0 && day.compareTo(hour) > 0);
    assertTrue(now.compareTo(minute) < 0 && minute.compareTo(now) > 0);
    assertEquals(Long.signum(minute.getDelay(TimeUnit.NANOSECONDS) - hour.getDelay(TimeUnit.NANOSECONDS)),
        minute.compareTo(hour));
  }

  /** Due tasks run in the order they became due: an expired delayed task goes behind tasks queued before. */
  @Test
  void anExpiredTaskRunsBehindTasksQueuedBeforeItsExpiry() throws Exception {
    KWorkerExecutor executor = kit.newExecutor("fifo");
    StringBuffer order = new StringBuffer();
    KWorkerFuture<?> delayed = executor.schedule(() -> order.append("delayed "), 10, TimeUnit.MILLISECONDS);
    Gate gate = Tasks.busy(executor);
    executor.submit(() -> order.append("queued "));
    kit.timePasses(10); // expires while the worker is busy: behind "queued"
    kit.mailboxFence(executor.worker(), (Work) delayed); // the expiry is served, before "later"
    gate.open();
    executor.submit(() -> order.append("later ")).get(Await.LONG_SECONDS, TimeUnit.SECONDS);
    assertEquals("queued delayed later ", order.toString());
  }
}
