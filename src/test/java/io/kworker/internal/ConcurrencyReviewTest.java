package io.kworker.internal;

import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import akka.actor.ActorPath;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.kworker.DelayedWork;
import io.kworker.DestroyReport;
import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.WorkState;
import io.kworker.WorkStatus;
import io.kworker.testing.Await;
import io.kworker.testing.ExpectedLogs;
import io.kworker.testing.Gate;
import io.kworker.testing.WorkerTestKit;
import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * Fixed in e29cb57: five races and leaks that an independent review of 6e218a9 found in the hardening,
 * one deterministic test each (each failed on 6e218a9): a cancelSync that did not wait for a run whose
 * protocol commands were still unserved; cancelled works pinned through the links of a skipped instance; a
 * cancelSync refused by the closing inbox and answered while the work still ran; a late destroy(deadline)
 * that reported a missed deadline at once; a failed wake-up in the lane's report that lost the wake-up and
 * the waiters. Guards the fixed behaviour of each (method comments).
 */
class ConcurrencyReviewTest {
  @RegisterExtension
  static final ExpectedLogs LOGS =
      ExpectedLogs.of(ExpectedLogs.STOPPED_WITH_WORKS, "failed in telling the actor work is over");
  static final WorkerTestKit kit = WorkerTestKit.create();

  @AfterAll
  static void shutdown() {
    kit.shutdown();
  }

  static WorkerHandle handle(KWorker worker) {
    return Internals.handle(worker);
  }

  // ------------------------------------------------------------------ area 1

  /**
   * A run's protocol commands keep it "running" until they are served, but running(w) only looked at
   * w.last and w.older. Façade calls made after the run returned overtook its commands (inbox vs
   * mailbox), moved w.older on, and cancelSync then answered without waiting for that run; the run's
   * next command queued the work after cancelSync had returned. Guards that cancelSync waits for it.
   */
  @Test
  @org.junit.jupiter.api.Timeout(120)
  void cancelSyncWaitsForACommandedRunThatIsNoLongerLastOrOlder() {
    KWorker w = kit.newWorker("rv-cmd-older");
    TestProbe<StatusReply<Boolean>> first = kit.testKit().createTestProbe();
    TestProbe<StatusReply<Boolean>> second = kit.testKit().createTestProbe();
    CompletableFuture<WorkerHandle> stall = new CompletableFuture<>();
    CountDownLatch secondRunDone = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    Work work = Work.of("requeuer", self -> {
      int n = runs.incrementAndGet();
      if (n == 1) {
        w.ref().tell(new KWorker.Queue(self, first.getRef())); // cmd1: a call of this run
        w.ref().<Object>unsafeUpcast().tell(new WorkerBehavior.GetHandle(stall)); // holds the actor between cmd1 and cmd2
        w.ref().tell(new KWorker.Queue(self, second.getRef())); // cmd2: a call of this run too
      } else if (n == 2) {
        secondRunDone.countDown();
      }
    });
    Gate blocker = new Gate();
    Work blockerWork = Work.of("blocker", x -> blocker.pass());
    CompletableFuture<CompletionStage<Boolean>> cancel = new CompletableFuture<>();
    stall.thenRun(() -> { // on the worker actor, after cmd1 (which dispatched run 2), before cmd2
      Await.await(secondRunDone);
      Ticket run2 = ((KthreadWork) work).last;
      Await.until("run 2 finished", () -> run2.phase() == Ticket.FINISHED);
      w.queue(blockerWork); // keeps the lane busy, so the next instance stays queued
      w.queue(work); // older := run 2; run 1 (RunOver still behind cmd2) is no longer tracked
      cancel.complete(w.cancelSync(work)); // must wait for run 1, whose cmd2 is not served yet
    });
    try {
      assertTrue(result(w.queue(work)));
      assertTrue(result(result(cancel)), "cancelSync removed the queued instance");
      WorkStatus after = result(w.status(work));
      assertEquals(WorkState.IDLE, after.state(), "cancelSync returned, but cmd2 = Queue(self), sent by run 1 "
          + "before cancelSync was even called, was served after it: the work is pending again");
    } finally {
      blocker.open();
    }
  }

  // ------------------------------------------------------------------ area 2

  /**
   * A skipped (unlinked) revoked ticket kept its next link for ever, since the lane never passes it. A
   * work still referenced whose queued instance was revoked (w.last) therefore pinned the chain of every
   * instance revoked right after it, and their works, after the lane had long moved on (before 6e218a9
   * the lane passed revoked tickets and self-linked them). Guards that those works are collectable.
   */
  @Test
  @org.junit.jupiter.api.Timeout(120)
  void aKeptCancelledWorkDoesNotPinTheWorksCancelledAfterIt() throws Exception {
    KWorker w = kit.newWorker("rv-skip-chain");
    Gate gate = new Gate();
    assertTrue(result(w.queue(Work.of("long", x -> gate.pass()))));
    gate.awaitEntered();
    Work keep = Work.of("kept", () -> { });
    assertTrue(result(w.queue(keep)));
    List<WeakReference<Work>> refs = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      byte[] payload = new byte[1024];
      Work one = Work.of("one-off-" + i, () -> payload[0]++);
      refs.add(new WeakReference<>(one));
      w.queue(one);
      if (i == 0) {
        assertTrue(result(w.cancel(keep))); // not the tail: unlinked now, keeps next = one-off-0
      }
      w.cancel(one);
    }
    result(w.queue(Work.of("pad", () -> { })));
    gate.open();
    result(w.flush());
    for (int i = 0; i < 3; i++) {
      result(w.queue(Work.of("pad-" + i, () -> { })));
    }
    result(w.flush());
    int alive = refs.size();
    for (int attempt = 0; attempt < 20 && alive > 0; attempt++) {
      System.gc();
      alive = (int) refs.stream().filter(r -> r.get() != null).count();
    }
    Reference.reachabilityFence(keep);
    assertEquals(0, alive, alive + " of " + refs.size() + " cancelled one-off works are still reachable "
        + "through kept.last -> skipped tickets' next links, after the lane has moved past them");
  }

  // ------------------------------------------------------------------ area 4

  /**
   * PostStop closed the inbox first and said what still ran only later. A cancelSync refused by the
   * closed inbox in between was answered at once, while the work still ran. Guards that it waits.
   */
  @Test
  @org.junit.jupiter.api.Timeout(120)
  void cancelSyncRefusedByTheClosingInboxWaitsForTheRunningWork() {
    ActorRef<KWorker.Command> ref = kit.spawn(KWorker.behavior("rv-window"));
    KWorker w = result(KWorker.wrap(kit.system(), ref));
    Gate gate = new Gate();
    Work running = Work.of("running", x -> gate.pass());
    DelayedWork armed = DelayedWork.of("armed", () -> { });
    CompletableFuture<CompletionStage<Boolean>> inWindow = new CompletableFuture<>();
    AppenderBase<ILoggingEvent> hook = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent e) {
        // logged by PostStop after inbox.close() and before handle.markClosed(stillRunning)
        if (!inWindow.isDone() && e.getFormattedMessage().contains("delayed work(s) were armed")) {
          inWindow.complete(w.cancelSync(running));
        }
      }
    };
    Logger logger = (Logger) LoggerFactory.getLogger(KWorker.class);
    hook.start();
    logger.addAppender(hook);
    try {
      assertTrue(result(w.queue(running)));
      gate.awaitEntered();
      assertTrue(result(w.queueDelayed(armed, Duration.ofHours(1))));
      kit.stop(ref);
      CompletionStage<Boolean> cancel = result(inWindow);
      assertFalse(cancel.toCompletableFuture().isDone(),
          "cancelSync of a work that still runs completed (with " + cancel.toCompletableFuture().getNow(null)
              + ") before the work returned");
    } finally {
      logger.detachAppender(hook);
      gate.open();
    }
  }

  /**
   * A destroy(deadline) call that reached a closed worker never had its deadline computed (it was 0), so
   * the closed worker's wait was max(0, 0 - nanoTime()) = 0: it reported a missed deadline at once,
   * naming the running work, instead of waiting for it up to the caller's deadline. Guards that it waits.
   */
  @Test
  @org.junit.jupiter.api.Timeout(120)
  void lateDestroyWithDeadlineWaitsUpToItsDeadline() throws Exception {
    ActorRef<KWorker.Command> ref = kit.spawn(KWorker.behavior("rv-late-destroy"));
    KWorker w = result(KWorker.wrap(kit.system(), ref));
    Gate gate = new Gate();
    Work running = Work.of("running", x -> gate.pass());
    try {
      assertTrue(result(w.queue(running)));
      gate.awaitEntered();
      kit.stop(ref);
      CompletableFuture<DestroyReport> late = w.destroy(Duration.ofHours(1)).toCompletableFuture();
      try {
        DestroyReport report = late.get(2, TimeUnit.SECONDS);
        fail("destroy(1 h) on a closed worker whose work still runs completed within 2 s with " + report);
      } catch (TimeoutException expected) {
        // waits for the running work (or the deadline), as answerClosed documents
      }
    } finally {
      gate.open();
    }
  }

  // ------------------------------------------------------------------ area 5

  /** An ActorRef that fails the lane's first Wake with an OutOfMemoryError, before delivering it. */
  static final class FailFirstWake implements ActorRef<Object> {
    final ActorRef<Object> real;
    final Thread lane;
    final AtomicInteger failed = new AtomicInteger();

    FailFirstWake(ActorRef<Object> real, Thread lane) {
      this.real = real;
      this.lane = lane;
    }

    @Override
    public void tell(Object m) {
      if (m == WorkerBehavior.Wake.INSTANCE && Thread.currentThread() == lane && failed.getAndIncrement() == 0) {
        throw new OutOfMemoryError("injected: the envelope of the lane's Wake");
      }
      real.tell(m);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <U> ActorRef<U> narrow() {
      return (ActorRef<U>) this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <U> ActorRef<U> unsafeUpcast() {
      return (ActorRef<U>) this;
    }

    @Override
    public ActorPath path() {
      return real.path();
    }

    @Override
    public int compareTo(ActorRef<?> o) {
      return real.compareTo(o);
    }
  }

  /**
   * The lane retries its report after a throwable, but the report was not idempotent: after the report
   * was linked and `awake` won, a failing wake() left awake = 1 with no Wake on its way, and the retry
   * took the waiters again (none left) and overwrote the reported list with an empty one. The protocol
   * cancelSync parked on the run was never answered, and the actor never woken again. Guards that
   * neither the wake-up nor the waiters are lost.
   */
  @Test
  @org.junit.jupiter.api.Timeout(120)
  void aFailedWakeInTheLanesReportLosesNeitherTheWakeNorTheWaiters() throws Exception {
    // not kit.newWorker: the kit's shutdown would wait for ever on this worker's lost wake-up
    KWorker w = KWorker.create(kit.system(), "rv-report-retry");
    WorkerHandle handle = handle(w);
    Gate gate = new Gate();
    AtomicReference<Thread> laneThread = new AtomicReference<>();
    Work running = Work.of("running", x -> {
      laneThread.set(Thread.currentThread());
      gate.pass();
    });
    assertTrue(result(w.queue(running)));
    gate.awaitEntered();
    CompletionStage<Boolean> cancel = kit.ask(w, r -> new KWorker.CancelSync(running, r));
    Await.until("cancel parked", () -> result(w.status(running)).canceling() == 1);
    Field awake = Inbox.class.getDeclaredField("awake");
    awake.setAccessible(true);
    Await.until("actor idle", () -> {
      try {
        return awake.getInt(handle.inbox) == 0;
      } catch (IllegalAccessException e) {
        throw new AssertionError(e);
      }
    });
    ActorRef<Object> real = handle.self();
    FailFirstWake failing = new FailFirstWake(real, laneThread.get());
    handle.setRef(failing);
    try {
      gate.open();
      assertFalse(result(cancel), "the protocol cancelSync of the run is answered once the run is over");
      assertEquals(0, result(w.status(running)).canceling(), "canceling is back to 0");
      assertTrue(failing.failed.get() > 0, "the injected failure happened");
    } finally {
      handle.setRef(real);
      handle.wake(); // unsticks the actor for the kit's shutdown
    }
  }
}
