package io.kworker.executor;

import static io.kworker.testing.Await.await;
import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kworker.KWorkerExecutor;
import io.kworker.KWorkerFuture;
import io.kworker.WorkState;
import io.kworker.testing.Await;
import io.kworker.testing.Gate;
import io.kworker.testing.WorkerTestKit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Future.cancel (at once, with Future semantics) and cancelSync (once no run is in progress). */
class CancelTest {
  static final WorkerTestKit kit = WorkerTestKit.create();

  @AfterAll
  static void shutdown() {
    kit.shutdown();
  }

  /**
   * cancel of a task not started: true, cancelled and done at once, get() throws CancellationException
   * naming it, the worker holds it no more, and it never runs.
   */
  @Test
  void cancelOfAPendingTaskTakesItOutOfTheWorker() {
    KWorkerExecutor executor = kit.newExecutor("pending");
    Gate gate = Tasks.busy(executor);
    AtomicInteger runs = new AtomicInteger();
    KWorkerFuture<?> queued = executor.submit(runs::incrementAndGet);
    KWorkerFuture<?> armed = executor.schedule(runs::incrementAndGet, 1, TimeUnit.HOURS);
    for (KWorkerFuture<?> f : List.of(queued, armed)) {
      assertTrue(f.cancel(false));
      assertTrue(f.isCancelled());
      assertTrue(f.isDone());
      CancellationException e = assertThrows(CancellationException.class, f::get);
      assertTrue(e.getMessage().contains(executor.worker().name()), e.getMessage());
      assertEquals(WorkState.IDLE, Tasks.state(executor, f));
    }
    gate.open();
    result(executor.worker().flush());
    assertEquals(0, runs.get());
  }

  /** cancel of a completed task, or a second cancel, gives false and changes nothing. */
  @Test
  void cancelOfACompletedOrCancelledTaskGivesFalse() throws Exception {
    KWorkerExecutor executor = kit.newExecutor("completed");
    KWorkerFuture<String> done = executor.submit(() -> "done");
    assertEquals("done", done.get(Await.LONG_SECONDS, TimeUnit.SECONDS));
    assertFalse(done.cancel(true));
    assertFalse(done.isCancelled());
    Gate gate = Tasks.busy(executor);
    KWorkerFuture<?> twice = executor.submit(() -> { });
    assertTrue(twice.cancel(false));
    assertFalse(twice.cancel(true));
    gate.open();
  }

  /** cancel(true) of a running task has interrupted its thread when it returns. */
  @Test
  void cancelTrueInterruptsTheRunBeforeItReturns() {
    KWorkerExecutor executor = kit.newExecutor("interrupt");
    AtomicReference<Thread> runner = new AtomicReference<>();
    AtomicBoolean end = new AtomicBoolean();
    KWorkerFuture<?> f = executor.submit(() -> {
      runner.set(Thread.currentThread());
      // spins, which keeps the interrupt for the test to see (a blocking wait would consume it)
      long bound = System.nanoTime() + TimeUnit.SECONDS.toNanos(Await.LONG_SECONDS);
      while (!end.get() && System.nanoTime() < bound) {
        Thread.onSpinWait();
      }
    });
    Await.until("running", () -> runner.get() != null);
    Thread thread = runner.get();
    assertFalse(thread.isInterrupted());
    assertTrue(f.cancel(true));
    assertTrue(thread.isInterrupted(), "interrupted by the time cancel(true) returned");
    end.set(true);
  }

  /** cancel(false) of a running task does not interrupt it; the run goes on to its end. */
  @Test
  void cancelFalseLetsTheRunGoOn() {
    KWorkerExecutor executor = kit.newExecutor("no-interrupt");
    Gate gate = new Gate();
    AtomicBoolean finished = new AtomicBoolean();
    KWorkerFuture<?> f = executor.submit(() -> {
      gate.pass();
      finished.set(true);
    });
    gate.awaitEntered();
    assertTrue(f.cancel(false));
    assertTrue(f.isDone());
    gate.open();
    result(executor.worker().flush());
    assertTrue(finished.get());
    assertFalse(gate.interrupted());
  }

  /**
   * An interrupt by cancel(true) never reaches the task that runs next, however the cancel and the end of
   * the run interleave.
   */
  @Test
  void anInterruptNeverReachesTheNextTask() throws Exception {
    KWorkerExecutor executor = kit.newExecutor("no-leak");
    int rounds = 300;
    List<KWorkerFuture<Boolean>> next = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      AtomicBoolean stop = new AtomicBoolean();
      AtomicBoolean started = new AtomicBoolean();
      KWorkerFuture<?> spinner = executor.submit(() -> {
        started.set(true);
        while (!stop.get()) {
          Thread.onSpinWait();
        }
      });
      next.add(executor.submit(() -> Thread.currentThread().isInterrupted()));
      Await.until("started", started::get);
      stop.set(true); // the run ends while (or before, or after) the cancel interrupts it
      spinner.cancel(true);
    }
    for (KWorkerFuture<Boolean> f : next) {
      assertFalse(f.get(Await.LONG_SECONDS, TimeUnit.SECONDS), "the next task found its thread interrupted");
    }
  }

  /** cancelSync of a running task gives true, and only once the run has returned. */
  @Test
  void cancelSyncOfARunningTaskCompletesWhenTheRunReturns() {
    KWorkerExecutor executor = kit.newExecutor("sync-running");
    Gate gate = new Gate();
    AtomicBoolean returned = new AtomicBoolean();
    KWorkerFuture<?> f = executor.submit(() -> {
      gate.pass();
      returned.set(true);
    });
    gate.awaitEntered();
    CompletionStage<Boolean> cancel = f.cancelSync();
    assertTrue(f.isCancelled(), "cancelled at once, as cancel(false)");
    assertFalse(cancel.toCompletableFuture().isDone(), "the run is held at the gate");
    gate.open();
    assertTrue(result(cancel));
    assertTrue(returned.get(), "completed only after the run returned");
    assertFalse(gate.interrupted(), "cancelSync never interrupts");
  }

  /** cancelSync of a task not started gives true at once, and it never runs; of a completed one, false. */
  @Test
  void cancelSyncOfAPendingOrCompletedTask() throws Exception {
    KWorkerExecutor executor = kit.newExecutor("sync-pending");
    KWorkerFuture<String> done = executor.submit(() -> "done");
    done.get(Await.LONG_SECONDS, TimeUnit.SECONDS);
    assertFalse(result(done.cancelSync()));
    Gate gate = Tasks.busy(executor);
    AtomicInteger runs = new AtomicInteger();
    KWorkerFuture<?> queued = executor.submit(runs::incrementAndGet);
    KWorkerFuture<?> armed = executor.schedule(runs::incrementAndGet, 1, TimeUnit.HOURS);
    assertTrue(result(queued.cancelSync()));
    assertTrue(result(armed.cancelSync(Duration.ZERO)));
    assertEquals(WorkState.IDLE, Tasks.state(executor, armed));
    gate.open();
    result(executor.worker().flush());
    assertEquals(0, runs.get());
  }

  /** Of parallel cancelSyncs of one running task all wait, and exactly one gives true. */
  @Test
  void parallelCancelSyncsAllWaitAndOneGivesTrue() {
    KWorkerExecutor executor = kit.newExecutor("sync-parallel");
    Gate gate = new Gate();
    KWorkerFuture<?> f = executor.submit(gate::pass);
    gate.awaitEntered();
    List<CompletableFuture<Boolean>> cancels = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Thread t = new Thread(() -> {
        synchronized (cancels) {
          cancels.add(f.cancelSync().toCompletableFuture());
        }
      });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
    assertTrue(cancels.stream().noneMatch(CompletableFuture::isDone), "the run is held at the gate");
    gate.open();
    assertEquals(1, cancels.stream().filter(c -> result(c)).count());
  }

  /** cancelSync with a zero grace interrupts the run at once, and still completes when it returns. */
  @Test
  void cancelSyncWithAZeroGraceInterrupts() {
    KWorkerExecutor executor = kit.newExecutor("sync-grace");
    Gate gate = new Gate();
    KWorkerFuture<?> f = executor.submit(gate::pass);
    gate.awaitEntered();
    assertTrue(result(f.cancelSync(Duration.ZERO)));
    assertTrue(gate.interrupted());
  }

  /** A bad grace is refused on the caller's thread, and the task is left as it was. */
  @Test
  void aBadGraceChangesNothing() throws Exception {
    KWorkerExecutor executor = kit.newExecutor("sync-bad");
    Gate gate = Tasks.busy(executor);
    KWorkerFuture<String> f = executor.submit(() -> "ran");
    assertThrows(NullPointerException.class, () -> f.cancelSync(null));
    assertThrows(IllegalArgumentException.class, () -> f.cancelSync(Duration.ofNanos(-1)));
    assertFalse(f.isDone());
    gate.open();
    assertEquals("ran", f.get(Await.LONG_SECONDS, TimeUnit.SECONDS));
  }

  /**
   * cancelSync of a periodic task that re-arms at once after each run (a fixed rate far behind): once it
   * completes the task never runs again, and the worker holds no instance of it.
   */
  @Test
  void cancelSyncStopsASelfReArmingPeriodicTaskForGood() {
    KWorkerExecutor executor = kit.newExecutor("sync-periodic");
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch spinning = new CountDownLatch(50);
    KWorkerFuture<?> f = executor.scheduleAtFixedRate(() -> {
      runs.incrementAndGet();
      spinning.countDown();
    }, 0, 1, TimeUnit.NANOSECONDS);
    await(spinning);
    assertTrue(result(f.cancelSync()));
    int after = runs.get();
    result(executor.worker().flush());
    assertEquals(after, runs.get(), "no run after cancelSync completed");
    assertEquals(WorkState.IDLE, Tasks.state(executor, f));
  }

  /**
   * cancelSync with a grace that is neither zero nor never interrupts a run still going on after it (the
   * worker's timer does), and completes when the run returns.
   */
  @Test
  void cancelSyncInterruptsARunStillGoingOnAfterTheGrace() {
    KWorkerExecutor executor = kit.newExecutor("sync-grace-timer");
    Gate gate = new Gate();
    KWorkerFuture<?> f = executor.submit(gate::pass);
    gate.awaitEntered();
    assertTrue(result(f.cancelSync(Duration.ofMillis(1))));
    assertTrue(gate.interrupted());
  }

  /**
   * cancel and cancelSync called from inside a task (the worker's own thread, a call of its run) take
   * out a task queued behind it and an armed one: true, cancelled, never run.
   */
  @Test
  void cancelAndCancelSyncFromInsideATaskTakeOutOtherTasks() throws Exception {
    KWorkerExecutor executor = kit.newExecutor("inside");
    Gate gate = Tasks.busy(executor);
    AtomicInteger runs = new AtomicInteger();
    CompletableFuture<List<KWorkerFuture<?>>> victims = new CompletableFuture<>();
    KWorkerFuture<List<Boolean>> canceller = executor.submit(() -> {
      List<KWorkerFuture<?>> v = Await.result(victims);
      return List.of(v.get(0).cancel(false), Await.result(v.get(1).cancelSync()),
          Await.result(v.get(2).cancelSync(Duration.ZERO)));
    });
    List<KWorkerFuture<?>> v = List.of(executor.submit(runs::incrementAndGet),
        executor.schedule(runs::incrementAndGet, 1, TimeUnit.HOURS),
        executor.schedule(runs::incrementAndGet, Long.MAX_VALUE, TimeUnit.DAYS));
    victims.complete(v);
    gate.open();
    assertEquals(List.of(true, true, true), canceller.get(Await.LONG_SECONDS, TimeUnit.SECONDS));
    result(executor.worker().flush());
    assertEquals(0, runs.get());
    v.forEach(f -> assertTrue(f.isCancelled()));
  }

  /** cancelSync of the task that calls it fails at once (it would wait for itself) and cancels nothing. */
  @Test
  void cancelSyncFromItsOwnRunFailsAtOnce() throws Exception {
    KWorkerExecutor executor = kit.newExecutor("sync-self");
    CompletableFuture<KWorkerFuture<?>> self = new CompletableFuture<>();
    KWorkerFuture<Throwable> f = executor.submit(() -> Await.failure(Await.result(self).cancelSync()));
    self.complete(f);
    Throwable e = f.get(Await.LONG_SECONDS, TimeUnit.SECONDS);
    assertInstanceOf(IllegalStateException.class, e);
    assertTrue(e.getMessage().contains("wait for itself"), e.getMessage());
    assertFalse(f.isCancelled());
  }
}
