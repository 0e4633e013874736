package io.kworker.conformance;

import static io.kworker.testing.Await.await;
import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kworker.DelayedWork;
import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.WorkState;
import io.kworker.WorkStatus;
import io.kworker.testing.Await;
import io.kworker.testing.Gate;
import io.kworker.testing.Recorder;
import io.kworker.testing.WorkerTestKit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** kthread_cancel_work_sync / kthread_cancel_delayed_work_sync, with the canceling count. */
class CancelSyncTest {
  static final WorkerTestKit kit = WorkerTestKit.create();

  @AfterAll
  static void shutdown() {
    kit.shutdown();
  }

  /** "worker = work->worker; if (!worker) return false": a never-queued work gives false at once. */
  @Test
  void neverQueuedWorkGivesFalse() {
    KWorker worker = kit.newWorker("never");
    assertFalse(result(worker.cancelSync(Work.of("w", () -> {}))));
  }

  /** A pending work is removed (true) and never runs. */
  @Test
  void cancelWhilePendingRemovesIt() {
    KWorker worker = kit.newWorker("pending");
    Gate gate = new Gate();
    Recorder rec = new Recorder();
    result(worker.queue(Work.of("blocker", w -> gate.pass())));
    gate.awaitEntered();
    Work work = rec.work("victim");
    assertTrue(result(worker.queue(work)));
    assertTrue(result(worker.cancelSync(work)));
    assertEquals(WorkState.IDLE, result(worker.state(work)));
    gate.open();
    result(worker.flush());
    assertEquals(0, rec.runs("victim"));
  }

  /** A work that is only running: the cancel waits for the run to return, then gives false. */
  @Test
  void cancelWhileRunningWaitsAndGivesFalse() {
    KWorker worker = kit.newWorker("running");
    Gate gate = new Gate();
    AtomicBoolean returned = new AtomicBoolean();
    Work work = Work.of("w", w -> { gate.pass(); returned.set(true); });
    result(worker.queue(work));
    gate.awaitEntered();
    CompletionStage<Boolean> cancel = worker.cancelSync(work);
    Await.until("the cancel is registered", () -> result(worker.status(work)).canceling() == 1);
    assertFalse(cancel.toCompletableFuture().isDone(), "cancelSync must wait for the running instance");
    gate.open();
    assertFalse(result(cancel));
    assertTrue(returned.get(), "completed only after the function returned");
    assertEquals(WorkStatus.idle(work), result(worker.status(work)));
  }

  /** Running and pending: the pending instance is removed (true) after waiting for the run. */
  @Test
  void cancelWhileRunningAndPendingGivesTrueAfterTheRun() {
    KWorker worker = kit.newWorker("running-pending");
    Gate gate = new Gate();
    AtomicInteger runs = new AtomicInteger();
    Work work = Work.of("w", w -> { runs.incrementAndGet(); gate.pass(); });
    result(worker.queue(work));
    gate.awaitEntered();
    assertTrue(result(worker.queue(work)));
    CompletionStage<Boolean> cancel = worker.cancelSync(work);
    Await.until("the cancel waits", () -> result(worker.status(work)).canceling() == 1);
    assertFalse(cancel.toCompletableFuture().isDone());
    gate.open();
    assertTrue(result(cancel));
    result(worker.flush());
    assertEquals(1, runs.get());
  }

  /** "This function can be used even if the work re-queues itself": it stops for good. */
  @Test
  void cancelStopsASelfRequeueingWorkForGood() {
    KWorker worker = kit.newWorker("self");
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch spinning = new CountDownLatch(20);
    Work work = Work.of("self", w -> {
      runs.incrementAndGet();
      spinning.countDown();
      worker.queue(w);
    });
    result(worker.queue(work));
    await(spinning);
    result(worker.cancelSync(work));
    int after = runs.get();
    assertEquals(WorkState.IDLE, result(worker.state(work)));
    result(worker.flush());
    assertEquals(after, runs.get(), "no run after cancelSync completed");
  }

  /** Eight parallel cancels of a running and pending work all wait; exactly one gives true. */
  @Test
  void eightParallelCancelsAllWaitAndOneWins() {
    KWorker worker = kit.newWorker("parallel");
    Gate gate = new Gate();
    AtomicBoolean returned = new AtomicBoolean();
    Work work = Work.of("w", w -> { gate.pass(); returned.set(true); });
    result(worker.queue(work));
    gate.awaitEntered();
    result(worker.queue(work));
    List<CompletableFuture<Boolean>> cancels = new ArrayList<>();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      CompletableFuture<Boolean> slot = new CompletableFuture<>();
      cancels.add(slot);
      Thread t = new Thread(() -> {
        await(go);
        worker.cancelSync(work).whenComplete((v, e) -> {
          if (e != null) {
            slot.completeExceptionally(e);
          } else {
            slot.complete(v && returned.get());
          }
        });
      });
      threads.add(t);
      t.start();
    }
    go.countDown();
    Await.until("eight cancels wait", () -> result(worker.status(work)).canceling() == 8);
    cancels.forEach(c -> assertFalse(c.isDone(), "every cancel waits for the run"));
    gate.open();
    long trues = cancels.stream().filter(Await::result).count();
    assertEquals(1, trues, "exactly one cancel removed the pending instance");
    assertEquals(0, result(worker.status(work)).canceling());
  }

  /** While a cancel waits, queue, queueDelayed and a self-requeue give false and queue nothing. */
  @Test
  void queueingDuringACancelIsRefused() {
    KWorker worker = kit.newWorker("blocked");
    Gate gate = new Gate();
    AtomicInteger runs = new AtomicInteger();
    DelayedWork work = DelayedWork.of("w", w -> { runs.incrementAndGet(); gate.pass(); });
    result(worker.queue(work));
    gate.awaitEntered();
    CompletionStage<Boolean> cancel = worker.cancelSync(work);
    Await.until("the cancel waits", () -> result(worker.status(work)).canceling() == 1);
    assertFalse(result(worker.queue(work)));
    assertFalse(result(worker.queueDelayed(work, java.time.Duration.ZERO)));
    assertFalse(result(worker.queueDelayed(work, java.time.Duration.ofMillis(1))));
    assertTrue(result(worker.modDelayed(work, java.time.Duration.ZERO)),
        "mod loses to the canceler: true, nothing queued");
    assertEquals(WorkState.RUNNING, result(worker.state(work)));
    gate.open();
    assertFalse(result(cancel));
    result(worker.flush());
    assertEquals(1, runs.get());
    assertTrue(result(worker.queue(work)), "queueing works again once the cancel completed");
  }

  /** A delayed work whose timer is armed: the timer is cancelled (true) and the work never runs. */
  @Test
  void cancelOfAnArmedWorkDisarmsIt() {
    KWorker worker = kit.newWorker("armed");
    Recorder rec = new Recorder();
    DelayedWork work = rec.delayed("d");
    assertTrue(result(worker.queueDelayed(work, java.time.Duration.ofHours(1))));
    assertEquals(WorkState.ARMED, result(worker.state(work)));
    assertTrue(result(worker.cancelSync(work)));
    assertEquals(WorkState.IDLE, result(worker.state(work)));
    assertFalse(result(worker.cancelSync(work)));
  }

  /** The non-waiting cancel removes a pending instance but does not wait for a running one. */
  @Test
  void cancelDoesNotWait() {
    KWorker worker = kit.newWorker("cancel");
    Gate gate = new Gate();
    Work work = Work.of("w", w -> gate.pass());
    result(worker.queue(work));
    gate.awaitEntered();
    assertTrue(result(worker.queue(work)));
    assertTrue(result(worker.cancel(work)));
    assertFalse(result(worker.cancel(work)));
    assertEquals(WorkState.RUNNING, result(worker.state(work)));
    gate.open();
    result(worker.flush());
  }
}
