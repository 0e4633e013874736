package io.kworker.api;

import static io.kworker.testing.Await.await;
import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.*;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.testkit.typed.javadsl.LoggingTestKit;
import akka.actor.typed.ActorSystem;
import io.kworker.DelayedWork;
import io.kworker.KWorker;
import io.kworker.KWorkers;
import io.kworker.Work;
import io.kworker.testing.Await;
import io.kworker.testing.ExpectedLogs;
import io.kworker.testing.WorkerTestKit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The KWorkers extension and its CoordinatedShutdown phase. */
class KWorkersTest {
  @RegisterExtension
  static final ExpectedLogs LOGS =
      ExpectedLogs.of(ExpectedLogs.ARMED_AT_DESTROY, ExpectedLogs.REFUSED, ExpectedLogs.DEADLINE_MISSED);
  static WorkerTestKit testKit;

  @BeforeAll
  static void setUp() {
    testKit = WorkerTestKit.withConfig("kworkers", """
        kworker.workers {
          pooled.execution = "akka.actor.default-blocking-io-dispatcher"
          never-used {}
          no-dispatcher.execution = "no-such-dispatcher"
        }
        """);
  }

  @AfterAll
  static void tearDown() {
    testKit.shutdown();
  }

  @Test
  void oneRegistryPerSystemAndOneWorkerPerName() throws Exception {
    KWorkers registry = KWorkers.get(testKit.system());
    assertSame(registry, KWorkers.get(testKit.system()));
    assertTrue(registry.lookup("shared-name").isEmpty(), "lookup does not create");

    // eight threads race to create the same worker: one is created, all get it
    List<CompletableFuture<KWorker>> racers = new ArrayList<>();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    for (int i = 0; i < 8; i++) {
      racers.add(CompletableFuture.supplyAsync(() -> { await(go); return registry.worker("shared-name"); }, pool));
    }
    go.countDown();
    pool.shutdown();
    Set<KWorker> distinct = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (CompletableFuture<KWorker> r : racers) {
      distinct.add(result(r));
    }
    assertEquals(1, distinct.size());
    KWorker w = distinct.iterator().next();
    assertSame(w, registry.lookup("shared-name").orElseThrow());
    assertTrue(registry.workers().contains(w));
    KWorker zed = registry.worker("zz-last");
    KWorker first = registry.worker("aa-first");
    List<String> names = registry.workers().stream().map(KWorker::name).toList();
    assertEquals(names.stream().sorted().toList(), names, "workers() lists by name");
    assertTrue(names.indexOf("aa-first") < names.indexOf("zz-last"));
    result(zed.destroy());
    result(first.destroy());
    assertEquals(Set.of("never-used", "no-dispatcher", "pooled"), registry.configuredNames());
    assertEquals("service-stop", registry.shutdownPhase());
  }

  @Test
  void executionComesFromTheWorkersBlockElseTheDefaults() {
    KWorkers registry = KWorkers.get(testKit.system());
    AtomicReference<String> pooledThread = new AtomicReference<>();
    AtomicReference<String> defaultThread = new AtomicReference<>();
    KWorker pooled = registry.worker("pooled");
    KWorker plain = registry.worker("plain");
    result(pooled.queue(Work.of("where", () -> pooledThread.set(Thread.currentThread().getName()))));
    result(plain.queue(Work.of("where", () -> defaultThread.set(Thread.currentThread().getName()))));
    result(pooled.flush());
    result(plain.flush());
    assertTrue(pooledThread.get().contains("default-blocking-io-dispatcher"), pooledThread.get());
    assertEquals("kworker/plain", defaultThread.get());
  }

  /**
   * Any name makes a worker, even one that is no valid actor name or that a worker made with
   * KWorker.create has; a block naming no dispatcher throws Akka's ConfigurationException and creates
   * nothing.
   */
  @Test
  void anyNameMakesAWorkerAndABadBlockMakesNone() {
    KWorkers registry = KWorkers.get(testKit.system());
    String odd = "not/an actor#name?";
    KWorker created = KWorker.create(testKit.system(), odd);
    KWorker w = registry.worker(odd);
    assertNotSame(created, w);
    AtomicReference<String> thread = new AtomicReference<>();
    result(w.queue(Work.of("where", () -> thread.set(Thread.currentThread().getName()))));
    result(w.flush());
    assertEquals("kworker/" + odd, thread.get());
    result(created.destroy());

    akka.ConfigurationException bad = assertThrows(akka.ConfigurationException.class,
        () -> registry.worker("no-dispatcher"));
    assertTrue(bad.getMessage().contains("no-such-dispatcher"), bad.getMessage());
    assertTrue(registry.lookup("no-dispatcher").isEmpty());
  }

  @Test
  void aDestroyedWorkerLeavesTheLiveListButKeepsItsName() {
    KWorkers registry = KWorkers.get(testKit.system());
    KWorker w = registry.worker("short-lived");
    result(w.destroy());
    assertFalse(registry.workers().contains(w));
    assertSame(w, registry.worker("short-lived"));
    assertTrue(Await.failure(w.queue(Work.of("late", () -> {}))) instanceof RejectedExecutionException);
  }

  @Test
  void unknownShutdownPhaseIsAClearError() {
    WorkerTestKit bad = WorkerTestKit.withConfig("badphase", "kworker.shutdown.phase = no-such-phase");
    try {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KWorkers.get(bad.system()));
      assertTrue(e.getMessage().contains("no-such-phase"), e.getMessage());
    } finally {
      bad.shutdown();
    }
  }

  /**
   * The shutdown phase destroys the registry's workers and waits for the running work, queued works
   * run, armed timers are dropped, and a resource closed in a later phase is closed only after all that.
   */
  @Test
  void coordinatedShutdownDestroysWorkersBeforeLaterPhasesCloseResources() throws Exception {
    WorkerTestKit kit = WorkerTestKit.create("cs-graceful");
    ActorSystem<Void> system = kit.system();
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
        "close-resource", () -> {
          events.add("resource closed");
          return CompletableFuture.completedFuture(Done.getInstance());
        });
    KWorker w = KWorkers.get(system).worker("exporter");
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<Thread> thread = new AtomicReference<>();
    result(w.queue(Work.of("long", () -> {
      thread.set(Thread.currentThread());
      started.countDown();
      await(release);
      events.add("long finished");
    })));
    result(w.queue(Work.of("queued", () -> events.add("queued ran"))));
    result(w.queueDelayed(DelayedWork.of("armed", () -> events.add("armed ran")), Duration.ofHours(1)));
    await(started);

    system.terminate();
    // destroy is accepted once queueing is refused; until then each probe is just one more work
    for (int i = 0; !refused(w.queue(Work.of("probe" + i, () -> {}))); i++) {
      Thread.onSpinWait();
    }
    assertFalse(events.contains("resource closed"), "the phase waits for the running work");
    release.countDown();
    system.getWhenTerminated().toCompletableFuture().get(Await.LONG_SECONDS, TimeUnit.SECONDS);

    assertTrue(events.indexOf("long finished") >= 0);
    assertTrue(events.indexOf("long finished") < events.indexOf("queued ran"), events.toString());
    assertTrue(events.indexOf("queued ran") < events.indexOf("resource closed"), events.toString());
    assertFalse(events.contains("armed ran"), events.toString());
    thread.get().join(TimeUnit.SECONDS.toMillis(Await.LONG_SECONDS));
    assertFalse(thread.get().isAlive(), "the worker's thread ended");
    assertEquals(1, w.stats().cancelled(), "the armed timer was dropped");
  }

  /** Loaded from configuration, the extension is created while the system starts (its errors too). */
  @Test
  void extensionCanBeLoadedEagerlyFromConfiguration() {
    String eager = "akka.actor.typed.library-extensions += \"io.kworker.KWorkers$Id\"\n";
    WorkerTestKit ok = WorkerTestKit.withConfig("eager", eager);
    try {
      assertEquals("service-stop", KWorkers.get(ok.system()).shutdownPhase());
    } finally {
      ok.shutdown();
    }
    // A bad phase fails the start: proof that the extension was created during it.
    RuntimeException e = assertThrows(RuntimeException.class,
        () -> WorkerTestKit.withConfig("eager-bad", eager + "kworker.shutdown.phase = no-such-phase"));
    assertTrue(String.valueOf(e.getMessage()).contains("no-such-phase"), String.valueOf(e));
  }

  /** A work still running at the deadline: reported, the rest discarded, and the phase still waits. */
  @Test
  void shutdownDeadlineDiscardsQueuedWorksAndWaitsForTheRunningOne() throws Exception {
    WorkerTestKit kit = WorkerTestKit.withConfig("cs-deadline", """
        kworker.shutdown.destroy-deadline = 4s              # the default...
        kworker.workers.slow.shutdown.destroy-deadline = 50ms  # ...and this worker's own
        kworker.shutdown.phase = before-service-unbind
        """);
    ActorSystem<Void> system = kit.system();
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceUnbind(), "unbind", () -> {
      events.add("unbound");
      return CompletableFuture.completedFuture(Done.getInstance());
    });
    KWorkers registry = KWorkers.get(system);
    KWorker w = registry.worker("slow");
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    result(w.queue(Work.of("stuck", () -> { started.countDown(); await(release); events.add("stuck returned"); })));
    result(w.queue(Work.of("behind", () -> events.add("behind ran"))));
    await(started);

    // expect() returns once the extension has logged the report: the deadline has passed
    LoggingTestKit.warn("missed its shutdown deadline").expect(system, () -> { system.terminate(); return null; });
    assertFalse(events.contains("unbound"), "the phase waits for the running work");
    assertEquals(List.of(w), registry.workers(), "alive until its thread has left the running work");
    release.countDown();
    system.getWhenTerminated().toCompletableFuture().get(Await.LONG_SECONDS, TimeUnit.SECONDS);
    assertEquals(List.of("stuck returned", "unbound"), events, "behind was discarded; unbind came after");
  }

  /** True if the queueing call was refused because the worker is being destroyed. */
  static boolean refused(CompletionStage<Boolean> queued) {
    try {
      queued.toCompletableFuture().get(Await.LONG_SECONDS, TimeUnit.SECONDS);
      return false;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RejectedExecutionException) {
        return true;
      }
      throw new AssertionError(e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError(e);
    }
  }
}
