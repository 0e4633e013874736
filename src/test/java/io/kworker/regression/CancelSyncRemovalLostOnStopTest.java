package io.kworker.regression;

import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.WorkState;
import io.kworker.testing.Await;
import io.kworker.testing.Gate;
import io.kworker.testing.WorkerTestKit;
import io.kworker.testing.WorkerTestKit.SpawnedWorker;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Regression test. The bug, as this harness found it on 8918027 (fixed on main since): a cancelSync that removed a pending instance and is waiting for the running one answers
 * {@code false} if the worker actor stops meanwhile (parent stopped, system terminated). Its
 * {@code Request.removed} is already true, but {@code WorkerBehavior.onPostStop} answers every parked
 * waiter through {@code WorkerHandle.answerClosed}, which uses the per-op constant {@code Op.Closed.FALSE}
 * and ignores {@code r.removed}. The caller is told nothing was removed, so the reference count of
 * pending instances ({@code #queued - #removed - #runs}) is off by one. The same constant answers a
 * parked {@code disableSync} that removed an instance ({@code false}) and a parked {@code flushDelayed}
 * that waited ({@code false}, though "true if it waited").
 */
class CancelSyncRemovalLostOnStopTest {
  private static final WorkerTestKit KIT = WorkerTestKit.create();

  @AfterAll
  static void stop() {
    KIT.shutdown();
  }

  /** A cancelSync that removed the pending instance still answers true when the worker stops before the running instance returns. */
  @Test
  void cancelSyncKeepsItsRemovalWhenTheWorkerStops() {
    SpawnedWorker child = KIT.spawnChildWorker(WorkerTestKit.unique("removal-lost"));
    KWorker w = child.worker();
    Gate gate = new Gate();
    Work a = Work.of("a", x -> gate.pass());
    assertTrue(result(w.queue(a)));
    gate.awaitEntered();
    assertTrue(result(w.queue(a)));
    assertTrue(result(w.state(a)) == WorkState.RUNNING_AND_PENDING);
    CompletionStage<Boolean> cancel = w.cancelSync(a); // removes the pending instance, waits for the run
    Await.until("cancel parked", () -> result(w.status(a)).canceling() == 1);
    child.stopParent();
    Await.until("worker stopped", () -> w.queue(a).toCompletableFuture().isCompletedExceptionally());
    assertFalse(cancel.toCompletableFuture().isDone());
    gate.open();
    assertTrue(result(cancel), "cancelSync removed the pending instance, yet answered false");
  }

  /** A disableSync that removed the pending instance, and a flushDelayed that waited, keep their answers when the worker stops before the running instance returns. */
  @Test
  void disableSyncAndFlushDelayedKeepTheirAnswersWhenTheWorkerStops() {
    SpawnedWorker child = KIT.spawnChildWorker(WorkerTestKit.unique("removal-lost"));
    KWorker w = child.worker();
    Gate gate = new Gate();
    io.kworker.DelayedWork a = io.kworker.DelayedWork.of("a", x -> gate.pass());
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
