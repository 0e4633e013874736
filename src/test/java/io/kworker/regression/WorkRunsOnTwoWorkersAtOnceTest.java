package io.kworker.regression;

import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kworker.DestroyReport;
import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.testing.Await;
import io.kworker.testing.ExpectedLogs;
import io.kworker.testing.Gate;
import io.kworker.testing.WorkerTestKit.SpawnedWorker;
import io.kworker.testing.WorkerTestKit;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fixed in 2452dd0: a work ran on two workers at once. When a worker's actor stopped while one of its
 * works ran (parent stopped, system terminated, or the deadline of {@code destroy(Duration)} passed),
 * PostStop marked the worker closed at once, though its lane was still inside the work; a closed worker's
 * works were free to bind elsewhere, so another worker took the work and ran it while the first lane
 * still did, against {@code Work}'s promise that a work "runs at most once at a time" and "can move to
 * another only after that worker is destroyed". Found by the fault-injection harness on 8918027, and
 * again by the independent review. Guards that a work still running on a stopped worker is refused by
 * another worker until that run has returned, and never runs on two workers at once.
 */
class WorkRunsOnTwoWorkersAtOnceTest {
  @RegisterExtension
  static final ExpectedLogs LOGS = ExpectedLogs.of(ExpectedLogs.REFUSED, ExpectedLogs.DEADLINE_MISSED);
  private static final WorkerTestKit KIT = WorkerTestKit.create();

  @AfterAll
  static void stop() {
    KIT.shutdown();
  }

  /** The first worker stops with its parent while the work runs on it. */
  @Test
  void aWorkStillRunningOnAWorkerStoppedWithItsParentRunsNowhereElse() {
    SpawnedWorker child = KIT.spawnChildWorker(WorkerTestKit.unique("two-runs-first"));
    KWorker first = child.worker();
    aWorkStillRunningOnAStoppedWorkerRunsNowhereElse(first, x -> {
      child.stopParent();
      Await.until("the first worker is gone", () -> Await.failure(first.queue(Work.of("y", () -> { })))
          .getMessage().contains("is destroyed"));
    });
  }

  /** The first worker's destroy(deadline) passes while the work runs on it, and reports it still running. */
  @Test
  void aWorkStillRunningPastADestroyDeadlineRunsNowhereElse() {
    KWorker first = KIT.newWorker("two-runs-deadline");
    aWorkStillRunningOnAStoppedWorkerRunsNowhereElse(first, x -> {
      DestroyReport report = result(first.destroy(Duration.ofMillis(50)));
      assertEquals(List.of(x), report.stillRunning(), report.toString());
    });
  }

  private static void aWorkStillRunningOnAStoppedWorkerRunsNowhereElse(KWorker first, Consumer<Work> stopFirst) {
    KWorker second = KIT.newWorker("two-runs-second");
    Gate gate = new Gate();
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger maxInside = new AtomicInteger();
    AtomicInteger runs = new AtomicInteger();
    Work x = Work.of("x", self -> {
      maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
      try {
        if (runs.incrementAndGet() == 1) {
          gate.pass(); // the first run, on the first worker, is held here
        }
      } finally {
        inside.decrementAndGet();
      }
    });
    try {
      result(first.queue(x));
      gate.awaitEntered();
      stopFirst.accept(x);
      CompletionStage<Boolean> moved = second.queue(x);
      Await.until("the second worker refused work [x], or ran it",
          () -> runs.get() > 1 || moved.toCompletableFuture().isCompletedExceptionally());
    } finally {
      gate.open();
    }
    assertEquals(1, maxInside.get(), "work [x] ran on two workers at the same time");
  }
}
