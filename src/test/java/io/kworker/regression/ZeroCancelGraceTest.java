package io.kworker.regression;

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
import io.kworker.testing.WorkerTestKit;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Fixed in 6e218a9: a zero grace meant two things: cancelSync(work, Duration.ZERO) on the façade
 * interrupted the running work at once, the protocol's CancelSync(work, Duration.ZERO, replyTo) did not.
 * Guards one rule on both paths: a zero grace interrupts at once (and the cancel still completes only when
 * the work has returned, the interrupt kept to that run), and the protocol's two-argument CancelSync(work,
 * replyTo) is the kernel-exact cancel and never interrupts. (The lateness of a 1 ms grace is not tested
 * here: no timing assertions.)
 */
class ZeroCancelGraceTest {
  private static final WorkerTestKit KIT = WorkerTestKit.create();

  @AfterAll
  static void shutdown() {
    KIT.shutdown();
  }

  /** A work that runs until released or interrupted, and records which. */
  private static final class LongRun {
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch interrupted = new CountDownLatch(1);
    final AtomicInteger runs = new AtomicInteger();
    final Work work = Work.of("long-run", () -> {
      runs.incrementAndGet();
      started.countDown();
      try {
        if (!release.await(3 * Await.LONG_SECONDS, TimeUnit.SECONDS)) {
          throw new IllegalStateException("never released");
        }
      } catch (InterruptedException e) {
        interrupted.countDown();
      }
    });
  }

  /** The façade's zero grace interrupts at once. */
  @Test
  void zeroGraceCancelSyncOnTheFacadeInterruptsAtOnce() {
    zeroGraceInterrupts("zero-grace-facade", (w, work) -> w.cancelSync(work, Duration.ZERO));
  }

  @Test
  void zeroGraceCancelSyncThroughTheProtocolInterruptsAtOnce() {
    zeroGraceInterrupts("zero-grace-protocol", (w, work) -> KIT.<Boolean>ask(w, r -> new KWorker.CancelSync(work, Duration.ZERO, r)));
  }

  /**
   * CancelSync(work, replyTo) never interrupts. Before
   * the work is let go, a 1 ms timer armed after the cancel has fired: a zero-grace interrupt, had one
   * been scheduled, would have been due before it.
   */
  @Test
  void twoArgumentCancelSyncThroughTheProtocolNeverInterrupts() {
    KWorker w = KIT.newWorker("kernel-exact-cancel");
    LongRun run = new LongRun();
    CompletionStage<Boolean> cancel;
    try {
      assertTrue(result(w.queue(run.work)));
      Await.await(run.started);
      cancel = KIT.ask(w, r -> new KWorker.CancelSync(run.work, r));
      Await.until("the cancel was served", () -> result(w.status(run.work)).canceling() == 1);
      DelayedWork tick = DelayedWork.of("tick", () -> { });
      assertTrue(result(w.queueDelayed(tick, Duration.ofMillis(1))));
      Await.until("the 1 ms timer fired", () -> result(w.state(tick)) == WorkState.PENDING);
    } finally {
      run.release.countDown();
    }
    assertFalse(result(cancel), "the work was only running");
    assertEquals(1, run.interrupted.getCount(), "CancelSync(work, replyTo) interrupted work [long-run]");
    assertEquals(new WorkStatus(run.work, WorkState.IDLE, 0, 0), result(w.status(run.work)));
  }

  private void zeroGraceInterrupts(String prefix, BiFunction<KWorker, Work, CompletionStage<Boolean>> cancelSync) {
    KWorker w = KIT.newWorker(prefix);
    LongRun run = new LongRun();
    CompletionStage<Boolean> cancel;
    try {
      assertTrue(result(w.queue(run.work)));
      Await.await(run.started);
      cancel = cancelSync.apply(w, run.work);
      try {
        assertTrue(run.interrupted.await(Await.LONG_SECONDS, TimeUnit.SECONDS), "a zero grace interrupts "
            + "work [long-run] on worker [" + w.name() + "] at once; not interrupted within "
            + Await.LONG_SECONDS + " s");
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    } finally {
      run.release.countDown();
    }
    assertFalse(result(cancel), "the work was only running; the cancel completes once it has returned");
    assertEquals(1, run.runs.get());
    assertEquals(new WorkStatus(run.work, WorkState.IDLE, 0, 0), result(w.status(run.work)));
    // the interrupt was for that run only: the next work on the same thread is not interrupted
    CompletableFuture<Boolean> nextInterrupted = new CompletableFuture<>();
    assertTrue(result(w.queue(Work.of("next", () ->
        nextInterrupted.complete(Thread.currentThread().isInterrupted())))));
    assertFalse(result(nextInterrupted), "the next work started with its thread interrupted");
  }
}
