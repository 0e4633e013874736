package io.kworker.regression;

import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kworker.DelayedWork;
import io.kworker.DestroyReport;
import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.WorkState;
import io.kworker.testing.Await;
import io.kworker.testing.ExpectedLogs;
import io.kworker.testing.Gate;
import io.kworker.testing.WorkerTestKit.SpawnedWorker;
import io.kworker.testing.WorkerTestKit;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fixed in 973146c (cancelSync, disableSync) and d169338 (flushDelayed): a cancelSync that had removed a
 * pending instance and was waiting for the running one answered {@code false} when the worker actor
 * stopped meanwhile (parent stopped, system terminated, destroy deadline passed): PostStop answered every
 * parked waiter with its operation's closed-worker constant and ignored what the call had already done,
 * so the caller was told nothing was removed and its count of pending instances (queued − removed − runs)
 * was off by one; a parked disableSync that had removed an instance, and a parked flushDelayed that had
 * waited, got the same {@code false}. Found by the fault-injection harness on 8918027, and again by the
 * independent review. Guards that such a call keeps its answer, whichever way the worker stops.
 */
class CancelSyncRemovalLostOnStopTest {
  @RegisterExtension
  static final ExpectedLogs LOGS = ExpectedLogs.of(ExpectedLogs.REFUSED, ExpectedLogs.DEADLINE_MISSED);
  private static final WorkerTestKit KIT = WorkerTestKit.create();

  @AfterAll
  static void stop() {
    KIT.shutdown();
  }

  /** The worker stops with its parent while the cancelSync waits: it still answers true once the run returns. */
  @Test
  void cancelSyncKeepsItsRemovalWhenTheWorkersParentStops() {
    SpawnedWorker child = KIT.spawnChildWorker(WorkerTestKit.unique("removal-lost"));
    KWorker w = child.worker();
    cancelSyncKeepsItsRemovalWhenTheWorkerStops(w, work -> {
      child.stopParent();
      Await.until("worker stopped", () -> w.queue(work).toCompletableFuture().isCompletedExceptionally());
    });
  }

  /** destroy(deadline) passes while the cancelSync waits: it still answers true once the run returns. */
  @Test
  void cancelSyncKeepsItsRemovalWhenADestroyDeadlinePasses() {
    KWorker w = KIT.newWorker("removal-deadline");
    cancelSyncKeepsItsRemovalWhenTheWorkerStops(w, work -> {
      DestroyReport report = result(w.destroy(Duration.ofMillis(50)));
      assertFalse(report.completed(), "the running work outlived the deadline: " + report);
    });
  }

  private static void cancelSyncKeepsItsRemovalWhenTheWorkerStops(KWorker w, Consumer<Work> stop) {
    Gate gate = new Gate();
    Work a = Work.of("a", x -> gate.pass());
    try {
      assertTrue(result(w.queue(a)));
      gate.awaitEntered();
      assertTrue(result(w.queue(a)));
      assertEquals(WorkState.RUNNING_AND_PENDING, result(w.state(a)));
      CompletionStage<Boolean> cancel = w.cancelSync(a); // removes the pending instance, waits for the run
      Await.until("cancel parked", () -> result(w.status(a)).canceling() == 1);
      stop.accept(a);
      assertFalse(cancel.toCompletableFuture().isDone(), "cancelSync answered while the work still runs");
      gate.open();
      assertTrue(result(cancel), "cancelSync removed the pending instance, yet answered false");
    } finally {
      gate.open();
    }
  }

  /** A disableSync that removed the pending instance, and a flushDelayed that waited, keep their answers when the worker stops before the running instance returns. */
  @Test
  void disableSyncAndFlushDelayedKeepTheirAnswersWhenTheWorkerStops() {
    SpawnedWorker child = KIT.spawnChildWorker(WorkerTestKit.unique("removal-lost"));
    KWorker w = child.worker();
    Gate gate = new Gate();
    DelayedWork a = DelayedWork.of("a", x -> gate.pass());
    assertTrue(result(w.queue(a)));
    gate.awaitEntered();
    CompletionStage<Boolean> flushed = w.flushDelayed(a); // only running: waits, so true
    assertTrue(result(w.queue(a)));
    CompletionStage<Boolean> disabled = w.disableSync(a); // removes the pending instance, waits
    result(w.status(a));
    child.stopParent();
    Await.until("worker stopped", () -> w.queue(a).toCompletableFuture().isCompletedExceptionally());
    gate.open();
    assertTrue(result(flushed), "flushDelayed waited for the run, yet answered false");
    assertTrue(result(disabled), "disableSync removed the pending instance, yet answered false");
  }
}
