package io.kworker.executor;

import static io.kworker.testing.Await.await;
import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kworker.KWorkerExecutor;
import io.kworker.KWorkerFuture;
import io.kworker.WorkState;
import io.kworker.testing.Await;
import io.kworker.testing.ExpectedLogs;
import io.kworker.testing.Gate;
import io.kworker.testing.WorkerTestKit;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Periodic tasks, as STPE runs them: fixed rate (with catch-up) and fixed delay, a throw ends them, a
 * cancel stops the chain. The worker's timers follow Akka's manual time (except in the one test on the
 * real clock); the executor reckons trigger times in real time, so a run on the timer needs both.
 */
class PeriodicTaskTest {
  @RegisterExtension
  static final ExpectedLogs LOGS = ExpectedLogs.of(ExpectedLogs.ARMED_AT_DESTROY);
  static final WorkerTestKit kit = WorkerTestKit.withManualTime();
  static final WorkerTestKit realTime = WorkerTestKit.create();
  static final long PERIOD_MS = 20;

  @AfterAll
  static void shutdown() {
    kit.shutdown();
    realTime.shutdown();
  }

  /**
   * A fixed-rate task runs again and again, run k never before its trigger time, the initial delay plus
   * k - 1 periods (on the real clock); its future is not done meanwhile.
   */
  @Test
  void aFixedRateTaskRunsEachPeriodNeverBeforeItsTriggerTime() throws Exception {
    KWorkerExecutor executor = realTime.newExecutor("rate");
    long[] started = new long[5];
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch fiveRuns = new CountDownLatch(5);
    long start = System.nanoTime();
    KWorkerFuture<?> f = executor.scheduleAtFixedRate(() -> {
      int k = runs.getAndIncrement();
      if (k < 5) {
        started[k] = System.nanoTime();
        fiveRuns.countDown();
      }
    }, 2, 3, TimeUnit.MILLISECONDS);
    await(fiveRuns);
    for (int k = 0; k < 5; k++) {
      long trigger = start + TimeUnit.MILLISECONDS.toNanos(2 + 3L * k);
      assertTrue(started[k] - trigger >= 0, "run " + k + " started " + (trigger - started[k]) + " ns early");
    }
    assertFalse(f.isDone());
    assertThrows(TimeoutException.class, () -> f.get(1, TimeUnit.MILLISECONDS));
    assertTrue(f.cancel(false));
  }

  /**
   * A fixed-rate task that fell behind (a run longer than several periods) runs again at once, without
   * waiting for a timer, until it has caught up with its trigger times.
   */
  @Test
  void aFixedRateTaskThatFellBehindCatchesUp() {
    KWorkerExecutor executor = kit.newExecutor("catch-up");
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch fourRuns = new CountDownLatch(4);
    long start = System.nanoTime();
    executor.scheduleAtFixedRate(() -> {
      if (runs.incrementAndGet() == 1) {
        spinUntil(start + TimeUnit.MILLISECONDS.toNanos(4 * PERIOD_MS)); // a run of four periods
      }
      fourRuns.countDown();
    }, 0, PERIOD_MS, TimeUnit.MILLISECONDS);
    await(fourRuns); // manual time never moves here: runs 2 to 4 are the catch-up
    assertTrue(runs.get() >= 4);
  }

  /** A fixed-delay task waits a full delay after each run ends, however long the run was. */
  @Test
  void aFixedDelayTaskWaitsAFullDelayAfterEachRun() throws Exception {
    KWorkerExecutor executor = kit.newExecutor("delay");
    AtomicInteger runs = new AtomicInteger();
    long start = System.nanoTime();
    KWorkerFuture<?> f = executor.scheduleWithFixedDelay(() -> {
      if (runs.incrementAndGet() == 1) {
        spinUntil(start + TimeUnit.MILLISECONDS.toNanos(4 * PERIOD_MS));
      }
    }, 0, PERIOD_MS, TimeUnit.MILLISECONDS);
    Await.until("armed after the first run", () -> Tasks.state(executor, f) == WorkState.ARMED);
    result(executor.worker().flush());
    assertEquals(1, runs.get(), "no catch-up at a fixed delay");
    assertTrue(f.getDelay(TimeUnit.MILLISECONDS) <= PERIOD_MS, "at most one delay from now");
    kit.timePasses(PERIOD_MS - 1);
    result(executor.worker().flush());
    assertEquals(1, runs.get(), "ran before a full delay after the first run's end");
    kit.timePasses(1);
    Await.until("second run", () -> runs.get() == 2);
  }

  /** A periodic task that throws runs no more, and its get() throws that exception as the cause. */
  @Test
  void aPeriodicTaskThatThrowsStopsAndGetThrowsTheCause() throws Exception {
    KWorkerExecutor executor = kit.newExecutor("throws");
    AtomicInteger runs = new AtomicInteger();
    IllegalStateException boom = new IllegalStateException("third run");
    KWorkerFuture<?> f = executor.scheduleWithFixedDelay(() -> {
      if (runs.incrementAndGet() == 3) {
        throw boom;
      }
    }, 0, 1, TimeUnit.MILLISECONDS);
    while (!f.isDone()) {
      Await.until("armed or done", () -> f.isDone() || Tasks.state(executor, f) == WorkState.ARMED);
      int before = runs.get();
      kit.timePasses(1);
      Await.until("one more run", () -> f.isDone() || runs.get() > before);
    }
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(Await.LONG_SECONDS, TimeUnit.SECONDS));
    assertSame(boom, e.getCause());
    assertFalse(f.isCancelled());
    kit.timePasses(10);
    result(executor.worker().flush());
    assertEquals(3, runs.get());
    assertEquals(WorkState.IDLE, Tasks.state(executor, f));
  }

  /** Cancelling a periodic task between runs stops the chain: it is disarmed and never runs again. */
  @Test
  void cancelBetweenRunsStopsTheChain() throws Exception {
    KWorkerExecutor executor = kit.newExecutor("cancel");
    AtomicInteger runs = new AtomicInteger();
    KWorkerFuture<?> f = executor.scheduleWithFixedDelay(runs::incrementAndGet, 0, 1, TimeUnit.SECONDS);
    Await.until("armed after the first run", () -> Tasks.state(executor, f) == WorkState.ARMED);
    assertTrue(f.cancel(false));
    assertEquals(WorkState.IDLE, Tasks.state(executor, f));
    kit.timePasses(5_000);
    result(executor.worker().flush());
    assertEquals(1, runs.get());
    assertThrows(CancellationException.class, f::get);
  }

  /** Cancelling a periodic task while it runs lets the run end and arms no next run. */
  @Test
  void cancelDuringARunArmsNoNextRun() {
    KWorkerExecutor executor = kit.newExecutor("cancel-running");
    Gate gate = new Gate();
    AtomicInteger runs = new AtomicInteger();
    KWorkerFuture<?> f = Tasks.periodicHeld(executor, gate, runs);
    assertTrue(f.cancel(false));
    assertTrue(f.isCancelled());
    gate.open();
    result(executor.worker().flush());
    kit.timePasses(10);
    result(executor.worker().flush());
    assertEquals(1, runs.get());
    assertEquals(WorkState.IDLE, Tasks.state(executor, f));
    assertFalse(gate.interrupted(), "cancel(false) never interrupts");
  }

  static void spinUntil(long nanoTime) {
    while (System.nanoTime() - nanoTime < 0) {
      Thread.onSpinWait();
    }
  }

  /** A period too long to add to the clock (either kind) re-arms as "never": one run, then armed for good. */
  @Test
  void aHugePeriodRunsOnceAndStaysArmed() {
    KWorkerExecutor executor = kit.newExecutor("huge-period");
    AtomicInteger rate = new AtomicInteger();
    AtomicInteger delay = new AtomicInteger();
    List<KWorkerFuture<?>> periodic = List.of(
        executor.scheduleAtFixedRate(rate::incrementAndGet, 0, Long.MAX_VALUE, TimeUnit.DAYS),
        executor.scheduleWithFixedDelay(delay::incrementAndGet, 0, Long.MAX_VALUE, TimeUnit.DAYS));
    for (KWorkerFuture<?> f : periodic) {
      Await.until("armed after its first run", () -> Tasks.state(executor, f) == WorkState.ARMED);
      assertTrue(f.getDelay(TimeUnit.DAYS) > 365L * 100, "more than a century: " + f.getDelay(TimeUnit.DAYS));
    }
    kit.timePasses(java.time.Duration.ofDays(365).toMillis());
    result(executor.worker().flush());
    assertEquals(1, rate.get());
    assertEquals(1, delay.get());
    periodic.forEach(f -> assertFalse(f.isDone()));
  }
}
