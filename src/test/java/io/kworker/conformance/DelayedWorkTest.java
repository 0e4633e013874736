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
import io.kworker.testing.Gate;
import io.kworker.testing.Recorder;
import io.kworker.testing.WorkerTestKit;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** kthread_queue_delayed_work and kthread_mod_delayed_work, under manual time. */
class DelayedWorkTest {
  static final WorkerTestKit kit = WorkerTestKit.withManualTime();
  static final ManualTime time = kit.manualTime();

  @AfterAll
  static void shutdown() {
    kit.shutdown();
  }

  /** The work runs once its delay has passed, and not before. */
  @Test
  void runsAfterItsDelay() {
    KWorker worker = kit.newWorker("delay");
    Recorder rec = new Recorder();
    DelayedWork dw = rec.delayed("d");
    assertTrue(result(worker.queueDelayed(dw, Duration.ofSeconds(10))));
    time.timePasses(Duration.ofSeconds(9));
    result(worker.flush());
    assertEquals(WorkState.ARMED, result(worker.state(dw)));
    assertEquals(0, rec.runs("d"));
    time.timePasses(Duration.ofSeconds(2));
    awaitRuns(worker, rec, "d", 1);
  }

  /** "delay == 0: insert straight at the tail of work_list": behind works queued earlier. */
  @Test
  void zeroDelayQueuesAtTheTailAtOnce() {
    KWorker worker = kit.newWorker("zero");
    Gate gate = new Gate();
    Recorder rec = new Recorder();
    result(worker.queue(Work.of("first", w -> { rec.record("first"); gate.pass(); })));
    gate.awaitEntered();
    result(worker.queue(rec.work("second")));
    DelayedWork dw = rec.delayed("zero");
    assertTrue(result(worker.queueDelayed(dw, Duration.ZERO)));
    assertEquals(WorkState.PENDING, result(worker.state(dw)));
    gate.open();
    result(worker.flush());
    assertEquals(List.of("first", "second", "zero"), rec.order());
  }

  /** "Queueing while a timer is pending does not change the expiry": false, and it keeps its time. */
  @Test
  void armedWorkKeepsItsExpiry() {
    KWorker worker = kit.newWorker("keep");
    Recorder rec = new Recorder();
    DelayedWork dw = rec.delayed("d");
    assertTrue(result(worker.queueDelayed(dw, Duration.ofSeconds(5))));
    assertFalse(result(worker.queueDelayed(dw, Duration.ofSeconds(1))));
    assertFalse(result(worker.queue(dw)));
    time.timePasses(Duration.ofSeconds(2));
    result(worker.flush());
    assertEquals(0, rec.runs("d"));
    time.timePasses(Duration.ofSeconds(4));
    awaitRuns(worker, rec, "d", 1);
  }

  /** A cancelled timer never runs its work, even when its expiry comes at the same tick. */
  @Test
  void cancelledTimerNeverRuns() {
    KWorker worker = kit.newWorker("stale");
    Recorder rec = new Recorder();
    DelayedWork dw = rec.delayed("d");
    result(worker.queueDelayed(dw, Duration.ofSeconds(1)));
    time.timePasses(Duration.ofSeconds(1)); // expiry message sent; the cancel races it in the mailbox
    boolean removed = result(worker.cancelSync(dw));
    result(worker.flush());
    assertEquals(removed ? 0 : 1, rec.runs("d"), "true iff the cancel took it before it ran");
    time.timePasses(Duration.ofSeconds(5));
    result(worker.flush());
    assertEquals(removed ? 0 : 1, rec.runs("d"));
    assertEquals(WorkState.IDLE, result(worker.state(dw)));
  }

  /** A re-armed timer's first expiry is stale: the work runs once, at the new time. */
  @Test
  void modReplacesTheTimer() {
    KWorker worker = kit.newWorker("mod");
    Recorder rec = new Recorder();
    DelayedWork dw = rec.delayed("d");
    assertFalse(result(worker.modDelayed(dw, Duration.ofSeconds(1))), "idle: queued, false");
    assertTrue(result(worker.modDelayed(dw, Duration.ofSeconds(10))), "armed: re-armed, true");
    time.timePasses(Duration.ofSeconds(2));
    result(worker.flush());
    assertEquals(0, rec.runs("d"));
    assertEquals(WorkState.ARMED, result(worker.state(dw)));
    time.timePasses(Duration.ofSeconds(9));
    awaitRuns(worker, rec, "d", 1);
  }

  /** A delayed work re-arming itself from its function runs once per period until cancelled. */
  @Test
  void selfReArmingWorkStopsOnCancel() {
    KWorker worker = kit.newWorker("periodic");
    Recorder rec = new Recorder();
    DelayedWork dw = DelayedWork.of("tick", w -> {
      rec.record("tick");
      worker.queueDelayed(w, Duration.ofSeconds(1));
    });
    result(worker.queueDelayed(dw, Duration.ofSeconds(1)));
    for (int i = 1; i <= 3; i++) {
      time.timePasses(Duration.ofSeconds(1));
      awaitRuns(worker, rec, "tick", i);
      io.kworker.testing.Await.until("re-armed", () -> result(worker.state(dw)) == WorkState.ARMED);
    }
    assertTrue(result(worker.cancelSync(dw)));
    time.timePasses(Duration.ofSeconds(5));
    result(worker.flush());
    assertEquals(3, rec.runs("tick"));
  }

  /** On Akka's scheduler, delays beyond its range (about 24 days at a 1 ms tick) are stepped, not refused. */
  @Test
  void veryLongDelaysWork() {
    KWorker worker = kit.newWorker("long");
    Recorder rec = new Recorder();
    DelayedWork dw = rec.delayed("d");
    assertTrue(result(worker.queueDelayed(dw, Duration.ofDays(50))));
    for (int days : new int[] {20, 20, 9}) { // steps of 20 days; each re-arms at its expiry
      time.timePasses(Duration.ofDays(days));
      kit.mailboxFence(worker, dw);
    }
    assertEquals(WorkState.ARMED, result(worker.state(dw)));
    assertEquals(0, rec.runs("d"));
    time.timePasses(Duration.ofDays(2));
    awaitRuns(worker, rec, "d", 1);
  }

  /** Waits for the timer's message to reach the worker and the run to finish. */
  static void awaitRuns(KWorker worker, Recorder rec, String name, int runs) {
    io.kworker.testing.Await.until(name + " ran " + runs + " times", () -> {
      result(worker.flush());
      return rec.runs(name) >= runs;
    });
    assertEquals(runs, rec.runs(name));
  }
}
