package io.kworker.regression;

import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.testing.Await;
import io.kworker.testing.Gate;
import io.kworker.testing.WorkerTestKit;
import io.kworker.testing.WorkerTestKit.SpawnedWorker;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Regression test. The bug, as this harness found it on 8918027 (fixed on main since): a work runs on two workers at once. When a worker's actor stops while one of its works runs
 * (parent stopped, system terminated, or the deadline of {@code destroy(Duration)}), {@code onPostStop}
 * calls {@code handle.markClosed()} at once, though the lane is still inside the work until it returns.
 * {@code KthreadWork.bindTo} treats a closed handle as free, so another worker binds the work, and its lane
 * runs it while the first lane still does. {@code Work}'s javadoc promises that a work "runs at most
 * once at a time" and "can move to another only after that worker is destroyed". Expected: the second
 * worker refuses the work (IllegalArgumentException naming both) until the first lane has returned from
 * it, or runs it only after that.
 */
class WorkRunsOnTwoWorkersAtOnceTest {
  private static final WorkerTestKit KIT = WorkerTestKit.create();

  @AfterAll
  static void stop() {
    KIT.shutdown();
  }

  /** A work still running on a stopped worker's thread does not start on another worker until it returns. */
  @Test
  void aWorkStillRunningOnAStoppedWorkerDoesNotRunElsewhere() {
    SpawnedWorker child = KIT.spawnChildWorker(WorkerTestKit.unique("two-runs-first"));
    KWorker first = child.worker();
    KWorker second = KIT.newWorker("two-runs-second");
    Gate gate = new Gate();
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger maxInside = new AtomicInteger();
    AtomicInteger runs = new AtomicInteger();
    Work x = Work.of("x", self -> {
      maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
      if (runs.incrementAndGet() == 1) {
        gate.pass(); // the first run, on the first worker, is held here
      }
      inside.decrementAndGet();
    });
    result(first.queue(x));
    gate.awaitEntered();
    child.stopParent();
    Await.until("the first worker is gone", () -> Await.failure(first.queue(Work.of("y", () -> { })))
        .getMessage().contains("is destroyed"));
    CompletionStage<Boolean> moved = second.queue(x);
    try {
      Boolean accepted = moved.toCompletableFuture().get(Await.LONG_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
      if (accepted) {
        result(second.flush()); // if the second worker took it, let its run happen (or not) now
      }
    } catch (Exception refused) {
      // refusing is a correct answer
    } finally {
      gate.open();
    }
    assertEquals(1, maxInside.get(), "work [x] ran on two workers at the same time");
  }
}
