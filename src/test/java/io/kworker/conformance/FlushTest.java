package io.kworker.conformance;

import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import io.kworker.DelayedWork;
import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.WorkState;
import io.kworker.testing.ExpectedLogs;
import io.kworker.testing.Gate;
import io.kworker.testing.Recorder;
import io.kworker.testing.WorkerTestKit;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** kthread_flush_work and kthread_flush_worker: where the barrier goes and what it waits for. */
class FlushTest {
  @RegisterExtension
  static final ExpectedLogs LOGS = ExpectedLogs.of(ExpectedLogs.ARMED_AT_DESTROY);
  static final WorkerTestKit kit = WorkerTestKit.create();

  @AfterAll
  static void shutdown() {
    kit.shutdown();
  }

  /** An idle or never-queued work: flush completes at once. */
  @Test
  void flushOfAnIdleWorkCompletesAtOnce() {
    KWorker worker = kit.newWorker("idle");
    Work work = Work.of("w", () -> {});
    assertEquals(Done.getInstance(), result(worker.flush(work)));
    result(worker.queue(work));
    result(worker.flush(work));
    assertEquals(Done.getInstance(), result(worker.flush(work)));
  }

  /** A pending work: the barrier goes right after it, so flush waits for it and what runs before it. */
  @Test
  void flushOfAPendingWorkWaitsForThatInstanceOnly() {
    KWorker worker = kit.newWorker("pending");
    Gate first = new Gate();
    Gate last = new Gate();
    Recorder rec = new Recorder();
    result(worker.queue(Work.of("first", w -> { rec.record("first"); first.pass(); })));
    first.awaitEntered();
    Work target = rec.work("target");
    result(worker.queue(target));
    result(worker.queue(Work.of("last", w -> { rec.record("last"); last.pass(); })));
    CompletionStage<Done> flushed = worker.flush(target);
    assertFalse(flushed.toCompletableFuture().isDone());
    first.open();
    result(flushed);
    assertEquals(List.of("first", "target"), rec.order().subList(0, 2));
    last.awaitEntered();
    last.open();
    result(worker.flush());
  }

  /** A work that is only running: the barrier jumps ahead of every queued work. */
  @Test
  void flushOfARunningWorkDoesNotWaitForWorksQueuedBehindIt() {
    KWorker worker = kit.newWorker("running");
    Gate running = new Gate();
    Gate behind = new Gate();
    Work target = Work.of("target", w -> running.pass());
    result(worker.queue(target));
    running.awaitEntered();
    result(worker.queue(Work.of("behind", w -> behind.pass())));
    CompletionStage<Done> flushed = worker.flush(target);
    assertFalse(flushed.toCompletableFuture().isDone());
    running.open();
    behind.awaitEntered();
    result(flushed); // completes while "behind" is still held
    behind.open();
    result(worker.flush());
  }

  /** A delayed work whose timer is armed: flush completes at once (the kernel hangs here). */
  @Test
  void flushOfAnArmedWorkCompletesAtOnce() {
    KWorker worker = kit.newWorker("armed");
    DelayedWork dw = DelayedWork.of("d", () -> {});
    assertTrue(result(worker.queueDelayed(dw, Duration.ofHours(1))));
    assertEquals(Done.getInstance(), result(worker.flush(dw)));
    assertEquals(WorkState.ARMED, result(worker.state(dw)));
    assertTrue(result(worker.cancelSync(dw)));
  }

  /** flush of a pending work that is then cancelled still completes, at the barrier's place. */
  @Test
  void flushCompletesWhenItsTargetIsCancelled() {
    KWorker worker = kit.newWorker("cancelled");
    Gate gate = new Gate();
    result(worker.queue(Work.of("blocker", w -> gate.pass())));
    gate.awaitEntered();
    Work target = Work.of("target", () -> {});
    result(worker.queue(target));
    CompletionStage<Done> flushed = worker.flush(target);
    assertTrue(result(worker.cancelSync(target)));
    gate.open();
    result(flushed);
  }

  /** flush() waits for the running work and everything queued before the call, not for later works. */
  @Test
  void flushWorkerWaitsForEverythingQueuedBefore() {
    KWorker worker = kit.newWorker("worker");
    Gate gate = new Gate();
    Gate later = new Gate();
    Recorder rec = new Recorder();
    result(worker.queue(Work.of("running", w -> { rec.record("running"); gate.pass(); })));
    gate.awaitEntered();
    for (int i = 0; i < 5; i++) {
      result(worker.queue(rec.work("q" + i)));
    }
    CompletionStage<Done> flushed = worker.flush();
    result(worker.queue(Work.of("later", w -> { rec.record("later"); later.pass(); })));
    assertFalse(flushed.toCompletableFuture().isDone());
    gate.open();
    result(flushed);
    assertEquals(List.of("running", "q0", "q1", "q2", "q3", "q4"), rec.order().subList(0, 6));
    later.awaitEntered();
    later.open();
  }

  /** flush() does not wait for armed timers. */
  @Test
  void flushWorkerIgnoresArmedTimers() {
    KWorker worker = kit.newWorker("timers");
    DelayedWork dw = DelayedWork.of("d", () -> {});
    result(worker.queueDelayed(dw, Duration.ofHours(1)));
    result(worker.flush());
    assertEquals(WorkState.ARMED, result(worker.state(dw)));
  }
}
