package io.kworker.conformance;

import static io.kworker.testing.Await.failure;
import static io.kworker.testing.Await.result;
import static io.kworker.testing.WorkerTestKit.threadAlive;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import io.kworker.DelayedWork;
import io.kworker.DestroyReport;
import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.WorkState;
import io.kworker.testing.Await;
import io.kworker.testing.ExpectedLogs;
import io.kworker.testing.Gate;
import io.kworker.testing.Recorder;
import io.kworker.testing.WorkerTestKit;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** kthread_destroy_worker: flush what was queued, drop armed timers, stop, refuse from then on. */
class DestroyTest {
  @RegisterExtension
  static final ExpectedLogs LOGS =
      ExpectedLogs.of(ExpectedLogs.ARMED_AT_DESTROY, ExpectedLogs.REFUSED, ExpectedLogs.DEADLINE_MISSED);
  static final WorkerTestKit kit = WorkerTestKit.create();

  @AfterAll
  static void shutdown() {
    kit.shutdown();
  }

  /** Works queued before destroy run in FIFO order; armed timers are dropped; then it stops. */
  @Test
  void destroyRunsQueuedWorksAndDropsArmedOnes() {
    KWorker worker = kit.newWorker("destroy");
    Gate gate = new Gate();
    Recorder rec = new Recorder();
    result(worker.queue(Work.of("running", w -> { rec.record("running"); gate.pass(); })));
    gate.awaitEntered();
    result(worker.queue(rec.work("a")));
    result(worker.queue(rec.work("b")));
    DelayedWork armed = rec.delayed("armed");
    result(worker.queueDelayed(armed, Duration.ofHours(1)));
    CompletionStage<Done> destroyed = worker.destroy();
    Work late = rec.work("late");
    Throwable refused = failure(worker.queue(late));
    assertTrue(refused instanceof RejectedExecutionException, refused.toString());
    assertTrue(refused.getMessage().contains(worker.name()) && refused.getMessage().contains("late"),
        refused.getMessage());
    assertFalse(destroyed.toCompletableFuture().isDone());
    gate.open();
    result(destroyed);
    assertEquals(List.of("running", "a", "b"), rec.order());
    assertEquals(0, rec.runs("armed"));
  }

  /** After destroy: queueing fails, cancelSync gives false, flush and state complete, no hang. */
  @Test
  void callsOnADestroyedWorkerComplete() {
    KWorker worker = kit.newWorker("destroyed");
    Work work = Work.of("w", () -> {});
    DelayedWork dw = DelayedWork.of("d", () -> {});
    result(worker.queue(work));
    result(worker.destroy());
    assertTrue(failure(worker.queue(work)) instanceof RejectedExecutionException);
    assertTrue(failure(worker.queueDelayed(dw, Duration.ZERO)) instanceof RejectedExecutionException);
    assertTrue(failure(worker.modDelayed(dw, Duration.ZERO)) instanceof RejectedExecutionException);
    assertFalse(result(worker.cancelSync(work)));
    assertFalse(result(worker.cancel(work)));
    assertEquals(Done.getInstance(), result(worker.flush(work)));
    assertEquals(Done.getInstance(), result(worker.flush()));
    assertEquals(Done.getInstance(), result(worker.destroy()));
    assertEquals(WorkState.IDLE, result(worker.state(work)));
  }

  /**
   * Destroy stops the worker's thread. A dedicated one outlives its works until then; a virtual one
   * (Java 21+) ends whenever the queue is empty, and destroy ends the one that runs its barrier.
   */
  @Test
  void destroyEndsTheThread() {
    KWorker worker = kit.newWorker("thread-ends");
    CompletableFuture<Thread> ran = new CompletableFuture<>();
    result(worker.queue(Work.of("w", () -> ran.complete(Thread.currentThread()))));
    result(worker.flush());
    Thread thread = result(ran);
    String name = "kworker/" + worker.name();
    assertEquals(name, thread.getName());
    if (kit.execution().equals("dedicated")) {
      assertTrue(thread.isAlive() && threadAlive(name));
    }
    result(worker.destroy());
    Await.until("thread " + name + " ends", () -> !thread.isAlive());
  }

  /** Two destroys complete together. */
  @Test
  void concurrentDestroysBothComplete() {
    KWorker worker = kit.newWorker("twice");
    Gate gate = new Gate();
    result(worker.queue(Work.of("w", w -> gate.pass())));
    gate.awaitEntered();
    CompletionStage<Done> first = worker.destroy();
    CompletionStage<Done> second = worker.destroy();
    gate.open();
    result(first);
    result(second);
  }

  /** A work of a destroyed worker may be queued on another worker. */
  @Test
  void workMovesOnAfterItsWorkerIsDestroyed() {
    KWorker a = kit.newWorker("a");
    KWorker b = kit.newWorker("b");
    Recorder rec = new Recorder();
    Work work = rec.work("w");
    result(a.queue(work));
    result(a.destroy());
    assertTrue(result(b.queue(work)));
    result(b.flush());
    assertEquals(2, rec.runs("w"));
    assertEquals(b, work.worker().orElseThrow());
  }

  /** A bounded destroy that misses its deadline reports the running work and the discarded ones. */
  @Test
  void boundedDestroyReportsWhatItCouldNotFinish() {
    KWorker worker = kit.newWorker("bounded");
    Gate gate = new Gate();
    Recorder rec = new Recorder();
    Work stuck = Work.of("stuck", w -> gate.pass());
    result(worker.queue(stuck));
    gate.awaitEntered();
    Work queued = rec.work("queued");
    result(worker.queue(queued));
    DestroyReport report = result(worker.destroy(Duration.ofMillis(50)));
    assertEquals(new DestroyReport(false, List.of(stuck), List.of(queued)), report);
    gate.open();
    result(worker.flush());
    assertEquals(0, rec.runs("queued"));
  }

  /** A bounded destroy that finishes in time reports completion. */
  @Test
  void boundedDestroyInTime() {
    KWorker worker = kit.newWorker("bounded-ok");
    result(worker.queue(Work.of("w", () -> {})));
    assertEquals(DestroyReport.EMPTY, result(worker.destroy(Duration.ofMinutes(1))));
  }
}
