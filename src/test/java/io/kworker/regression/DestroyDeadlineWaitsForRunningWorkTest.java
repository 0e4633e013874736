package io.kworker.regression;

import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kworker.DestroyReport;
import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.testing.Gate;
import io.kworker.testing.WorkerTestKit;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Regression test. The bug, as this harness found it on 8918027 (fixed on main since): {@code destroy(Duration)} promises to complete at the deadline "with a report naming them and the
 * one still running, instead of waiting for it", but its stage completes only when the running work
 * returns. {@code WorkerBehavior.onPostStop} answers every destroyer with
 * {@code lane.stopped().whenComplete(...)}, DESTROY_REPORT included, and the lane stops only after the
 * running work has returned.
 */
class DestroyDeadlineWaitsForRunningWorkTest {
  private static final WorkerTestKit KIT = WorkerTestKit.withManualTime();

  @AfterAll
  static void stop() {
    KIT.shutdown();
  }

  /** destroy(deadline) completes at the deadline with a report naming the still-running work and the discarded one while the running work is still blocked. */
  @Test
  void destroyWithDeadlineDoesNotWaitForTheRunningWork() throws Exception {
    KWorker w = KIT.newWorker("destroy-deadline");
    Gate gate = new Gate();
    Work stuck = Work.of("stuck", x -> gate.pass());
    Work behind = Work.of("behind", x -> { });
    assertTrue(result(w.queue(stuck)));
    gate.awaitEntered();
    assertTrue(result(w.queue(behind)));
    CompletableFuture<DestroyReport> report = w.destroy(Duration.ofMillis(100)).toCompletableFuture();
    result(w.status(stuck)); // destroy accepted
    KIT.timePasses(100);
    try {
      DestroyReport r = report.get(10, TimeUnit.SECONDS); // the work blocks far longer (until released below)
      assertFalse(r.completed());
      assertEquals(List.of(stuck), r.stillRunning());
      assertEquals(List.of(behind), r.discarded());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("destroy(100 ms) did not complete while work [stuck] still runs", e);
    } finally {
      gate.open();
    }
  }
}
