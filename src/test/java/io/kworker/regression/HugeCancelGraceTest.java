package io.kworker.regression;

import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.pattern.StatusReply;
import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.WorkState;
import io.kworker.WorkStatus;
import io.kworker.testing.Await;
import io.kworker.testing.WorkerTestKit;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fixed in 6e218a9: a cancelSync grace beyond Akka's scheduler range (300 days, ChronoUnit.FOREVER)
 * failed at once with "too far in future" and, through the protocol, then answered a second time when
 * the run ended. Guards that such a grace means "never interrupt": the cancel waits for the running
 * work to return and answers once, on the façade and through the protocol.
 */
class HugeCancelGraceTest {
  private static final WorkerTestKit KIT = WorkerTestKit.create();

  @AfterAll
  static void shutdown() {
    KIT.shutdown();
  }

  static Stream<Duration> hugeGraces() {
    return Support.hugeDurations();
  }

  /** A work that runs until released, and records whether it was interrupted. */
  private static final class LongRun {
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicBoolean interrupted = new AtomicBoolean();
    final AtomicInteger runs = new AtomicInteger();
    final Work work = Work.of("long-run", () -> {
      runs.incrementAndGet();
      started.countDown();
      try {
        if (!release.await(3 * Await.LONG_SECONDS, TimeUnit.SECONDS)) {
          throw new IllegalStateException("never released");
        }
      } catch (InterruptedException e) {
        interrupted.set(true);
      }
    });
  }

  @ParameterizedTest(name = "grace {0}")
  @MethodSource("hugeGraces")
  void cancelSyncWithAGraceBeyondTheSchedulerRangeWaitsForTheRunAndNeverInterrupts(Duration grace) {
    KWorker w = KIT.newWorker("huge-grace");
    LongRun run = new LongRun();
    try {
      assertTrue(result(w.queue(run.work)));
      Await.await(run.started);
      CompletionStage<Boolean> cancel = w.cancelSync(run.work, grace);
      assertEquals(1, result(w.status(run.work)).canceling(), "the cancel waits for the run");
      assertFalse(cancel.toCompletableFuture().isDone(), () -> "cancelSync(work [long-run], " + grace
          + ") on worker [" + w.name() + "] must wait for the running work, but it " + Support.describe(cancel));
      run.release.countDown();
      assertFalse(result(cancel), "the work was only running");
    } finally {
      run.release.countDown();
    }
    assertFalse(run.interrupted.get(), "a grace of " + grace + " never interrupts");
    assertEquals(1, run.runs.get());
    WorkStatus after = result(w.status(run.work));
    assertEquals(new WorkStatus(run.work, WorkState.IDLE, 0, 0), after);
  }

  @ParameterizedTest(name = "grace {0}")
  @MethodSource("hugeGraces")
  void cancelSyncWithAGraceBeyondTheSchedulerRangeThroughTheProtocolAnswersOnceAfterTheRun(Duration grace) {
    KWorker w = KIT.newWorker("huge-grace-protocol");
    LongRun run = new LongRun();
    TestProbe<StatusReply<Boolean>> probe = KIT.testKit().createTestProbe();
    try {
      assertTrue(result(w.queue(run.work)));
      Await.await(run.started);
      w.ref().tell(new KWorker.CancelSync(run.work, grace, probe.getRef()));
      Await.until("the cancel was served", () -> result(w.status(run.work)).canceling() == 1);
      run.release.countDown();
      StatusReply<Boolean> reply = probe.receiveMessage(WorkerTestKit.ASK_TIMEOUT);
      assertTrue(reply.isSuccess(), () -> "CancelSync(work [long-run], " + grace + ") on worker [" + w.name()
          + "] must wait for the run and answer false, not fail: " + reply.getError());
      assertFalse(reply.getValue(), "the work was only running");
      probe.expectNoMessage(Duration.ofMillis(500)); // one command, one reply (a guard; cannot give a false failure)
    } finally {
      run.release.countDown();
    }
    assertFalse(run.interrupted.get(), "a grace of " + grace + " never interrupts");
    assertEquals(new WorkStatus(run.work, WorkState.IDLE, 0, 0), result(w.status(run.work)));
  }
}
