package io.kworker.api;

import static io.kworker.testing.Await.failure;
import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.pattern.StatusReply;
import io.kworker.DelayedWork;
import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.WorkFunction;
import io.kworker.WorkRunnable;
import io.kworker.WorkState;
import io.kworker.testing.ExpectedLogs;
import io.kworker.testing.Gate;
import io.kworker.testing.Recorder;
import io.kworker.testing.WorkerTestKit;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bad input gets a clear error naming the worker and the work, and loses nothing. */
class BadInputTest {
  @RegisterExtension
  static final ExpectedLogs LOGS = ExpectedLogs.of(ExpectedLogs.ARMED_AT_DESTROY);
  static final WorkerTestKit kit = WorkerTestKit.create();

  @AfterAll
  static void shutdown() {
    kit.shutdown();
  }

  /**
   * Null arguments, negative durations and null protocol fields fail at once with a clear error; a far
   * delay within range is accepted.
   */
  @Test
  void badArgumentsFailAtOnce() {
    KWorker w = kit.newWorker("bad");
    DelayedWork d = DelayedWork.of("d", x -> { });
    TestProbe<StatusReply<Boolean>> p = kit.testKit().createTestProbe();
    NullPointerException npe = assertThrows(NullPointerException.class, () -> w.queue(null));
    assertTrue(npe.getMessage().contains("queue") && npe.getMessage().contains(w.name()), npe.getMessage());
    assertThrows(NullPointerException.class, () -> w.queueDelayed(null, Duration.ZERO));
    assertThrows(NullPointerException.class, () -> w.queueDelayed(d, null));
    assertThrows(NullPointerException.class, () -> w.modDelayed(d, null));
    assertThrows(NullPointerException.class, () -> w.cancelSync(null));
    assertThrows(NullPointerException.class, () -> w.flush(null));
    assertThrows(IllegalArgumentException.class, () -> w.queueDelayed(d, Duration.ofMillis(-1)));
    assertThrows(IllegalArgumentException.class, () -> w.cancelSync(d, Duration.ofMillis(-1)));
    // both wrong: the work is checked first, on both paths
    assertThrows(NullPointerException.class, () -> w.cancelSync(null, Duration.ofMillis(-1)));
    assertThrows(NullPointerException.class, () -> new KWorker.CancelSync(null, Duration.ofMillis(-1), p.ref()));
    assertThrows(NullPointerException.class, () -> w.queueDelayed(null, Duration.ofMillis(-1)));
    assertThrows(NullPointerException.class, () -> new KWorker.QueueDelayed(null, Duration.ofMillis(-1), p.ref()));
    assertThrows(NullPointerException.class, () -> Work.of("n", (WorkRunnable) null));
    assertThrows(NullPointerException.class, () -> Work.of("n", (WorkFunction<Work>) null));
    assertThrows(NullPointerException.class, () -> Work.of(null, () -> { }));
    assertThrows(NullPointerException.class, () -> DelayedWork.of("n", (WorkRunnable) null));
    assertThrows(NullPointerException.class, () -> DelayedWork.of("n", (WorkFunction<DelayedWork>) null));
    assertThrows(NullPointerException.class, () -> new KWorker.Queue(null, p.ref()));
    assertThrows(NullPointerException.class, () -> new KWorker.Queue(d, null));
    assertThrows(NullPointerException.class, () -> new KWorker.QueueDelayed(d, null, p.ref()));
    assertThrows(IllegalArgumentException.class, () -> new KWorker.ModDelayed(d, Duration.ofDays(-1), p.ref()));
    assertThrows(NullPointerException.class, () -> new KWorker.CancelSync(null, p.ref()));
    assertThrows(NullPointerException.class, () -> new KWorker.Cancel(d, null));
    assertThrows(NullPointerException.class, () -> new KWorker.Disable(null, p.ref()));
    assertThrows(NullPointerException.class, () -> new KWorker.DisableSync(null, p.ref()));
    assertThrows(NullPointerException.class, () -> new KWorker.Enable(null, p.ref()));
    assertThrows(NullPointerException.class, () -> new KWorker.EnableAndQueue(null, p.ref()));
    assertThrows(NullPointerException.class, () -> new KWorker.FlushDelayed(null, p.ref()));
    assertThrows(NullPointerException.class, () -> new KWorker.FlushWork(null, null));
    assertThrows(NullPointerException.class, () -> new KWorker.FlushWorker(null));
    assertThrows(NullPointerException.class, () -> new KWorker.Drain(null));
    assertThrows(NullPointerException.class, () -> new KWorker.Destroy(null));
    assertThrows(NullPointerException.class, () -> new KWorker.DestroyWithin(Duration.ZERO, null));
    assertThrows(NullPointerException.class, () -> new KWorker.GetStatus(null, null));
    assertThrows(NullPointerException.class, () -> KWorker.create(kit.system(), null));
    assertThrows(NullPointerException.class, () -> KWorker.behavior(null));
    assertTrue(result(w.queueDelayed(d, Duration.ofDays(200)))); // far, but within Akka's scheduler range
    assertEquals(WorkState.ARMED, result(w.state(d)));
    result(w.destroy());
  }

  /**
   * A work bound to a live worker is refused by another, with an error naming both workers and the work,
   * and the refused calls change nothing; once its worker is destroyed it is idle elsewhere and moves.
   */
  @Test
  void workBoundToAnotherLiveWorkerIsRefusedUntilItsWorkerIsDestroyed() {
    KWorker one = kit.newWorker("owner");
    KWorker two = kit.newWorker("other");
    AtomicInteger runs = new AtomicInteger();
    DelayedWork d = DelayedWork.of("shared", x -> runs.incrementAndGet());
    assertTrue(d.worker().isEmpty());
    assertTrue(result(one.queue(d)));
    result(one.flush());
    assertSame(one, d.worker().orElseThrow());
    assertTrue(result(one.queueDelayed(d, Duration.ofHours(1))));
    for (CompletionStage<?> s : List.of(two.queue(d), two.queueDelayed(d, Duration.ZERO),
        two.modDelayed(d, Duration.ZERO), two.cancel(d), two.cancelSync(d), two.flush(d), two.flushDelayed(d),
        two.disable(d), two.enable(d), two.enableAndQueue(d), two.status(d))) {
      Throwable t = failure(s);
      assertInstanceOf(IllegalArgumentException.class, t);
      assertTrue(t.getMessage().contains("[" + one.name() + "]") && t.getMessage().contains("[" + two.name() + "]")
          && t.getMessage().contains("[shared]"), t.getMessage());
    }
    assertEquals(WorkState.ARMED, result(one.state(d)), "the refused calls changed nothing");
    assertTrue(result(one.cancelSync(d)));
    result(one.destroy());
    assertFalse(result(two.cancel(d)), "a work of a destroyed worker is idle elsewhere");
    assertEquals(WorkState.IDLE, result(two.state(d)));
    assertTrue(result(two.queue(d)));
    result(two.flush());
    assertEquals(2, runs.get());
    assertSame(two, d.worker().orElseThrow());
    assertFalse(result(two.pending(d)));
    assertFalse(result(two.busy(d)));
    result(two.destroy());
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
