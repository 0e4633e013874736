package io.kworker.conformance;

import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kworker.DelayedWork;
import io.kworker.KWorker;
import io.kworker.WorkState;
import io.kworker.testing.Await;
import io.kworker.testing.Recorder;
import io.kworker.testing.WorkerTestKit;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Delayed works on kworker's timer thread (the shipped configuration) in real time; the kernel rules
 * themselves are tested under manual time in {@link DelayedWorkTest} and {@link ModDelayedTest}.
 */
class RealTimeDelayTest {
  static final WorkerTestKit kit = WorkerTestKit.create();

  @AfterAll
  static void shutdown() {
    kit.shutdown();
  }

  /** The work runs once, never before its delay, on the worker's thread. */
  @Test
  void runsOnceNotBeforeItsDelay() throws Exception {
    KWorker worker = kit.newWorker("real-delay");
    AtomicLong startedAt = new AtomicLong();
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch ran = new CountDownLatch(1);
    DelayedWork dw = DelayedWork.of("d", w -> {
      startedAt.set(System.nanoTime());
      runs.incrementAndGet();
      ran.countDown();
    });
    long before = System.nanoTime();
    assertTrue(result(worker.queueDelayed(dw, Duration.ofMillis(20))));
    assertTrue(ran.await(30, TimeUnit.SECONDS), "the delayed work never ran");
    assertTrue(startedAt.get() - before >= TimeUnit.MILLISECONDS.toNanos(20), "ran before its delay");
    result(worker.flush());
    assertEquals(WorkState.IDLE, result(worker.state(dw)));
    assertEquals(1, runs.get());
  }

  /**
   * A cancelled timer never runs its work, and a re-armed one runs once, at the new expiry. Either order
   * of the cancel and the 10 ms expiry is accepted, each with its exact outcome (until 6e218a9 the test
   * required the cancel to come first, which a loaded machine once missed).
   */
  @Test
  void cancelAndModOnTheTimerThread() {
    KWorker worker = kit.newWorker("real-mod");
    Recorder rec = new Recorder();
    DelayedWork cancelled = rec.delayed("cancelled");
    DelayedWork moved = rec.delayed("moved");
    DelayedWork witness = rec.delayed("witness");
    assertTrue(result(worker.queueDelayed(cancelled, Duration.ofMillis(10))));
    assertTrue(result(worker.queueDelayed(moved, Duration.ofHours(1))));
    boolean removed = result(worker.cancel(cancelled)); // false only if its expiry was served first
    assertTrue(result(worker.modDelayed(moved, Duration.ofMillis(10))), "it was pending");
    assertTrue(result(worker.queueDelayed(witness, Duration.ofMillis(50))));
    Await.until("witness ran", () -> rec.runs("witness") == 1);
    Await.until("moved ran", () -> rec.runs("moved") == 1);
    result(worker.flush());
    assertEquals(removed ? 0 : 1, rec.runs("cancelled"), "cancel gave " + removed);
    assertEquals(1, rec.runs("moved"));
    assertFalse(result(worker.cancel(moved)), "nothing left to cancel");
  }

  /** A self-re-arming work stops for good once cancelSync returns. */
  @Test
  void selfReArmingWorkStopsOnCancelSync() {
    KWorker worker = kit.newWorker("real-heartbeat");
    AtomicInteger beats = new AtomicInteger();
    DelayedWork[] self = new DelayedWork[1];
    self[0] = DelayedWork.of("beat", w -> {
      beats.incrementAndGet();
      worker.queueDelayed(self[0], Duration.ofMillis(1));
    });
    result(worker.queueDelayed(self[0], Duration.ofMillis(1)));
    Await.until("three beats", () -> beats.get() >= 3);
    result(worker.cancelSync(self[0]));
    int after = beats.get();
    assertEquals(WorkState.IDLE, result(worker.state(self[0])));
    // a witness due after any 1 ms re-arm would have been: once it has run, such a beat would have too
    Recorder rec = new Recorder();
    result(worker.queueDelayed(rec.delayed("witness"), Duration.ofMillis(20)));
    Await.until("witness ran", () -> rec.runs("witness") == 1);
    assertEquals(after, beats.get(), "a beat after cancelSync returned");
  }
}
