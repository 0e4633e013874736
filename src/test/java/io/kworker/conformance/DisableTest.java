package io.kworker.conformance;

import static io.kworker.testing.Await.failure;
import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kworker.DelayedWork;
import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.WorkState;
import io.kworker.testing.Await;
import io.kworker.testing.Gate;
import io.kworker.testing.Recorder;
import io.kworker.testing.WorkerTestKit;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The 6.10 workqueue's counted disable/enable ({@code disable_work}, {@code enable_work} in
 * kernel/workqueue.c), and flush_delayed_work, cancel_work, work_busy.
 */
class DisableTest {
  static final WorkerTestKit kit = WorkerTestKit.create();

  @AfterAll
  static void shutdown() {
    kit.shutdown();
  }

  /** disable removes a pending instance (true); while disabled every queueing gives false. */
  @Test
  void disableRefusesQueueingUntilEnabled() {
    KWorker worker = kit.newWorker("disable");
    Gate gate = new Gate();
    Recorder rec = new Recorder();
    result(worker.queue(Work.of("blocker", w -> gate.pass())));
    gate.awaitEntered();
    DelayedWork dw = rec.delayed("d");
    result(worker.queue(dw));
    assertTrue(result(worker.disable(dw)));
    assertFalse(result(worker.disable(dw)), "nothing pending the second time; count is 2");
    assertEquals(2, result(worker.status(dw)).disabled());
    assertFalse(result(worker.queue(dw)));
    assertFalse(result(worker.queueDelayed(dw, Duration.ofSeconds(1))));
    assertFalse(result(worker.enable(dw)), "count 2 -> 1");
    assertFalse(result(worker.queue(dw)));
    assertTrue(result(worker.enable(dw)), "count 1 -> 0");
    assertEquals(WorkState.IDLE, result(worker.state(dw)), "enable queues nothing");
    assertTrue(result(worker.queue(dw)));
    gate.open();
    result(worker.flush());
    assertEquals(1, rec.runs("d"));
  }

  /** enable of a work that is not disabled is an error, not a silent zero. */
  @Test
  void enableUnderflowIsAnError() {
    KWorker worker = kit.newWorker("underflow");
    Work w = Work.of("w", () -> {});
    Throwable t = failure(worker.enable(w));
    assertTrue(t instanceof IllegalStateException && t.getMessage().contains("[w]"), t.toString());
    assertTrue(failure(worker.enableAndQueue(w)) instanceof IllegalStateException);
  }

  /** enableAndQueue gives whether the count reached zero, and then queues. */
  @Test
  void enableAndQueue() {
    KWorker worker = kit.newWorker("enable-queue");
    Recorder rec = new Recorder();
    Work w = rec.work("w");
    result(worker.disable(w));
    result(worker.disable(w));
    assertFalse(result(worker.enableAndQueue(w)));
    assertEquals(WorkState.IDLE, result(worker.state(w)));
    assertTrue(result(worker.enableAndQueue(w)));
    result(worker.flush());
    assertEquals(1, rec.runs("w"));
  }

  /** disableSync waits for the running instance, and the running work sees the request. */
  @Test
  void disableSyncWaitsAndSignalsTheRun() {
    KWorker worker = kit.newWorker("disable-sync");
    Gate gate = new Gate();
    AtomicBoolean sawRequest = new AtomicBoolean();
    Work w = Work.of("w", self -> {
      gate.pass();
      sawRequest.set(self.cancelRequested());
    });
    result(worker.queue(w));
    gate.awaitEntered();
    assertFalse(w.cancelRequested(), "false outside the work's own run");
    CompletionStage<Boolean> disabled = worker.disableSync(w);
    Await.until("disable registered", () -> result(worker.status(w)).disabled() == 1);
    assertFalse(disabled.toCompletableFuture().isDone());
    gate.open();
    assertFalse(result(disabled));
    assertTrue(sawRequest.get());
    assertFalse(result(worker.queue(w)));
    assertTrue(result(worker.enable(w)));
  }

  /** flushDelayed fires an armed timer now, waits for the run, and gives true; idle gives false. */
  @Test
  void flushDelayedRunsAnArmedWorkNow() {
    KWorker worker = kit.newWorker("flush-delayed");
    Recorder rec = new Recorder();
    DelayedWork dw = rec.delayed("d");
    assertFalse(result(worker.flushDelayed(dw)));
    result(worker.queueDelayed(dw, Duration.ofHours(1)));
    assertTrue(result(worker.flushDelayed(dw)));
    assertEquals(1, rec.runs("d"));
    assertEquals(WorkState.IDLE, result(worker.state(dw)));
  }

  /** pending and busy follow work_pending and work_busy. */
  @Test
  void pendingAndBusy() {
    KWorker worker = kit.newWorker("busy");
    Gate gate = new Gate();
    Work w = Work.of("w", self -> gate.pass());
    assertFalse(result(worker.pending(w)));
    assertFalse(result(worker.busy(w)));
    result(worker.queue(w));
    gate.awaitEntered();
    assertFalse(result(worker.pending(w)));
    assertTrue(result(worker.busy(w)));
    result(worker.queue(w));
    assertTrue(result(worker.pending(w)));
    gate.open();
    result(worker.cancelSync(w));
    assertFalse(result(worker.busy(w)));
  }
}
