package io.kworker.conformance;

import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.testing.Await;
import io.kworker.testing.WorkerTestKit;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** What the kernel cannot offer: a running work learns that a cancel waits, and may be interrupted. */
class CooperativeCancelTest {
  static final WorkerTestKit kit = WorkerTestKit.create();

  @AfterAll
  static void shutdown() {
    kit.shutdown();
  }

  /** A long work polling cancelRequested() returns early; the cancel completes after it returned. */
  @Test
  void workReturnsEarlyWhenACancelWaits() {
    KWorker worker = kit.newWorker("coop");
    CountDownLatch started = new CountDownLatch(1);
    AtomicBoolean returnedEarly = new AtomicBoolean();
    Work w = Work.of("poller", self -> {
      started.countDown();
      while (!self.cancelRequested()) {
        Thread.onSpinWait();
      }
      returnedEarly.set(true);
    });
    result(worker.queue(w));
    Await.await(started);
    assertFalse(result(worker.cancelSync(w)));
    assertTrue(returnedEarly.get());
  }

  /** After the grace period the thread is interrupted; the cancel completes when the work returned. */
  @Test
  void blockedWorkIsInterruptedAfterTheGracePeriod() {
    KWorker worker = kit.newWorker("interrupt");
    CountDownLatch started = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    Work w = Work.of("sleeper", self -> {
      started.countDown();
      try {
        new CountDownLatch(1).await(); // blocks until interrupted
      } catch (InterruptedException e) {
        interrupted.set(true);
      }
    });
    result(worker.queue(w));
    Await.await(started);
    assertFalse(result(worker.cancelSync(w, Duration.ofMillis(20))));
    assertTrue(interrupted.get());
    // the interrupt did not leak into the next work
    AtomicBoolean nextInterrupted = new AtomicBoolean(true);
    result(worker.queue(Work.of("next", () -> nextInterrupted.set(Thread.currentThread().isInterrupted()))));
    result(worker.flush());
    assertFalse(nextInterrupted.get());
  }
}
