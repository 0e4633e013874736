package io.kworker.conformance;

import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ManualTime;
import io.kworker.DelayedWork;
import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.WorkState;
import io.kworker.testing.Await;
import io.kworker.testing.Gate;
import io.kworker.testing.Recorder;
import io.kworker.testing.WorkerTestKit;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * kthread_mod_delayed_work after the kernel's 2021 fixes: "%false if @dwork was idle and queued, %true
 * otherwise" (its comment in kernel/kthread.c), one test per state the work can be in when it is called.
 */
class ModDelayedTest {
  static final WorkerTestKit kit = WorkerTestKit.withManualTime();
  static final ManualTime time = kit.manualTime();

  @AfterAll
  static void shutdown() {
    kit.shutdown();
  }

  /** Never queued, and idle after a run: false, and the work is armed. */
  @Test
  void idleWorkIsArmedAndGivesFalse() {
    KWorker worker = kit.newWorker("idle");
    Recorder rec = new Recorder();
    DelayedWork dw = rec.delayed("d");
    assertFalse(result(worker.modDelayed(dw, Duration.ofSeconds(1))));
    assertEquals(WorkState.ARMED, result(worker.state(dw)));
    time.timePasses(Duration.ofSeconds(1));
    DelayedWorkTest.awaitRuns(worker, rec, "d", 1);
    assertFalse(result(worker.modDelayed(dw, Duration.ofSeconds(1))));
    assertEquals(WorkState.ARMED, result(worker.state(dw)));
    assertTrue(result(worker.cancelSync(dw)));
  }

  /** Timer pending: true, and the timer is re-armed to now + delay. */
  @Test
  void armedWorkIsReArmedAndGivesTrue() {
    KWorker worker = kit.newWorker("armed");
    Recorder rec = new Recorder();
    DelayedWork dw = rec.delayed("d");
    result(worker.queueDelayed(dw, Duration.ofSeconds(10)));
    assertTrue(result(worker.modDelayed(dw, Duration.ofSeconds(1))));
    time.timePasses(Duration.ofSeconds(1));
    DelayedWorkTest.awaitRuns(worker, rec, "d", 1);
    time.timePasses(Duration.ofSeconds(10));
    kit.mailboxFence(worker, dw);
    result(worker.flush());
    assertEquals(1, rec.runs("d"), "the replaced expiry never runs the work");
  }

  /** Waiting in the queue: true; it is pulled back and re-armed, or moved to the tail for delay 0. */
  @Test
  void queuedWorkIsPulledBack() {
    KWorker worker = kit.newWorker("queued");
    Gate gate = new Gate();
    Recorder rec = new Recorder();
    result(worker.queue(Work.of("blocker", w -> { rec.record("blocker"); gate.pass(); })));
    gate.awaitEntered();
    DelayedWork dw = rec.delayed("d");
    result(worker.queue(dw));
    result(worker.queue(rec.work("other")));
    assertTrue(result(worker.modDelayed(dw, Duration.ofSeconds(5))));
    assertEquals(WorkState.ARMED, result(worker.state(dw)));
    assertTrue(result(worker.modDelayed(dw, Duration.ZERO)), "armed, moved to the tail");
    assertEquals(WorkState.PENDING, result(worker.state(dw)));
    gate.open();
    result(worker.flush());
    assertEquals(List.of("blocker", "other", "d"), rec.order());
  }

  /** Running and not pending: false; it runs again after the current run. */
  @Test
  void runningWorkIsQueuedAgainAndGivesFalse() {
    KWorker worker = kit.newWorker("running");
    Gate gate = new Gate();
    Recorder rec = new Recorder();
    DelayedWork dw = DelayedWork.of("d", w -> { rec.record("d"); if (rec.runs("d") == 1) gate.pass(); });
    result(worker.queue(dw));
    gate.awaitEntered();
    assertFalse(result(worker.modDelayed(dw, Duration.ZERO)));
    assertEquals(WorkState.RUNNING_AND_PENDING, result(worker.state(dw)));
    gate.open();
    result(worker.flush());
    assertEquals(2, rec.runs("d"));
  }

  /**
   * The 2021 hang (mod while cancel-sync waits for the running instance): mod gives true and queues
   * nothing, and the cancel completes.
   */
  @Test
  void modDuringCancelSyncQueuesNothingAndTheCancelCompletes() {
    KWorker worker = kit.newWorker("race-2021");
    Gate gate = new Gate();
    Recorder rec = new Recorder();
    DelayedWork dw = DelayedWork.of("d", w -> { rec.record("d"); gate.pass(); });
    result(worker.queue(dw));
    gate.awaitEntered();
    CompletionStage<Boolean> cancel = worker.cancelSync(dw);
    Await.until("cancel waits", () -> result(worker.status(dw)).canceling() == 1);
    assertTrue(result(worker.modDelayed(dw, Duration.ofSeconds(1))));
    assertTrue(result(worker.modDelayed(dw, Duration.ZERO)));
    gate.open();
    assertFalse(result(cancel));
    time.timePasses(Duration.ofSeconds(2));
    kit.mailboxFence(worker, dw);
    result(worker.flush());
    assertEquals(1, rec.runs("d"));
    assertEquals(WorkState.IDLE, result(worker.state(dw)));
  }

  /** Disabled: true, and nothing is queued (the count of pending instances is unchanged). */
  @Test
  void disabledWorkStaysIdle() {
    KWorker worker = kit.newWorker("disabled");
    DelayedWork dw = DelayedWork.of("d", () -> {});
    assertFalse(result(worker.disable(dw)));
    assertTrue(result(worker.modDelayed(dw, Duration.ZERO)));
    assertEquals(WorkState.IDLE, result(worker.state(dw)));
    assertTrue(result(worker.enable(dw)));
  }
}
