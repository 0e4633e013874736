package io.kworker.fault;

import static io.kworker.internal.Internals.TIMER;
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
import io.kworker.testing.ManualClock;
import io.kworker.testing.WorkerTestKit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Faults where time matters, under Akka's manual time: grace periods, expiries racing cancels, leaks. */
class ManualTimeFaultTest {
  @RegisterExtension
  static final ExpectedLogs LOGS =
      ExpectedLogs.of(ExpectedLogs.ARMED_AT_DESTROY, ExpectedLogs.REFUSED, ExpectedLogs.DEADLINE_MISSED);
  private static final WorkerTestKit KIT = WorkerTestKit.withManualTime();

  @AfterAll
  static void stop() {
    KIT.shutdown();
  }

  /** cancelSync with a grace period sets cancelRequested at once, interrupts a work blocked far longer than the test only once the grace has passed, completes only after it returned, and the interrupt does not leak into the next work. */
  @Test
  void cancelSyncGraceInterruptsABlockedWork() {
    KWorker w = KIT.newWorker("grace");
    CountDownLatch never = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(1);
    AtomicBoolean sawRequest = new AtomicBoolean();
    AtomicBoolean interrupted = new AtomicBoolean();
    AtomicBoolean nextInterrupted = new AtomicBoolean(true);
    Work stuck = Work.of("stuck", x -> {
      entered.countDown();
      try {
        never.await(); // far longer than the test
      } catch (InterruptedException e) {
        interrupted.set(true);
        sawRequest.set(x.cancelRequested());
      }
    });
    Work next = Work.of("next", x -> nextInterrupted.set(Thread.currentThread().isInterrupted()));
    assertTrue(result(w.queue(stuck)));
    Await.await(entered);
    assertTrue(result(w.queue(next)));
    CompletionStage<Boolean> cancel = w.cancelSync(stuck, Duration.ofSeconds(5));
    Await.until("cancel parked", () -> result(w.status(stuck)).canceling() == 1);
    KIT.timePasses(4_999);
    result(w.status(stuck)); // nothing is due before 5,000 ms, so no interrupt can be in flight
    assertFalse(interrupted.get(), "interrupted before the grace period ended");
    assertFalse(cancel.toCompletableFuture().isDone());
    KIT.timePasses(1);
    assertFalse(result(cancel), "stuck was only running");
    assertTrue(interrupted.get());
    assertTrue(sawRequest.get(), "cancelRequested() inside the interrupted run");
    result(w.flush());
    assertFalse(nextInterrupted.get(), "the interrupt leaked into the next work");
    result(w.destroy());
  }

  /**
   * The timer-leak checks below count kworker's timers among the manual scheduler's tasks: an armed
   * delayed work is seen, and a cancelled one is gone, so that a count of 0 means something.
   */
  @Test
  void timerLeakChecksSeeAnArmedTimer() {
    KWorker w = KIT.newWorker("seen");
    DelayedWork d = DelayedWork.of("d", x -> { });
    long before = ManualClock.scheduledOf(KIT.system(), TIMER);
    assertTrue(result(w.queueDelayed(d, Duration.ofHours(1))));
    assertEquals(before + 1, ManualClock.scheduledOf(KIT.system(), TIMER), "the armed timer is seen");
    assertTrue(result(w.cancelSync(d)));
    assertEquals(before, ManualClock.scheduledOf(KIT.system(), TIMER), "the cancelled timer is gone");
    result(w.destroy());
  }

  /** A cancelSync called before the clock reaches a timer's expiry, with the expiry firing while it is processed, returns true and the work never runs. */
  @Test
  void expiryAtTheTickOfACancelNeverRuns() {
    KWorker w = KIT.newWorker("tick");
    AtomicInteger runs = new AtomicInteger();
    DelayedWork d = DelayedWork.of("d", x -> runs.incrementAndGet());
    for (int i = 0; i < 300; i++) {
      assertTrue(result(w.queueDelayed(d, Duration.ofMillis(10))));
      CompletionStage<Boolean> cancel = w.cancelSync(d);
      KIT.timePasses(10); // the expiry message races the cancel
      assertTrue(result(cancel), "round " + i);
      result(w.flush());
      assertEquals(0, runs.get(), "round " + i);
      assertEquals(WorkState.IDLE, result(w.state(d)));
    }
    assertEquals(0, ManualClock.scheduledOf(KIT.system(), TIMER));
    result(w.destroy());
  }

  /** When the expiry is sent before the cancel is called, the cancel either removes the instance (true, and it never runs) or waits for its run (false, and that one run is over when it answers). */
  @Test
  void expiryJustBeforeACancel() {
    KWorker w = KIT.newWorker("tick2");
    AtomicInteger started = new AtomicInteger();
    AtomicInteger ended = new AtomicInteger();
    DelayedWork d = DelayedWork.of("d", x -> {
      started.incrementAndGet();
      ended.incrementAndGet();
    });
    int removed = 0;
    for (int i = 0; i < 300; i++) {
      int before = ended.get();
      assertTrue(result(w.queueDelayed(d, Duration.ofMillis(10))));
      KIT.timePasses(10);
      boolean r = result(w.cancelSync(d));
      if (r) {
        removed++;
        result(w.flush());
        assertEquals(before, ended.get(), "removed, yet it ran (round " + i + ")");
      } else {
        assertEquals(1, ended.get() - before, "not removed, so its one run is over (round " + i + ")");
      }
      assertEquals(started.get(), ended.get());
      assertEquals(WorkState.IDLE, result(w.state(d)));
    }
    System.out.println("expiryJustBeforeACancel: cancel removed the instance in " + removed + " of 300 rounds");
    result(w.destroy());
  }

  /** destroy(deadline) refuses queueing at once, drops armed timers, and when the deadline passes discards the works that did not start and completes with a report naming the one still running, without waiting for it. */
  @Test
  void destroyDeadlineReportsABlockedWorkAndDiscardsTheRest() {
    KWorker w = KIT.newWorker("deadline");
    Gate gate = new Gate();
    AtomicInteger behindRuns = new AtomicInteger();
    Work stuck = Work.of("stuck", x -> gate.pass());
    Work behind = Work.of("behind", x -> behindRuns.incrementAndGet());
    DelayedWork armed = DelayedWork.of("armed", x -> behindRuns.incrementAndGet());
    assertTrue(result(w.queue(stuck)));
    gate.awaitEntered();
    assertTrue(result(w.queue(behind)));
    assertTrue(result(w.queueDelayed(armed, Duration.ofSeconds(1))));
    CompletionStage<DestroyReport> report = w.destroy(Duration.ofMillis(500));
    Throwable refused = Await.failure(w.queue(Work.of("late", x -> { })));
    assertTrue(refused instanceof java.util.concurrent.RejectedExecutionException, refused.toString());
    assertTrue(refused.getMessage().contains("being destroyed"), refused.getMessage());
    KIT.timePasses(499);
    assertEquals(WorkState.PENDING, result(w.state(behind)), "not discarded before the deadline");
    assertEquals(WorkState.IDLE, result(w.state(armed)), "its timer was dropped at destroy");
    KIT.timePasses(1);
    DestroyReport r;
    try {
      r = result(report); // at the deadline, while the work still blocks
    } finally {
      gate.open();
    }
    assertFalse(r.completed());
    assertEquals(List.of(stuck), r.stillRunning());
    assertEquals(List.of(behind), r.discarded());
    assertEquals(0, behindRuns.get());
    assertEquals(0, ManualClock.scheduledOf(KIT.system(), TIMER));
  }

  /** Creating and destroying 1,000 workers, each with a run behind it and a timer armed far ahead, gives back every dedicated thread and every timer. */
  @Test
  void thousandWorkersLeaveNoThreadsOrTimers() {
    int before = liveKworkerThreads("kworker/leak-");
    int totalBefore = Thread.activeCount();
    for (int batch = 0; batch < 10; batch++) {
      List<KWorker> workers = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        KWorker w = KWorker.create(KIT.system(), WorkerTestKit.unique("leak"), "dedicated");
        workers.add(w);
        assertTrue(result(w.queue(Work.of("once", x -> { }))));
        assertTrue(result(w.queueDelayed(DelayedWork.of("later", x -> { }), Duration.ofHours(1))));
      }
      for (KWorker w : workers) {
        result(w.flush());
      }
      assertTrue(ManualClock.scheduledOf(KIT.system(), TIMER) >= 100, "the batch's armed timers are seen");
      assertTrue(liveKworkerThreads("kworker/leak-") >= 1);
      for (KWorker w : workers) {
        result(w.destroy());
      }
    }
    Await.until("kworker/leak-* threads end", () -> liveKworkerThreads("kworker/leak-") == before);
    Await.until("thread count back near " + totalBefore, () -> Thread.activeCount() <= totalBefore + 8);
    assertEquals(0, ManualClock.scheduledOf(KIT.system(), TIMER), "armed timers left in the scheduler");
  }

  private static int liveKworkerThreads(String prefix) {
    return (int) Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith(prefix))
        .count();
  }
}
