package io.kworker.conformance;

import static io.kworker.testing.Await.await;
import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kworker.DelayedWork;
import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.WorkState;
import io.kworker.testing.ExpectedLogs;
import io.kworker.testing.Gate;
import io.kworker.testing.Recorder;
import io.kworker.testing.WorkerTestKit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** kthread_queue_work and the worker loop: FIFO, one at a time, on the worker's own thread. */
class QueueTest {
  @RegisterExtension
  static final ExpectedLogs LOGS = ExpectedLogs.of(ExpectedLogs.WORK_FAILED);
  static final WorkerTestKit kit = WorkerTestKit.create();

  @AfterAll
  static void shutdown() {
    kit.shutdown();
  }

  /** Works run in the order they were queued, one at a time, each once. */
  @Test
  void runsInFifoOrderOneAtATime() {
    KWorker worker = kit.newWorker("fifo");
    Recorder rec = new Recorder();
    Gate gate = new Gate();
    Work first = Work.of("first", w -> { rec.record("first"); gate.pass(); });
    assertTrue(result(worker.queue(first)));
    gate.awaitEntered();
    List<String> expected = new ArrayList<>(List.of("first"));
    for (int i = 0; i < 50; i++) {
      assertTrue(result(worker.queue(rec.work("w" + i))));
      expected.add("w" + i);
    }
    gate.open();
    result(worker.flush());
    assertEquals(expected, rec.order());
    assertFalse(rec.overlapped());
  }

  /** "%false if it was already pending": queueing a queued work gives false and it runs once. */
  @Test
  void queueingAPendingWorkGivesFalse() {
    KWorker worker = kit.newWorker("pending");
    Recorder rec = new Recorder();
    Gate gate = new Gate();
    assertTrue(result(worker.queue(Work.of("blocker", w -> gate.pass()))));
    gate.awaitEntered();
    Work work = rec.work("a");
    assertTrue(result(worker.queue(work)));
    assertFalse(result(worker.queue(work)));
    assertEquals(WorkState.PENDING, result(worker.state(work)));
    gate.open();
    result(worker.flush());
    assertEquals(1, rec.runs("a"));
  }

  /** A running work is not pending: it may be queued again and then runs once more, after the run. */
  @Test
  void runningWorkCanBeQueuedAgain() {
    KWorker worker = kit.newWorker("requeue-running");
    Gate gate = new Gate();
    Recorder rec = new Recorder();
    Work work = Work.of("a", w -> { rec.record("a"); if (rec.runs("a") == 1) gate.pass(); });
    assertTrue(result(worker.queue(work)));
    gate.awaitEntered();
    assertEquals(WorkState.RUNNING, result(worker.state(work)));
    assertTrue(result(worker.queue(work)));
    assertEquals(WorkState.RUNNING_AND_PENDING, result(worker.state(work)));
    gate.open();
    result(worker.flush());
    assertEquals(2, rec.runs("a"));
    assertFalse(rec.overlapped());
    assertEquals(WorkState.IDLE, result(worker.state(work)));
  }

  /** A work requeued from inside its own function goes behind works queued earlier. */
  @Test
  void selfRequeueGoesBehindEarlierWorks() {
    KWorker worker = kit.newWorker("self-requeue");
    Recorder rec = new Recorder();
    Gate gate = new Gate();
    AtomicReference<CompletionStage<Boolean>> requeued = new AtomicReference<>();
    Work self = Work.of("self", w -> {
      rec.record("self");
      if (rec.runs("self") == 1) {
        gate.pass();
        requeued.set(worker.queue(w));
      }
    });
    assertTrue(result(worker.queue(self)));
    gate.awaitEntered();
    assertTrue(result(worker.queue(rec.work("b"))));
    assertTrue(result(worker.queue(rec.work("c"))));
    gate.open();
    result(worker.flush(self));
    assertTrue(result(requeued.get()));
    result(worker.flush());
    assertEquals(List.of("self", "b", "c", "self"), rec.order());
  }

  /** Works run on the worker's own thread kworker/NAME, never on the actor's thread. */
  @Test
  void runsOnTheWorkersOwnThread() {
    KWorker worker = kit.newWorker("thread");
    Recorder rec = new Recorder();
    result(worker.queue(rec.work("a")));
    result(worker.flush());
    assertEquals("kworker/" + worker.name(), rec.lastThread());
  }

  /** While a long work runs, the worker answers queue and cancelSync of other works at once. */
  @Test
  void answersWhileAWorkRuns() {
    KWorker worker = kit.newWorker("responsive");
    Gate gate = new Gate();
    Work longWork = Work.of("long", w -> gate.pass());
    result(worker.queue(longWork));
    gate.awaitEntered();
    Work other = Work.of("other", () -> {});
    assertTrue(result(worker.queue(other)));
    assertTrue(result(worker.cancelSync(other)));
    assertFalse(result(worker.cancelSync(Work.of("never queued", () -> {}))));
    assertEquals(WorkState.RUNNING, result(worker.state(longWork)));
    gate.open();
    result(worker.flush());
  }

  /** queue(delayedWork) queues it at once, as kthread_queue_work(&dwork->work). */
  @Test
  void queueOfADelayedWorkRunsItAtOnce() {
    KWorker worker = kit.newWorker("dwork-now");
    CountDownLatch ran = new CountDownLatch(1);
    DelayedWork dw = DelayedWork.of("d", ran::countDown);
    assertTrue(result(worker.queue(dw)));
    await(ran);
  }

  /** A work that throws is logged; the worker goes on and the run counts as finished for waiters. */
  @Test
  void throwingWorkDoesNotStopTheWorker() {
    KWorker worker = kit.newWorker("throws");
    Recorder rec = new Recorder();
    Gate gate = new Gate();
    Work bad = Work.of("bad", w -> { gate.pass(); throw new IllegalStateException("boom"); });
    Work err = Work.of("err", w -> { throw new AssertionError("an Error"); });
    result(worker.queue(bad));
    gate.awaitEntered();
    CompletionStage<akka.Done> flushed = worker.flush(bad);
    CompletionStage<Boolean> cancelled = worker.cancelSync(bad);
    gate.open();
    result(flushed);
    assertFalse(result(cancelled));
    result(worker.queue(err));
    result(worker.queue(rec.work("after")));
    result(worker.flush());
    assertEquals(1, rec.runs("after"));
    assertTrue(result(worker.queue(bad)), "a failed work can be queued again");
  }

  /** The Runnable and Consumer factories both give works with the given name. */
  @Test
  void factoriesKeepTheName() {
    Work a = Work.of("a", () -> {});
    Work b = Work.of("b", w -> {});
    DelayedWork c = DelayedWork.of("c", () -> {});
    DelayedWork d = DelayedWork.of("d", w -> {});
    assertEquals(List.of("a", "b", "c", "d"), List.of(a.name(), b.name(), c.name(), d.name()));
    assertTrue(a.worker().isEmpty());
  }

  /** A work is bound to the worker it was queued on. */
  @Test
  void workIsBoundToItsWorker() {
    KWorker worker = kit.newWorker("bind");
    Work a = Work.of("a", () -> {});
    result(worker.queue(a));
    assertEquals(worker, a.worker().orElseThrow());
  }

}
