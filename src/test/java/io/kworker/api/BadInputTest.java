package io.kworker.api;

import static io.kworker.testing.Await.failure;
import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kworker.DelayedWork;
import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.WorkState;
import io.kworker.testing.Gate;
import io.kworker.testing.Recorder;
import io.kworker.testing.WorkerTestKit;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Bad input gets a clear error naming the worker and the work, and loses nothing. */
class BadInputTest {
  static final WorkerTestKit kit = WorkerTestKit.create();

  @AfterAll
  static void shutdown() {
    kit.shutdown();
  }

  /** Null works, durations and names throw NullPointerException at once. */
  @Test
  void nullArgumentsThrow() {
    KWorker worker = kit.newWorker("nulls");
    DelayedWork dw = DelayedWork.of("d", () -> {});
    assertThrows(NullPointerException.class, () -> worker.queue(null));
    assertThrows(NullPointerException.class, () -> worker.queueDelayed(null, Duration.ZERO));
    assertThrows(NullPointerException.class, () -> worker.queueDelayed(dw, null));
    assertThrows(NullPointerException.class, () -> worker.modDelayed(dw, null));
    assertThrows(NullPointerException.class, () -> worker.cancelSync(null));
    assertThrows(NullPointerException.class, () -> worker.flush(null));
    assertThrows(NullPointerException.class, () -> Work.of(null, () -> {}));
    assertThrows(NullPointerException.class, () -> Work.of("w", (Runnable) null));
    assertThrows(IllegalArgumentException.class, () -> worker.queueDelayed(dw, Duration.ofMillis(-1)));
    assertThrows(NullPointerException.class, () -> new KWorker.Queue(null, kit.testKit().<akka.pattern.StatusReply<Boolean>>createTestProbe().ref()));
  }

  /** A work bound to a live worker is refused by another, with both names; nothing changes. */
  @Test
  void workBoundToAnotherLiveWorkerIsRefused() {
    KWorker a = kit.newWorker("owner");
    KWorker b = kit.newWorker("other");
    Recorder rec = new Recorder();
    DelayedWork work = rec.delayed("shared");
    result(a.queueDelayed(work, Duration.ofHours(1)));
    for (Function<KWorker, CompletionStage<?>> op : java.util.List.<Function<KWorker, CompletionStage<?>>>of(
        w -> w.queue(work), w -> w.queueDelayed(work, Duration.ZERO), w -> w.modDelayed(work, Duration.ZERO),
        w -> w.cancelSync(work), w -> w.flush(work), w -> w.cancel(work), w -> w.disable(work))) {
      Throwable t = failure(op.apply(b));
      assertTrue(t instanceof IllegalArgumentException, t.toString());
      assertTrue(t.getMessage().contains("[" + a.name() + "]") && t.getMessage().contains("[" + b.name() + "]")
          && t.getMessage().contains("[shared]"), t.getMessage());
    }
    assertEquals(WorkState.ARMED, result(a.state(work)), "the refused calls changed nothing");
    assertTrue(result(a.cancelSync(work)));
  }

  /** flush and cancelSync of the running work from inside itself fail at once with a reason. */
  @Test
  void waitingOnItselfFailsAtOnce() {
    KWorker worker = kit.newWorker("self-wait");
    CompletableFuture<Throwable> flushSelf = new CompletableFuture<>();
    CompletableFuture<Throwable> cancelSelf = new CompletableFuture<>();
    CompletableFuture<Throwable> flushAll = new CompletableFuture<>();
    CompletableFuture<Throwable> destroy = new CompletableFuture<>();
    CompletableFuture<Throwable> drain = new CompletableFuture<>();
    CompletableFuture<Throwable> flushBehind = new CompletableFuture<>();
    Work behind = Work.of("behind", () -> {});
    Work self = Work.of("self", w -> {
      worker.queue(behind).toCompletableFuture().join();
      // join() here proves the failure needs nothing from this thread: no deadlock
      flushSelf.complete(failure(worker.flush(w)));
      cancelSelf.complete(failure(worker.cancelSync(w)));
      flushAll.complete(failure(worker.flush()));
      destroy.complete(failure(worker.destroy()));
      drain.complete(failure(worker.drain()));
      flushBehind.complete(failure(worker.flush(behind)));
    });
    result(worker.queue(self));
    for (CompletableFuture<Throwable> f : java.util.List.of(flushSelf, cancelSelf, flushAll, destroy, drain, flushBehind)) {
      Throwable t = result(f);
      assertTrue(t instanceof IllegalStateException, t.toString());
      assertTrue(t.getMessage().contains("[self]") && t.getMessage().contains(worker.name()), t.getMessage());
    }
    result(worker.flush());
    assertEquals(WorkState.IDLE, result(worker.state(self)), "the failed cancel removed nothing");
  }

  /** Queueing other works and cancelling a pending one from inside a work is fine. */
  @Test
  void nonWaitingCallsFromInsideAWorkSucceed() {
    KWorker worker = kit.newWorker("inside");
    Recorder rec = new Recorder();
    Work victim = rec.work("victim");
    CompletableFuture<Boolean> cancelled = new CompletableFuture<>();
    Work self = Work.of("self", w -> {
      worker.queue(victim).toCompletableFuture().join();
      cancelled.complete(worker.cancelSync(victim).toCompletableFuture().join());
    });
    result(worker.queue(self));
    assertTrue(result(cancelled));
    result(worker.flush());
    assertEquals(0, rec.runs("victim"));
  }

  /** Waiting on another worker from inside a work is allowed. */
  @Test
  void waitingOnAnotherWorkerIsAllowed() {
    KWorker a = kit.newWorker("a");
    KWorker b = kit.newWorker("b");
    Gate gate = new Gate();
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    result(b.queue(Work.of("on-b", w -> gate.pass())));
    gate.awaitEntered();
    result(a.queue(Work.of("on-a", w -> {
      CompletionStage<akka.Done> f = b.flush();
      done.complete(!f.toCompletableFuture().isDone());
      gate.open();
      f.toCompletableFuture().join();
    })));
    assertTrue(result(done));
    result(a.flush());
    assertFalse(result(b.busy(Work.of("x", () -> {}))));
  }
}
