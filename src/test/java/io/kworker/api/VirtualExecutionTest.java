package io.kworker.api;

import static io.kworker.testing.Await.await;
import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import akka.actor.typed.ActorRef;
import io.kworker.KWorker;
import io.kworker.KWorkers;
import io.kworker.Work;
import io.kworker.testing.Await;
import io.kworker.testing.WorkerTestKit;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.Pipe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@code execution = "virtual"}: works run on a virtual thread named {@code kworker/<name>} on Java 21+,
 * chosen globally, per worker or per call, with cancel and interrupts as on a platform thread; before
 * Java 21, creating such a worker fails with an error naming the setting and the worker, and nothing is
 * started. The kernel rules themselves are the conformance suite's, which {@code .ci/run} also runs with
 * {@code -Dkworker.test.execution=virtual} on a newer JDK.
 */
class VirtualExecutionTest {
  static final boolean JAVA_21 = Runtime.version().feature() >= 21;

  private static final String VIRTUAL = "kworker.execution = \"virtual\"";

  /** A test's body, on a kit of its own. */
  private interface KitTest {
    void run(WorkerTestKit kit) throws Exception;
  }

  /** Runs {@code test} on a fresh kit with {@code hocon} over the test configuration, then shuts it down. */
  private static void withKit(String hocon, KitTest test) throws Exception {
    WorkerTestKit kit = WorkerTestKit.withConfig(WorkerTestKit.unique("virtual"), hocon);
    try {
      test.run(kit);
    } finally {
      kit.shutdown();
    }
  }

  /** The thread a work of {@code worker} runs on. */
  private static Thread threadOf(KWorker worker) {
    CompletableFuture<Thread> ran = new CompletableFuture<>();
    assertTrue(result(worker.queue(Work.of("where", () -> ran.complete(Thread.currentThread())))));
    return result(ran);
  }

  /** {@code Thread.isVirtual()}, a Java 21 method: the tests compile for Java 17. */
  private static boolean isVirtual(Thread t) {
    try {
      return (boolean) Thread.class.getMethod("isVirtual").invoke(t);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  private static void assertVirtualNamed(String name, Thread t) {
    assertEquals("kworker/" + name, t.getName());
    assertTrue(isVirtual(t), t + " is virtual");
  }

  /** The MXBeans of workers named {@code name}, in any actor system. */
  private static int mxBeans(String name) {
    try {
      return ManagementFactory.getPlatformMBeanServer()
          .queryNames(new ObjectName("io.kworker:type=KWorker,name=" + name + ",*"), null).size();
    } catch (MalformedObjectNameException e) {
      throw new AssertionError(e);
    }
  }

  // ---------------------------------------------------------------- Java 17 to 20: a clear refusal

  /** Each way to ask for virtual threads is refused at creation, naming the setting and the worker. */
  @Test
  void beforeJava21VirtualIsRefusedAtCreationNamingTheSettingAndTheWorker() throws Exception {
    assumeTrue(!JAVA_21, "runs on a JVM older than Java 21");
    withKit("""
        kworker.execution = "virtual"
        kworker.workers.fetcher.execution = "virtual"
        kworker.workers.poller.execution = "dedicated"
        """, kit -> {
      KWorkers registry = KWorkers.get(kit.system());
      assertRefused("kworker.workers.fetcher.execution", "fetcher", () -> registry.worker("fetcher"));
      assertTrue(registry.lookup("fetcher").isEmpty(), "nothing was registered");
      assertRefused("kworker.execution", "unconfigured", () -> registry.worker("unconfigured"));
      assertRefused("kworker.execution", "direct", () -> KWorker.create(kit.system(), "direct"));
      assertRefused("execution", "by-call", () -> KWorker.create(kit.system(), "by-call", "virtual"));
      CompletableFuture<KWorker> spawned = new CompletableFuture<>();
      kit.spawn(akka.actor.typed.javadsl.Behaviors.setup(ctx -> {
        try {
          spawned.complete(KWorker.spawn(ctx, "child"));
        } catch (RuntimeException e) {
          spawned.completeExceptionally(e);
        }
        return akka.actor.typed.javadsl.Behaviors.empty();
      }));
      Throwable child = Await.failure(spawned);
      assertMessage("kworker.execution", "child", child);

      // nothing was lost: the names are free, and a worker the JVM can run still starts
      KWorker poller = registry.worker("poller");
      assertEquals("kworker/poller", threadOf(poller).getName());
      KWorker again = KWorker.create(kit.system(), "direct", "dedicated");
      assertEquals("kworker/direct", threadOf(again).getName());
      result(again.destroy());
    });
  }

  private static void assertRefused(String key, String worker, Runnable create) {
    assertMessage(key, worker, assertThrows(UnsupportedOperationException.class, create::run));
  }

  private static void assertMessage(String key, String worker, Throwable e) {
    assertTrue(e instanceof UnsupportedOperationException, e.toString());
    String m = e.getMessage();
    assertTrue(m.contains("worker [" + worker + "]") && m.contains(key + " = \"virtual\"")
        && m.contains("Java 21") && m.contains("Java " + Runtime.version()), m);
  }

  // ---------------------------------------------------------------- Java 21+: virtual threads

  /** Globally, per worker and per call: the thread is virtual and named kworker/NAME. */
  @Test
  void worksRunOnAVirtualThreadNamedAfterTheWorker() throws Exception {
    assumeTrue(JAVA_21, "virtual threads need Java 21");
    withKit("""
        kworker.execution = "dedicated"
        kworker.workers.fetcher.execution = "virtual"
        """, kit -> {
      KWorkers registry = KWorkers.get(kit.system());
      assertVirtualNamed("fetcher", threadOf(registry.worker("fetcher")));
      Thread plain = threadOf(registry.worker("plain"));
      assertEquals("kworker/plain", plain.getName());
      assertFalse(isVirtual(plain), "the default stays a platform thread");
      KWorker byCall = KWorker.create(kit.system(), "by-call", "virtual");
      assertVirtualNamed("by-call", threadOf(byCall));
      result(byCall.destroy());
    });
  }

  /**
   * {@code -Dkworker.test.execution=virtual} (as {@code .ci/run} sets on a newer JDK) makes the test kits'
   * workers virtual: the conformance suite then runs on virtual threads indeed.
   */
  @Test
  void theTestPropertyMakesVirtualTheKitsDefault() throws Exception {
    assumeTrue(JAVA_21 && WorkerTestKit.EXECUTION.equals("virtual"), "with -Dkworker.test.execution=virtual");
    withKit("", kit -> {
      assertEquals("virtual", kit.execution());
      KWorker w = kit.newWorker("kit-default");
      assertVirtualNamed(w.name(), threadOf(w));
    });
  }

  /** With kworker.execution = virtual: create, spawn and behavior all run on virtual threads; a block may opt out. */
  @Test
  void virtualAsTheDefaultReachesEveryWayToMakeAWorker() throws Exception {
    assumeTrue(JAVA_21, "virtual threads need Java 21");
    withKit("""
        kworker.execution = "virtual"
        kworker.workers.poller.execution = "dedicated"
        """, kit -> {
      assertVirtualNamed("made", threadOf(kit.namedWorker("made")));
      assertVirtualNamed("child", threadOf(kit.spawnChildWorker("child").worker()));
      ActorRef<KWorker.Command> ref = kit.spawn(KWorker.behavior("behaved"));
      assertVirtualNamed("behaved", threadOf(result(KWorker.wrap(kit.system(), ref))));
      Thread poller = threadOf(KWorkers.get(kit.system()).worker("poller"));
      assertEquals("kworker/poller", poller.getName());
      assertFalse(isVirtual(poller));
      // jmx.enabled = auto: a virtual worker is meant to be cheap, so it gets no MXBean; a dedicated one does
      assertEquals(0, mxBeans("made"), "auto gives a virtual worker no MXBean");
      assertEquals(1, mxBeans("poller"));
    });
  }

  /** A work's blocking call; it counts {@code started} down first. */
  private interface Blocker {
    Object block(CountDownLatch started) throws Exception;
  }

  /** Works blocked in a sleep, on a latch and on a pipe's read are interrupted by cancelSync's grace. */
  @Test
  void cancelSyncInterruptsAWorkBlockedOnAVirtualThread() throws Exception {
    assumeTrue(JAVA_21, "virtual threads need Java 21");
    withKit(VIRTUAL, kit -> {
      Pipe pipe = Pipe.open();
      try {
        KWorker worker = kit.newWorker("interrupted");
        List<Blocker> blockers = List.of(
            started -> { started.countDown(); Thread.sleep(Duration.ofHours(1).toMillis()); return "slept"; },
            started -> { started.countDown(); new CountDownLatch(1).await(); return "awaited"; },
            started -> { started.countDown(); return pipe.source().read(ByteBuffer.allocate(1)); });
        List<Object> outcomes = new ArrayList<>();
        for (int i = 0; i < blockers.size(); i++) {
          Blocker blocker = blockers.get(i);
          CountDownLatch started = new CountDownLatch(1);
          AtomicReference<Object> outcome = new AtomicReference<>();
          Work w = Work.of("blocked-" + i, () -> {
            try {
              outcome.set(blocker.block(started));
            } catch (Exception e) {
              outcome.set(e.getClass());
            }
          });
          assertTrue(result(worker.queue(w)));
          await(started);
          // grace 0 interrupts at once, a finite one when it ends: both as on a platform thread
          assertFalse(result(worker.cancelSync(w, i == 1 ? Duration.ofMillis(20) : Duration.ZERO)));
          outcomes.add(outcome.get());
        }
        assertEquals(List.of(InterruptedException.class, InterruptedException.class,
            ClosedByInterruptException.class), outcomes);
        AtomicBoolean nextInterrupted = new AtomicBoolean(true);
        AtomicReference<Thread> next = new AtomicReference<>();
        assertTrue(result(worker.queue(Work.of("next", () -> {
          next.set(Thread.currentThread());
          nextInterrupted.set(Thread.currentThread().isInterrupted());
        }))));
        result(worker.flush());
        assertFalse(nextInterrupted.get(), "the interrupt did not reach the next work");
        assertVirtualNamed(worker.name(), next.get());
      } finally {
        pipe.source().close();
        pipe.sink().close();
      }
    });
  }

  /** A work polling cancelRequested() on a virtual thread returns early; the cancel completes after it. */
  @Test
  void cooperativeCancelOnAVirtualThread() throws Exception {
    assumeTrue(JAVA_21, "virtual threads need Java 21");
    withKit(VIRTUAL, kit -> {
      KWorker worker = kit.newWorker("coop");
      CountDownLatch started = new CountDownLatch(1);
      AtomicBoolean returnedEarly = new AtomicBoolean();
      AtomicBoolean interrupted = new AtomicBoolean();
      Work w = Work.of("poller", self -> {
        started.countDown();
        while (!self.cancelRequested()) {
          Thread.yield(); // a virtual thread's yield: its carrier serves other virtual threads meanwhile
        }
        interrupted.set(Thread.currentThread().isInterrupted());
        returnedEarly.set(true);
      });
      assertTrue(result(worker.queue(w)));
      await(started);
      assertFalse(result(worker.cancelSync(w)));
      assertTrue(returnedEarly.get());
      assertFalse(interrupted.get(), "a cancel without a grace never interrupts");
    });
  }

  /**
   * No carrier thread is pinned while works block, are interrupted, make protocol commands and are
   * waited for: JFR's {@code jdk.VirtualThreadPinned} (a park inside a monitor or under a native frame;
   * threshold 0) records nothing. On Java 21 to 23 a monitor pins, so a lane that parked inside a
   * {@code synchronized} block would show here; from Java 24 on only native frames do.
   */
  @Test
  void noCarrierThreadIsPinned() throws Exception {
    assumeTrue(JAVA_21, "virtual threads need Java 21");
    withKit(VIRTUAL, kit -> {
      Path dump = Files.createTempFile("kworker-pinned", ".jfr");
      try (Recording recording = new Recording()) {
        recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
        recording.start();
        CountDownLatch release = new CountDownLatch(1);
        List<KWorker> workers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          KWorker w = kit.newWorker("pin");
          workers.add(w);
          CountDownLatch started = new CountDownLatch(1);
          Work sleeper = Work.of("sleeper", () -> {
            started.countDown();
            try {
              Thread.sleep(Duration.ofHours(1).toMillis());
            } catch (InterruptedException e) {
              // the cancel's interrupt: return
            }
          });
          Work chained = Work.of("chained", () -> {});
          w.queue(Work.of("waiter", () -> {
            w.ref().tell(new KWorker.Queue(chained, kit.testKit().<akka.pattern.StatusReply<Boolean>>createTestProbe().getRef()));
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }));
          w.queue(sleeper);
          CompletableFuture<?> flushed = w.flush(chained).toCompletableFuture();
          if (i == 0) {
            release.countDown();
          }
          await(started);
          assertFalse(result(w.cancelSync(sleeper, Duration.ZERO)));
          result(flushed);
        }
        for (KWorker w : workers) {
          result(w.destroy());
        }
        recording.stop();
        recording.dump(dump);
        List<RecordedEvent> pinned = RecordingFile.readAllEvents(dump).stream()
            .filter(e -> !inTheJdksInterruptHandshake(e)).toList();
        assertTrue(pinned.isEmpty(), "carrier threads pinned: " + pinned);
      } finally {
        Files.deleteIfExists(dump);
      }
    });
  }

  /**
   * A pin inside {@code java.lang.VirtualThread}'s interrupt methods: the cancel's {@code interrupt()} and
   * the sleeping thread contend for that thread's own interrupt lock, which Java 25 may record as a pin
   * ("Contended monitor enter", "Freeze or preempt failed"; seen once in CI, in getAndClearInterrupt under
   * Thread.sleep). The JDK's interrupt handshake, not a monitor or native frame of kworker's or the work's.
   */
  private static boolean inTheJdksInterruptHandshake(RecordedEvent e) {
    var stack = e.getStackTrace();
    if (stack == null || stack.getFrames().isEmpty()) {
      return false;
    }
    var top = stack.getFrames().get(0).getMethod(); // a park that pins has a park method on top, never this
    return top.getType().getName().equals("java.lang.VirtualThread") && top.getName().contains("Interrupt");
  }

  /**
   * 1,000 virtual workers each blocked in a work at once hold no platform thread each: the JVM's live
   * platform threads grow by far fewer than the workers (with dedicated threads: one each).
   */
  @Test
  void workersBlockedAtOnceHoldNoPlatformThreadEach() throws Exception {
    assumeTrue(JAVA_21, "virtual threads need Java 21");
    int n = 1_000;
    withKit(VIRTUAL, kit -> {
      CountDownLatch release = new CountDownLatch(1);
      try {
        int before = ManagementFactory.getThreadMXBean().getThreadCount();
        CountDownLatch allBlocked = new CountDownLatch(n);
        List<KWorker> workers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          KWorker w = kit.newWorker("blocked");
          workers.add(w);
          w.queue(Work.of("wait", () -> {
            allBlocked.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }));
        }
        await(allBlocked);
        int during = ManagementFactory.getThreadMXBean().getThreadCount();
        assertTrue(during - before < n / 10, "platform threads grew from " + before + " to " + during);
        release.countDown();
        for (KWorker w : workers) {
          result(w.flush());
        }
      } finally {
        release.countDown();
      }
    });
  }
}
