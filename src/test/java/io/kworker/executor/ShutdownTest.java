package io.kworker.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kworker.KWorkerExecutor;
import io.kworker.KWorkerFuture;
import io.kworker.testing.Await;
import io.kworker.testing.ExpectedLogs;
import io.kworker.testing.Gate;
import io.kworker.testing.WorkerTestKit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * shutdown, shutdownNow, isTerminated and awaitTermination of an executor with a worker of its own, with
 * STPE's default policies. Terminated means the worker's thread has ended.
 */
class ShutdownTest {
  @RegisterExtension
  static final ExpectedLogs LOGS = ExpectedLogs.of(ExpectedLogs.ARMED_AT_DESTROY, ExpectedLogs.DEADLINE_MISSED);
  static final WorkerTestKit kit = WorkerTestKit.create();
  static final WorkerTestKit manual = WorkerTestKit.withManualTime();

  @AfterAll
  static void shutdown() {
    kit.shutdown();
    manual.shutdown();
  }

  private static void awaitTerminated(KWorkerExecutor executor, Thread thread) throws Exception {
    assertTrue(executor.awaitTermination(Await.LONG_SECONDS, TimeUnit.SECONDS));
    assertTrue(executor.isTerminated());
    assertTrue(executor.isShutdown());
    thread.join(TimeUnit.SECONDS.toMillis(Await.LONG_SECONDS));
    assertFalse(thread.isAlive(), "the worker's thread has ended");
  }

  /** Every way to submit throws RejectedExecutionException, naming the executor, once it is shut down. */
  @Test
  void submissionsAfterShutdownAreRejected() throws Exception {
    KWorkerExecutor executor = kit.newExecutor("rejects");
    Thread thread = Tasks.workerThread(executor);
    executor.shutdown();
    List<Consumer<KWorkerExecutor>> calls = List.of(
        e -> e.execute(() -> { }),
        e -> e.submit(() -> { }),
        e -> e.submit(() -> { }, 1),
        e -> e.submit(() -> 1),
        e -> e.schedule(() -> { }, 1, TimeUnit.SECONDS),
        e -> e.schedule(() -> 1, 0, TimeUnit.SECONDS),
        e -> e.scheduleAtFixedRate(() -> { }, 0, 1, TimeUnit.SECONDS),
        e -> e.scheduleWithFixedDelay(() -> { }, 1, 1, TimeUnit.SECONDS),
        e -> {
          try {
            e.invokeAll(List.<Callable<Integer>>of(() -> 1));
          } catch (InterruptedException ie) {
            throw new AssertionError(ie);
          }
        });
    for (Consumer<KWorkerExecutor> call : calls) {
      RejectedExecutionException e = assertThrows(RejectedExecutionException.class, () -> call.accept(executor));
      assertTrue(e.getMessage().contains(executor.worker().name()), e.getMessage());
    }
    awaitTerminated(executor, thread);
    assertThrows(RejectedExecutionException.class, () -> executor.submit(() -> { }));
  }

  /** An idle executor is terminated soon after shutdown, not before; its worker's thread has ended. */
  @Test
  void anIdleExecutorTerminatesAfterShutdown() throws Exception {
    KWorkerExecutor executor = kit.newExecutor("idle");
    Thread thread = Tasks.workerThread(executor);
    assertFalse(executor.isShutdown());
    assertFalse(executor.isTerminated());
    assertFalse(executor.awaitTermination(0, TimeUnit.SECONDS));
    executor.shutdown();
    assertTrue(executor.isShutdown());
    awaitTerminated(executor, thread);
    executor.shutdown(); // again: nothing more
    assertTrue(executor.shutdownNow().isEmpty());
  }

  /** awaitTermination gives false when it times out, and throws InterruptedException if interrupted. */
  @Test
  void awaitTerminationTimesOutWhileATaskRuns() throws Exception {
    KWorkerExecutor executor = kit.newExecutor("await");
    Gate gate = Tasks.busy(executor);
    executor.shutdown();
    assertFalse(executor.awaitTermination(1, TimeUnit.MILLISECONDS));
    assertFalse(executor.awaitTermination(-1, TimeUnit.DAYS));
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, () -> executor.awaitTermination(1, TimeUnit.DAYS));
    assertFalse(executor.isTerminated());
    gate.open();
    assertTrue(executor.awaitTermination(Long.MAX_VALUE, TimeUnit.NANOSECONDS));
  }

  /**
   * shutdown, as STPE's default policies: tasks queued and delayed one-shot tasks still run; periodic
   * tasks waiting for their next run are cancelled at once; the worker ends once the delayed ones ran.
   */
  @Test
  void shutdownRunsQueuedAndDelayedTasksAndCancelsPeriodicOnes() throws Exception {
    KWorkerExecutor executor = manual.newExecutor("policies");
    Thread thread = Tasks.workerThread(executor);
    Gate gate = Tasks.busy(executor);
    KWorkerFuture<String> queued = executor.submit(() -> "queued");
    KWorkerFuture<String> delayed = executor.schedule(() -> "delayed", 100, TimeUnit.MILLISECONDS);
    KWorkerFuture<?> rate = executor.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.HOURS);
    KWorkerFuture<?> delay = executor.scheduleWithFixedDelay(() -> { }, 0, 1, TimeUnit.HOURS);
    executor.shutdown();
    assertTrue(rate.isCancelled());
    assertTrue(delay.isCancelled());
    assertFalse(queued.isDone());
    assertFalse(delayed.isDone());
    gate.open();
    assertEquals("queued", queued.get(Await.LONG_SECONDS, TimeUnit.SECONDS));
    assertFalse(executor.awaitTermination(10, TimeUnit.MILLISECONDS), "the delayed task is still to run");
    manual.timePasses(100);
    assertEquals("delayed", delayed.get(Await.LONG_SECONDS, TimeUnit.SECONDS));
    awaitTerminated(executor, thread);
  }

  /** A periodic task running at shutdown is not cancelled then: it ends with its run, cancelled. */
  @Test
  void aPeriodicTaskRunningAtShutdownEndsWithItsRun() throws Exception {
    KWorkerExecutor executor = kit.newExecutor("periodic-running");
    Gate gate = new Gate();
    AtomicInteger runs = new AtomicInteger();
    KWorkerFuture<?> f = Tasks.periodicHeld(executor, gate, runs);
    executor.shutdown();
    assertFalse(f.isDone());
    gate.open();
    assertTrue(executor.awaitTermination(Await.LONG_SECONDS, TimeUnit.SECONDS));
    assertTrue(f.isCancelled());
    assertEquals(1, runs.get());
  }

  /** Cancelling the last delayed task after shutdown lets the worker end at once. */
  @Test
  void cancellingTheLastDelayedTaskEndsTheWorker() throws Exception {
    KWorkerExecutor executor = manual.newExecutor("last-delayed");
    Thread thread = Tasks.workerThread(executor);
    KWorkerFuture<?> delayed = executor.schedule(() -> { }, 1, TimeUnit.HOURS);
    executor.shutdown();
    assertFalse(executor.awaitTermination(10, TimeUnit.MILLISECONDS));
    assertTrue(delayed.cancel(false));
    awaitTerminated(executor, thread);
  }

  /**
   * shutdownNow returns the tasks that never started, queued and armed, periodic ones included, neither
   * done nor cancelled; it interrupts the running task; none of them runs, and the worker ends.
   */
  @Test
  void shutdownNowReturnsTheTasksThatNeverStarted() throws Exception {
    KWorkerExecutor executor = kit.newExecutor("now");
    Thread thread = Tasks.workerThread(executor);
    AtomicBoolean interrupted = new AtomicBoolean();
    CountDownLatch started = new CountDownLatch(1);
    KWorkerFuture<?> running = executor.submit(() -> {
      started.countDown();
      try {
        new CountDownLatch(1).await(); // until interrupted
      } catch (InterruptedException e) {
        interrupted.set(true);
      }
    });
    Await.await(started);
    AtomicInteger runs = new AtomicInteger();
    Set<Object> notStarted = new HashSet<>(List.of(
        executor.submit(runs::incrementAndGet), executor.submit(runs::incrementAndGet, 1),
        executor.schedule(runs::incrementAndGet, 1, TimeUnit.HOURS),
        executor.scheduleAtFixedRate(runs::incrementAndGet, 1, 1, TimeUnit.HOURS),
        executor.scheduleWithFixedDelay(runs::incrementAndGet, 1, 1, TimeUnit.HOURS)));
    List<Runnable> returned = executor.shutdownNow();
    assertEquals(notStarted, new HashSet<>(returned));
    assertEquals(notStarted.size(), returned.size());
    for (Runnable r : returned) {
      KWorkerFuture<?> f = (KWorkerFuture<?>) r;
      assertFalse(f.isDone());
      assertFalse(f.isCancelled());
    }
    assertTrue(executor.isShutdown());
    awaitTerminated(executor, thread);
    assertTrue(interrupted.get(), "the running task was interrupted");
    assertNull(running.get());
    assertEquals(0, runs.get());
  }

  /** shutdown from inside a task: the tasks queued behind it still run, then the worker ends. */
  @Test
  void shutdownFromInsideATask() throws Exception {
    KWorkerExecutor executor = kit.newExecutor("inside");
    Gate gate = Tasks.busy(executor);
    KWorkerFuture<?> shutter = executor.submit(executor::shutdown);
    KWorkerFuture<String> behind = executor.submit(() -> "behind");
    gate.open();
    assertNull(shutter.get(Await.LONG_SECONDS, TimeUnit.SECONDS));
    assertEquals("behind", behind.get(Await.LONG_SECONDS, TimeUnit.SECONDS));
    assertTrue(executor.awaitTermination(Await.LONG_SECONDS, TimeUnit.SECONDS));
  }

  /** shutdownNow from inside a task returns the tasks queued behind it (its own run goes on to its end). */
  @Test
  void shutdownNowFromInsideATask() throws Exception {
    KWorkerExecutor executor = kit.newExecutor("inside-now");
    Gate gate = Tasks.busy(executor);
    AtomicReference<KWorkerFuture<?>> behind = new AtomicReference<>();
    KWorkerFuture<List<Runnable>> stopper = executor.submit(() -> {
      List<Runnable> left = executor.shutdownNow();
      Thread.interrupted(); // shutdownNow interrupts the task that runs: this one
      return left;
    });
    behind.set(executor.submit(() -> { }));
    gate.open();
    List<Runnable> left = stopper.get(Await.LONG_SECONDS, TimeUnit.SECONDS);
    assertEquals(List.of(behind.get()), new ArrayList<>(left));
    assertTrue(executor.awaitTermination(Await.LONG_SECONDS, TimeUnit.SECONDS));
  }
}
