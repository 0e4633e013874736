package io.kworker.executor;

import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kworker.KWorkerExecutor;
import io.kworker.KWorkerFuture;
import io.kworker.testing.Await;
import io.kworker.testing.ExpectedLogs;
import io.kworker.testing.Gate;
import io.kworker.testing.WorkerTestKit;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The worker ended behind the executor's back (destroyed by someone else, stopped with its parent, its
 * actor system terminated): no future is left hanging, and the executor counts as shut down.
 */
class WorkerGoneTest {
  @RegisterExtension
  static final ExpectedLogs LOGS = ExpectedLogs.of(ExpectedLogs.ARMED_AT_DESTROY, ExpectedLogs.STOPPED_WITH_WORKS, ExpectedLogs.REFUSED);
  static final WorkerTestKit kit = WorkerTestKit.create();

  @AfterAll
  static void shutdown() {
    kit.shutdown();
  }

  private static void assertCancelled(KWorkerFuture<?> f) {
    assertThrows(CancellationException.class, () -> f.get(Await.LONG_SECONDS, TimeUnit.SECONDS));
    assertTrue(f.isCancelled());
  }

  /**
   * The worker destroyed behind the executor: queued tasks still run (destroy runs what is queued), armed
   * and periodic ones complete cancelled; then submissions are rejected and the executor is terminated.
   */
  @Test
  void destroyedBehindItsBackCancelsWhatWillNotRun() throws Exception {
    KWorkerExecutor executor = kit.newExecutor("destroyed");
    Gate gate = Tasks.busy(executor);
    KWorkerFuture<String> queued = executor.submit(() -> "queued");
    KWorkerFuture<?> delayed = executor.schedule(() -> { }, 1, TimeUnit.HOURS);
    KWorkerFuture<?> periodic = executor.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.HOURS);
    var destroyed = executor.worker().destroy();
    Await.until("the armed tasks are cancelled", () -> delayed.isDone() && periodic.isDone());
    assertCancelled(delayed);
    assertCancelled(periodic);
    gate.open();
    result(destroyed);
    assertEquals("queued", queued.get(Await.LONG_SECONDS, TimeUnit.SECONDS));
    assertTrue(executor.awaitTermination(Await.LONG_SECONDS, TimeUnit.SECONDS));
    assertTrue(executor.isShutdown());
    RejectedExecutionException e = assertThrows(RejectedExecutionException.class,
        () -> executor.submit(() -> { }));
    assertTrue(e.getMessage().contains(executor.worker().name()), e.getMessage());
  }

  /**
   * The worker drained behind the executor's back: a task submitted from outside meanwhile is refused by
   * the drain (the kernel's rule) and completes cancelled; once the drain is over the executor runs tasks.
   */
  @Test
  void aTaskTheWorkersDrainRefusesIsCancelled() throws Exception {
    KWorkerExecutor executor = kit.newExecutor("drained");
    Gate gate = Tasks.busy(executor);
    var drained = executor.worker().drain();
    Await.until("the drain is accepted", () -> !result(executor.worker().queue(io.kworker.Work.of("probe", () -> { }))));
    assertCancelled(executor.submit(() -> "refused"));
    assertCancelled(executor.schedule(() -> "refused", 0, TimeUnit.NANOSECONDS));
    assertCancelled(executor.schedule(() -> "refused", 1, TimeUnit.HOURS));
    gate.open();
    result(drained);
    assertEquals("after", executor.submit(() -> "after").get(Await.LONG_SECONDS, TimeUnit.SECONDS));
  }

  /** A periodic task running when its worker is destroyed tries to re-arm, is refused, and is cancelled. */
  @Test
  void aRunningPeriodicTaskIsCancelledWhenItsReArmIsRefused() throws Exception {
    KWorkerExecutor executor = kit.newExecutor("rearm-refused");
    Gate gate = new Gate();
    AtomicInteger runs = new AtomicInteger();
    KWorkerFuture<?> periodic = Tasks.periodicHeld(executor, gate, runs);
    var destroyed = executor.worker().destroy();
    Await.until("the destroy is accepted",
        () -> executor.worker().queue(io.kworker.Work.of("probe", () -> { })).toCompletableFuture()
            .handle((v, x) -> x instanceof RejectedExecutionException).join());
    gate.open();
    result(destroyed);
    assertCancelled(periodic);
    assertEquals(1, runs.get());
  }

  /**
   * A view of a worker that stops with its parent: every task that has not run (queued ones included,
   * since a stop runs nothing more) completes cancelled.
   */
  @Test
  void theParentStopsAndEveryPendingFutureIsCancelled() throws Exception {
    WorkerTestKit.SpawnedWorker child = kit.spawnChildWorker(WorkerTestKit.unique("child"));
    KWorkerExecutor executor = KWorkerExecutor.of(child.worker());
    Gate gate = new Gate();
    KWorkerFuture<?> running = executor.submit(gate::pass);
    gate.awaitEntered();
    List<KWorkerFuture<?>> pending = List.of(executor.submit(() -> { }),
        executor.schedule(() -> { }, 1, TimeUnit.HOURS),
        executor.scheduleWithFixedDelay(() -> { }, 0, 1, TimeUnit.HOURS));
    child.stopParent();
    pending.forEach(WorkerGoneTest::assertCancelled);
    assertFalse(executor.isTerminated(), "the running task holds the thread");
    gate.open();
    running.get(Await.LONG_SECONDS, TimeUnit.SECONDS);
    assertTrue(executor.awaitTermination(Await.LONG_SECONDS, TimeUnit.SECONDS));
  }

  /** The actor system terminates: every future of its executors completes, and they are terminated. */
  @Test
  void theActorSystemTerminatesAndEveryFutureCompletes() throws Exception {
    WorkerTestKit own = WorkerTestKit.create(WorkerTestKit.unique("terminating"));
    KWorkerExecutor executor = KWorkerExecutor.create(own.system(), "gone");
    Gate gate = Tasks.busy(executor);
    List<KWorkerFuture<?>> pending = List.of(executor.submit(() -> { }),
        executor.schedule(() -> { }, 1, TimeUnit.HOURS),
        executor.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.HOURS));
    Thread terminating = new Thread(own::terminate);
    terminating.start();
    pending.forEach(WorkerGoneTest::assertCancelled);
    gate.open();
    terminating.join(TimeUnit.SECONDS.toMillis(Await.LONG_SECONDS));
    assertTrue(executor.awaitTermination(Await.LONG_SECONDS, TimeUnit.SECONDS));
    assertThrows(RejectedExecutionException.class, () -> executor.submit(() -> { }));
  }
}
