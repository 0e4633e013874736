package io.kworker.fault;

import static io.kworker.testing.Await.failure;
import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.WorkState;
import io.kworker.testing.Await;
import io.kworker.testing.ExpectedLogs;
import io.kworker.testing.Gate;
import io.kworker.testing.WorkerTestKit.SpawnedWorker;
import io.kworker.testing.WorkerTestKit;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Faults inside works and around the worker actor: what callers see, and that nothing hangs. */
class FaultInjectionTest {
  @RegisterExtension
  static final ExpectedLogs LOGS =
      ExpectedLogs.of(ExpectedLogs.STOPPED_WITH_WORKS, ExpectedLogs.REFUSED, ExpectedLogs.WORK_FAILED);
  private static final WorkerTestKit KIT = WorkerTestKit.create("fault");

  @AfterAll
  static void stop() {
    KIT.shutdown();
  }

  @SuppressWarnings("unchecked")
  static <E extends Throwable> void sneakyThrow(Throwable e) throws E {
    throw (E) e;
  }

  /** A work that throws an unchecked exception, a sneaky checked one or an Error counts as finished for every waiter, and the worker runs the next works in order. */
  @Test
  void throwingWorksFinishForEveryWaiterAndTheWorkerGoesOn() {
    KWorker w = KIT.newWorker("throw");
    List<String> ran = new CopyOnWriteArrayList<>();
    List<Throwable> faults = List.of(new IllegalStateException("unchecked"), new IOException("checked"),
        new Error("error"), new StackOverflowError("deep"));
    for (Throwable fault : faults) {
      Gate gate = new Gate();
      Work bad = Work.of("bad-" + fault.getMessage(), x -> {
        ran.add(x.name());
        gate.pass();
        sneakyThrow(fault);
      });
      Work next = Work.of("next-" + fault.getMessage(), x -> ran.add(x.name()));
      assertTrue(result(w.queue(bad)));
      gate.awaitEntered();
      assertTrue(result(w.queue(bad)), "requeue while running");
      assertTrue(result(w.queue(next)));
      CompletionStage<Boolean> cancel = w.cancelSync(bad); // removes the pending instance, waits for the run
      CompletionStage<Done> flushBad = w.flush(bad);
      CompletionStage<Done> flushAll = w.flush();
      assertEquals(1, result(w.status(bad)).canceling(), "the cancel is parked (and the flushes behind it)");
      assertFalse(cancel.toCompletableFuture().isDone(), "cancelSync completed while the work runs");
      gate.open();
      assertTrue(result(cancel), "cancelSync removed the pending instance of " + bad.name());
      assertEquals(Done.getInstance(), result(flushBad));
      assertEquals(Done.getInstance(), result(flushAll));
      assertEquals(WorkState.IDLE, result(w.state(bad)));
    }
    assertEquals(List.of("bad-unchecked", "next-unchecked", "bad-checked", "next-checked", "bad-error",
        "next-error", "bad-deep", "next-deep"), ran);
    result(w.destroy());
  }

  /** A work that fails every time it runs while it requeues itself is stopped for good by cancelSync. */
  @Test
  void cancelSyncStopsASelfRequeueingWorkThatThrows() {
    KWorker w = KIT.newWorker("selfthrow");
    AtomicInteger runs = new AtomicInteger();
    Work[] self = new Work[1];
    self[0] = Work.of("phoenix", x -> {
      runs.incrementAndGet();
      w.queue(x); // not awaited: the kernel's requeue is a plain call too
      throw new IllegalStateException("phoenix fails");
    });
    assertTrue(result(w.queue(self[0])));
    Await.until("a few runs", () -> runs.get() >= 5);
    result(w.cancelSync(self[0]));
    int after = runs.get();
    assertEquals(WorkState.IDLE, result(w.state(self[0])));
    result(w.flush());
    assertEquals(after, runs.get(), "ran again after cancelSync completed");
    result(w.destroy());
  }

  /** Stopping a spawned worker's parent while cancelSync and flush waiters are parked completes those that wait for the running work once it returns, never before, the others at once, and later queueing is refused. */
  @Test
  void parentStoppedWhileWaitersAreParked() {
    SpawnedWorker child = KIT.spawnChildWorker(WorkerTestKit.unique("child"));
    KWorker w = child.worker();
    Gate gate = new Gate();
    List<String> ran = new CopyOnWriteArrayList<>();
    Work a = Work.of("a", x -> {
      ran.add("a");
      gate.pass();
    });
    Work b = Work.of("b", x -> ran.add("b"));
    assertTrue(result(w.queue(a)));
    gate.awaitEntered();
    assertTrue(result(w.queue(b)));
    CompletionStage<Boolean> cancel = w.cancelSync(a); // a only runs: false after the wait
    CompletionStage<Done> flushA = w.flush(a);
    CompletionStage<Done> flushB = w.flush(b);
    CompletionStage<Done> flushAll = w.flush();
    assertEquals(1, result(w.status(a)).canceling());
    child.stopParent();
    Await.until("the worker refuses queueing", () ->
        w.queue(Work.of("late", x -> { })).toCompletableFuture().isCompletedExceptionally());
    for (CompletionStage<?> s : List.of(cancel, flushA, flushAll)) {
      assertFalse(s.toCompletableFuture().isDone(), "answered while the work still runs: " + s);
    }
    // b's instance was discarded: a flush of it depends on nothing that still runs
    assertEquals(Done.getInstance(), result(flushB));
    gate.open();
    assertFalse(result(cancel));
    assertEquals(Done.getInstance(), result(flushA));
    assertEquals(Done.getInstance(), result(flushB));
    assertEquals(Done.getInstance(), result(flushAll));
    assertEquals(List.of("a"), ran, "b was queued on a worker that stopped without destroy");
    assertInstanceOf(RejectedExecutionException.class, failure(w.queue(b)));
    assertFalse(result(w.cancelSync(b)));
    assertEquals(WorkState.IDLE, result(w.state(a)));
    assertEquals(Done.getInstance(), result(w.destroy()));
  }

  /** Terminating the actor system while cancelSync waits for a running work completes it once the work returns, and the worker's thread ends. */
  @Test
  void actorSystemTerminatedMidCancel() {
    WorkerTestKit kit = WorkerTestKit.create("doomed");
    String name = WorkerTestKit.unique("doomed");
    KWorker w = KWorker.create(kit.system(), name);
    Gate gate = new Gate();
    Work a = Work.of("a", x -> gate.pass());
    Work b = Work.of("b", x -> { });
    assertTrue(result(w.queue(a)));
    gate.awaitEntered();
    assertTrue(result(w.queue(b)));
    CompletionStage<Boolean> cancel = w.cancelSync(a); // a only runs: false after the wait
    CompletionStage<Done> flush = w.flush();
    Await.until("cancel parked", () -> result(w.status(a)).canceling() == 1);
    kit.terminate();
    assertFalse(cancel.toCompletableFuture().isDone(), "cancelSync completed while the work runs");
    gate.open();
    assertFalse(result(cancel));
    assertEquals(Done.getInstance(), result(flush));
    assertInstanceOf(RejectedExecutionException.class, failure(w.queue(a)));
    assertFalse(result(w.cancelSync(a)));
    Await.until("thread kworker/" + name + " ends", () -> !WorkerTestKit.threadAlive("kworker/" + name));
  }
}
