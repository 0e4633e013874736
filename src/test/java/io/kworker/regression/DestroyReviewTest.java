package io.kworker.regression;

import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import akka.Done;
import io.kworker.DestroyReport;
import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.WorkStatus;
import io.kworker.testing.Await;
import io.kworker.testing.Gate;
import io.kworker.testing.WorkerTestKit;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Review findings around destroy / actor stop (PostStop). */
class DestroyReviewTest {
  static final WorkerTestKit kit = WorkerTestKit.create();

  @AfterAll
  static void shutdown() {
    kit.shutdown();
  }

  /**
   * destroy() then destroy(deadline): the second call joins the first (WorkerBehavior.destroy returns
   * before scheduling its DestroyDeadline), so its deadline is never armed and the bounded destroy
   * hangs as long as the stuck work runs.
   */
  @Test
  void boundedDestroyAfterPlainDestroyHonoursItsDeadline() throws Exception {
    KWorker worker = kit.newWorker("rv-destroy-twice");
    Gate gate = new Gate();
    result(worker.queue(Work.of("stuck", w -> gate.pass())));
    gate.awaitEntered();
    try {
      CompletionStage<Done> plain = worker.destroy();
      CompletionStage<DestroyReport> bounded = worker.destroy(Duration.ofMillis(100));
      DestroyReport report;
      try {
        report = bounded.toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        fail("destroy(100ms) issued after destroy() did not complete within 10 s: its deadline was ignored");
        return;
      }
      assertFalse(report.completed(), report.toString());
      assertFalse(plain.toCompletableFuture().isDone(), "plain destroy waits for the thread");
    } finally {
      gate.open();
    }
  }

  /**
   * cancelSync removed a pending instance (so it must answer true), then waited for the running one;
   * the worker stops meanwhile (here: destroy(deadline) expires). PostStop answers every parked
   * request with the closed-worker default (Op.CANCEL_SYNC -> FALSE) and forgets Request.removed,
   * so the caller is told "nothing was pending". Breaks the kernel contract and the refcount of
   * issue 3.
   */
  @Test
  void cancelSyncThatRemovedAPendingInstanceAnswersTrueEvenIfTheWorkerStops() {
    KWorker worker = kit.newWorker("rv-cancel-stop");
    Gate gate = new Gate();
    Work work = Work.of("w", w -> gate.pass());
    result(worker.queue(work));
    gate.awaitEntered();
    assertTrue(result(worker.queue(work)), "running and pending");
    CompletionStage<Boolean> cancel = worker.cancelSync(work);
    WorkStatus st = result(worker.status(work));
    assertEquals(1, st.canceling(), st.toString()); // the cancel removed the pending one and waits
    try {
      DestroyReport report = result(worker.destroy(Duration.ofMillis(50)));
      assertFalse(report.completed());
    } finally {
      gate.open();
    }
    assertTrue(result(cancel), "cancelSync removed the pending instance, so it must give true");
  }

  /**
   * WorkerHandle.closed is set in PostStop right after Lane.close(), which does not wait for the work
   * running on the lane. A work whose old worker reported it "still running" (or was simply stopped)
   * can therefore be bound to a new worker and run there while its old run has not returned: the same
   * work runs twice at once. (Work's javadoc: "runs at most once at a time ... can move to another
   * only after that worker is destroyed".)
   */
  @Test
  void aWorkNeverRunsOnTwoWorkersAtOnce() {
    KWorker a = kit.newWorker("rv-move-a");
    KWorker b = kit.newWorker("rv-move-b");
    Gate gate = new Gate();
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger runs = new AtomicInteger();
    AtomicBoolean overlap = new AtomicBoolean();
    CountDownLatch second = new CountDownLatch(1);
    Work work = Work.of("mover", w -> {
      if (inFlight.incrementAndGet() > 1) {
        overlap.set(true);
      }
      try {
        if (runs.incrementAndGet() == 1) {
          gate.pass();
        } else {
          second.countDown();
        }
      } finally {
        inFlight.decrementAndGet();
      }
    });
    result(a.queue(work));
    gate.awaitEntered();
    try {
      DestroyReport report = result(a.destroy(Duration.ofMillis(50)));
      assertEquals(List.of(work), report.stillRunning(), report.toString());
      // The kernel would make cancelSync wait for the run; on b it answers at once.
      CompletionStage<Boolean> q = b.queue(work);
      Await.until("second run started, or queue on b refused",
          () -> second.getCount() == 0 || q.toCompletableFuture().isCompletedExceptionally());
    } finally {
      gate.open();
    }
    assertFalse(overlap.get(), "the work ran on worker b while its run on worker a had not returned");
  }
}
