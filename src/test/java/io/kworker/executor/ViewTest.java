package io.kworker.executor;

import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kworker.KWorker;
import io.kworker.KWorkerExecutor;
import io.kworker.KWorkerFuture;
import io.kworker.Work;
import io.kworker.testing.Await;
import io.kworker.testing.Gate;
import io.kworker.testing.WorkerTestKit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** KWorkerExecutor.of(worker): a view of a worker made elsewhere, which its shutdown never ends. */
class ViewTest {
  static final WorkerTestKit kit = WorkerTestKit.create();

  @AfterAll
  static void shutdown() {
    kit.shutdown();
  }

  /** A view's tasks and the worker's own works share one FIFO queue. */
  @Test
  void tasksAndWorksShareOneQueue() throws Exception {
    KWorker worker = kit.newWorker("shared");
    KWorkerExecutor view = KWorkerExecutor.of(worker);
    assertSame(worker, view.worker());
    StringBuffer order = new StringBuffer();
    Gate gate = Tasks.busy(view);
    worker.queue(Work.of("a", () -> order.append("a")));
    view.submit(() -> order.append("b"));
    worker.queue(Work.of("c", () -> order.append("c")));
    gate.open();
    result(worker.flush());
    assertEquals("abc", order.toString());
  }

  /**
   * shutdown of a view rejects its new tasks and cancels its periodic ones, but the worker lives on; the
   * view terminates when the worker's owner destroys it.
   */
  @Test
  void shutdownOfAViewLeavesTheWorkerAlive() throws Exception {
    KWorker worker = kit.newWorker("alive");
    KWorkerExecutor view = KWorkerExecutor.of(worker);
    KWorkerFuture<?> periodic = view.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.HOURS);
    KWorkerFuture<String> oneShot = view.schedule(() -> "ran", 1, TimeUnit.MILLISECONDS);
    view.shutdown();
    assertTrue(view.isShutdown());
    assertTrue(periodic.isCancelled());
    assertThrows(RejectedExecutionException.class, () -> view.submit(() -> { }));
    assertEquals("ran", oneShot.get(Await.LONG_SECONDS, TimeUnit.SECONDS));
    assertTrue(result(worker.queue(Work.of("still", () -> { }))), "the worker still takes works");
    result(worker.flush());
    assertFalse(view.awaitTermination(10, TimeUnit.MILLISECONDS));
    result(worker.destroy());
    assertTrue(view.awaitTermination(Await.LONG_SECONDS, TimeUnit.SECONDS));
  }

  /**
   * shutdownNow of a view returns its tasks that never started and interrupts its running one; the
   * worker's own works still run.
   */
  @Test
  void shutdownNowOfAViewTakesOnlyItsOwnTasks() throws Exception {
    KWorker worker = kit.newWorker("view-now");
    KWorkerExecutor view = KWorkerExecutor.of(worker);
    Gate gate = Tasks.busy(view);
    AtomicInteger runs = new AtomicInteger();
    AtomicBoolean ownRan = new AtomicBoolean();
    Set<Object> notStarted = new HashSet<>(List.of(view.submit(runs::incrementAndGet),
        view.schedule(runs::incrementAndGet, 1, TimeUnit.HOURS),
        view.scheduleWithFixedDelay(runs::incrementAndGet, 1, 1, TimeUnit.HOURS)));
    worker.queue(Work.of("own", () -> ownRan.set(true)));
    List<Runnable> returned = view.shutdownNow();
    assertEquals(notStarted, new HashSet<>(returned));
    returned.forEach(r -> assertFalse(((KWorkerFuture<?>) r).isDone()));
    Await.until("the running task was interrupted", gate::interrupted);
    result(worker.flush());
    assertTrue(ownRan.get());
    assertEquals(0, runs.get());
  }

  /**
   * shutdownNow of a view from inside one of its tasks (it waits on the worker's own thread for the
   * worker's answers) returns the view's tasks behind it; the worker's own work behind it still runs.
   */
  @Test
  void shutdownNowOfAViewFromInsideItsTask() throws Exception {
    KWorker worker = kit.newWorker("view-inside");
    KWorkerExecutor view = KWorkerExecutor.of(worker);
    Gate gate = Tasks.busy(view);
    AtomicInteger runs = new AtomicInteger();
    AtomicBoolean ownRan = new AtomicBoolean();
    KWorkerFuture<List<Runnable>> stopper = view.submit(() -> {
      List<Runnable> left = view.shutdownNow();
      Thread.interrupted(); // shutdownNow interrupts the view's running task: this one
      return left;
    });
    KWorkerFuture<?> behind = view.submit(runs::incrementAndGet);
    worker.queue(Work.of("own", () -> ownRan.set(true)));
    gate.open();
    assertEquals(List.of(behind), new java.util.ArrayList<>(stopper.get(Await.LONG_SECONDS, TimeUnit.SECONDS)));
    result(worker.flush());
    assertTrue(ownRan.get());
    assertEquals(0, runs.get());
    assertTrue(view.isShutdown());
  }
}
