package io.kworker.api;

import static io.kworker.testing.Await.await;
import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.*;

import akka.actor.testkit.typed.javadsl.LoggingTestKit;
import akka.actor.typed.DispatcherSelector;
import io.kworker.DelayedWork;
import io.kworker.KWorker;
import io.kworker.KWorkerMXBean;
import io.kworker.KWorkerStats;
import io.kworker.KWorkers;
import io.kworker.Work;
import io.kworker.testing.ExpectedLogs;
import io.kworker.testing.WorkerTestKit;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.MDC;

/** Per-worker counters and timings, their JMX MBean, and the MDC around a running work. */
class ObservabilityTest {
  @RegisterExtension
  static final ExpectedLogs LOGS = ExpectedLogs.of(ExpectedLogs.ARMED_AT_DESTROY, ExpectedLogs.WORK_FAILED);
  static WorkerTestKit testKit;

  @BeforeAll
  static void setUp() {
    testKit = WorkerTestKit.withConfig("observability", """
        one-thread { type = Dispatcher, executor = thread-pool-executor
                     thread-pool-executor.fixed-pool-size = 1 }
        kworker.workers.timed.stats.timings = on
        kworker.workers.quiet { mdc = off, jmx.enabled = off }
        """);
  }

  @AfterAll
  static void tearDown() {
    testKit.shutdown();
  }

  static final MBeanServer JMX_SERVER = ManagementFactory.getPlatformMBeanServer();

  @Test
  void countersCountEveryOutcomeExactly() {
    KWorker w = KWorker.create(testKit.system(), "stats-counters");
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Work held = Work.of("held", () -> { started.countDown(); await(release); });
    Work pending = Work.of("pending", () -> {});
    Work throwing = Work.of("throwing", () -> { throw new IllegalStateException("boom"); });

    assertTrue(result(w.queue(held)));
    await(started);
    assertTrue(result(w.queue(pending)));
    assertTrue(result(w.queue(throwing)));
    assertTrue(result(w.cancelSync(pending)), "removed the pending instance");
    CompletionStage<Boolean> cancelHeld = w.cancelSync(held); // waits for the running instance
    assertFalse(result(w.queue(held)), "refused while its cancel is in progress");
    LoggingTestKit.error("failed; the worker goes on")
        .withMdc(Map.of("kworker.worker", "stats-counters", "kworker.work", "throwing"))
        .expect(testKit.system(), () -> {
          release.countDown();
          assertFalse(result(cancelHeld));
          return result(w.flush());
        });

    KWorkerStats s = w.stats();
    assertEquals("stats-counters", s.worker());
    assertEquals(3, s.queued(), "held, pending, throwing");
    assertEquals(2, s.run(), "held and throwing");
    assertEquals(1, s.failed());
    assertEquals(1, s.cancelled());
    assertEquals(1, s.refusedWhileCanceling());
    assertFalse(s.timingsEnabled());
    assertEquals(KWorkerStats.Timing.NONE, s.runTime());
    result(w.destroy());
  }

  @Test
  void destroyCountsDroppedTimersAsCancelled() {
    KWorker w = KWorker.create(testKit.system(), "stats-destroy");
    DelayedWork later = DelayedWork.of("later", () -> fail("must not run"));
    assertTrue(result(w.queueDelayed(later, java.time.Duration.ofHours(1))));
    result(w.destroy());
    assertEquals(1, w.stats().cancelled());
    assertEquals(0, w.stats().run());
  }

  @Test
  void timingsAreKeptWhenConfigured() {
    KWorker w = KWorkers.get(testKit.system()).worker("timed");
    for (int i = 0; i < 5; i++) {
      assertTrue(result(w.queue(Work.of("t" + i, () -> {}))));
    }
    result(w.flush());
    KWorkerStats s = w.stats();
    assertTrue(s.timingsEnabled());
    assertEquals(5, s.run());
    for (KWorkerStats.Timing t : new KWorkerStats.Timing[] {s.queueLatency(), s.runTime()}) {
      assertEquals(5, t.count());
      assertTrue(t.maxNanos() >= 0 && t.totalNanos() >= t.maxNanos(), t.toString());
      assertTrue(t.mean().compareTo(t.max()) <= 0, t.toString());
      // a sanity bound, not a timing assertion: these no-op works ran within this test's lifetime
      assertTrue(t.max().compareTo(Duration.ofMinutes(10)) < 0, t.toString());
    }
    assertEquals(Duration.ZERO, KWorkerStats.Timing.NONE.mean());
  }

  @Test
  void mdcCarriesWorkerAndWorkWhileAWorkRunsAndIsClearedAfter() throws Exception {
    String dispatcher = "one-thread";
    KWorker w = KWorker.create(testKit.system(), "mdc-shared", dispatcher);
    AtomicReference<String> seen = new AtomicReference<>();
    Work work = Work.of("reader", () -> seen.set(MDC.get("kworker.worker") + "/" + MDC.get("kworker.work")));
    result(w.queue(work));
    result(w.flush());
    assertEquals("mdc-shared/reader", seen.get());

    // The dispatcher has one thread: a task submitted now runs after the worker's drain returned it.
    Executor executor = testKit.system().dispatchers().lookup(DispatcherSelector.fromConfig(dispatcher));
    CompletableFuture<String> after = CompletableFuture.supplyAsync(
        () -> MDC.get("kworker.worker") + "/" + MDC.get("kworker.work"), executor);
    assertEquals("null/null", result(after));
    result(w.destroy());
  }

  @Test
  void mdcCanBeSwitchedOff() {
    KWorker w = KWorkers.get(testKit.system()).worker("quiet");
    AtomicReference<String> seen = new AtomicReference<>("unset");
    result(w.queue(Work.of("reader", () -> seen.set(MDC.get("kworker.work")))));
    result(w.flush());
    assertNull(seen.get());
  }

  @Test
  void jmxBeanIsRegisteredWhileTheWorkerLives() throws Exception {
    KWorker w = KWorker.create(testKit.system(), "jmx-w", "dedicated");
    result(w.queue(Work.of("one", () -> {})));
    result(w.flush()); // the actor has started (and registered) before it served anything
    ObjectName name = new ObjectName("io.kworker:type=KWorker,name=jmx-w");
    assertTrue(JMX_SERVER.isRegistered(name));
    assertEquals(1L, JMX_SERVER.getAttribute(name, "Run"));
    KWorkerMXBean proxy = JMX.newMXBeanProxy(JMX_SERVER, name, KWorkerMXBean.class);
    assertEquals("jmx-w", proxy.getName());
    assertEquals("dedicated", proxy.getExecution());
    assertEquals(1, proxy.getQueued());
    assertEquals(0, proxy.getFailed());
    assertFalse(proxy.isTimingsEnabled());
    result(w.queue(Work.of("fails", () -> { throw new IllegalStateException("expected by the test"); })));
    result(w.flush());
    assertEquals(1, proxy.getFailed());
    assertTrue(proxy.getPath().contains("jmx-w"), proxy.getPath());

    result(w.destroy());
    assertFalse(JMX_SERVER.isRegistered(name), "unregistered when the worker stops");
  }

  /** jmx.enabled = auto: a worker on a shared dispatcher gets no MXBean (footprint), a dedicated one does. */
  @Test
  void autoJmxOnlyForDedicatedWorkers() throws Exception {
    KWorker shared = KWorker.create(testKit.system(), "jmx-shared", "akka.actor.default-blocking-io-dispatcher");
    KWorker dedicated = KWorker.create(testKit.system(), "jmx-dedicated", "dedicated");
    result(shared.flush());
    result(dedicated.flush());
    assertFalse(JMX_SERVER.isRegistered(new ObjectName("io.kworker:type=KWorker,name=jmx-shared")));
    assertTrue(JMX_SERVER.isRegistered(new ObjectName("io.kworker:type=KWorker,name=jmx-dedicated")));
    result(shared.destroy());
    result(dedicated.destroy());
  }

  @Test
  void sameNameInAnotherActorSystemGetsASystemKey() throws Exception {
    KWorker here = KWorker.create(testKit.system(), "jmx-twin", "dedicated");
    result(here.flush());
    WorkerTestKit other = WorkerTestKit.create("other");
    try {
      KWorker there = KWorker.create(other.system(), "jmx-twin", "dedicated");
      result(there.flush());
      assertTrue(JMX_SERVER.isRegistered(new ObjectName("io.kworker:type=KWorker,name=jmx-twin")));
      assertTrue(JMX_SERVER.isRegistered(
          new ObjectName("io.kworker:type=KWorker,system=other,name=jmx-twin")));
    } finally {
      other.shutdown();
    }
    assertFalse(JMX_SERVER.isRegistered(new ObjectName("io.kworker:type=KWorker,system=other,name=jmx-twin")),
        "a terminated system's workers unregister");
    result(here.destroy());
  }

  @Test
  void jmxCanBeSwitchedOff() throws Exception {
    KWorker w = KWorkers.get(testKit.system()).worker("quiet");
    result(w.flush());
    assertFalse(JMX_SERVER.isRegistered(new ObjectName("io.kworker:type=KWorker,name=quiet")));
  }
}
