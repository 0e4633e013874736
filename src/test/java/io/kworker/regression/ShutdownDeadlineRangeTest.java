package io.kworker.regression;

import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import io.kworker.KWorker;
import io.kworker.KWorkers;
import io.kworker.Work;
import io.kworker.testing.Await;
import io.kworker.testing.ExpectedLogs;
import io.kworker.testing.WorkerTestKit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fixed in 6e218a9: kworker.shutdown.destroy-deadline, global or in a worker's block, was not checked
 * against the shutdown phase's timeout; a value the destroy could not take made it fail at shutdown, the
 * phase moved on, and a resource closed in a later phase was closed under the running work. Guards that a
 * value outside 0 .. the phase's timeout is rejected when the extension (global) or the worker (per-worker
 * block) is created, with an error naming the key and the allowed range, that values within it are
 * accepted, and that a destroy that fails at shutdown never ends the phase's wait for a running work early.
 *
 * <p>The phase's timeout is set to 7 s here so that the range in the message is recognisable.
 */
class ShutdownDeadlineRangeTest {
  @RegisterExtension
  static final ExpectedLogs LOGS = ExpectedLogs.of(ExpectedLogs.DEADLINE_MISSED);
  private static final String PHASE_TIMEOUT = "akka.coordinated-shutdown.phases.service-stop.timeout = 7s\n";

  @ParameterizedTest(name = "kworker.shutdown.destroy-deadline = {0}")
  @ValueSource(strings = {"-1s", "8s", "300d"})
  void globalDestroyDeadlineOutsideThePhaseTimeoutIsRejectedWhenTheExtensionIsCreated(String value) {
    WorkerTestKit kit = WorkerTestKit.withConfig(WorkerTestKit.unique("deadline-range"),
        PHASE_TIMEOUT + "kworker.shutdown.destroy-deadline = " + value);
    try {
      RuntimeException e = assertThrows(RuntimeException.class, () -> KWorkers.get(kit.system()),
          "kworker.shutdown.destroy-deadline = " + value + " is outside 0..7s (service-stop's timeout) and "
              + "must be rejected when the extension is created");
      assertNamesKeyAndRange(e, "kworker.shutdown.destroy-deadline");
    } finally {
      kit.shutdown();
    }
  }

  @ParameterizedTest(name = "kworker.workers.<name>.shutdown.destroy-deadline = {0}")
  @ValueSource(strings = {"-1s", "300d"})
  void perWorkerDestroyDeadlineOutsideThePhaseTimeoutIsRejectedWhenTheWorkerIsCreated(String value) {
    String name = WorkerTestKit.unique("deadline-range-worker");
    WorkerTestKit kit = WorkerTestKit.withConfig(WorkerTestKit.unique("deadline-range"),
        PHASE_TIMEOUT + "kworker.workers." + name + ".shutdown.destroy-deadline = " + value);
    try {
      KWorkers registry = KWorkers.get(kit.system());
      RuntimeException e = assertThrows(RuntimeException.class, () -> registry.worker(name),
          "kworker.workers." + name + ".shutdown.destroy-deadline = " + value + " is outside 0..7s and must "
              + "be rejected when the worker is created");
      assertNamesKeyAndRange(e, "destroy-deadline");
      assertTrue(e.getMessage().contains(name), "the error names the worker: " + e.getMessage());
      kit.roundTrip();
      assertTrue(registry.lookup(name).isEmpty(), "no worker registered");
      assertFalse(Support.mbeanRegistered(name), "a worker was started anyway: its MXBean is registered");
    } finally {
      kit.shutdown();
    }
  }

  /** Deadlines within the range are accepted. */
  @ParameterizedTest(name = "destroy-deadline = {0}")
  @ValueSource(strings = {"0s", "3s"})
  void destroyDeadlineWithinThePhaseTimeoutIsAccepted(String value) {
    String name = WorkerTestKit.unique("deadline-ok");
    WorkerTestKit kit = WorkerTestKit.withConfig(WorkerTestKit.unique("deadline-ok"), PHASE_TIMEOUT
        + "kworker.shutdown.destroy-deadline = " + value + "\n"
        + "kworker.workers." + name + ".shutdown.destroy-deadline = " + value);
    try {
      KWorker w = KWorkers.get(kit.system()).worker(name);
      assertTrue(result(w.queue(Work.of("w", () -> { }))));
      assertNotNull(KWorkers.get(kit.system()).worker(WorkerTestKit.unique("deadline-ok-default")));
    } finally {
      kit.shutdown();
    }
  }

  /**
   * The extension's main promise: a resource closed in a later phase is never closed while a work of a
   * registry's worker still runs. With a deadline the destroy cannot take, the fix rejects the
   * configuration at creation (then this test only checks the error); if it is accepted, the shutdown
   * must still wait for the running work.
   */
  @ParameterizedTest(name = "{0} destroy-deadline = {1}")
  @CsvSource({"global, -1s", "worker, 300d"})
  void aDestroyThatFailsAtShutdownNeverEndsThePhasesWaitEarly(String where, String value) throws Exception {
    String name = WorkerTestKit.unique("exporter");
    String key = where.equals("global") ? "kworker.shutdown.destroy-deadline"
        : "kworker.workers." + name + ".shutdown.destroy-deadline";
    // a long phase timeout: only kworker's own wait may hold the phase
    WorkerTestKit kit = WorkerTestKit.withConfig(WorkerTestKit.unique("failing-destroy"),
        "akka.coordinated-shutdown.phases.service-stop.timeout = 60s\n" + key + " = " + value);
    CountDownLatch release = new CountDownLatch(1);
    try {
      ActorSystem<Void> system = kit.system();
      KWorker w;
      try {
        w = KWorkers.get(system).worker(name);
      } catch (RuntimeException rejected) {
        assertTrue(String.valueOf(rejected.getMessage()).contains("destroy-deadline"),
            "rejected at creation, with an error naming the key: " + rejected);
        return;
      }
      AtomicBoolean running = new AtomicBoolean();
      AtomicReference<Boolean> closedWhileRunning = new AtomicReference<>();
      CountDownLatch closed = new CountDownLatch(1);
      CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
          "close-resource", () -> {
            closedWhileRunning.compareAndSet(null, running.get());
            closed.countDown();
            return CompletableFuture.completedFuture(Done.getInstance());
          });
      CountDownLatch started = new CountDownLatch(1);
      assertTrue(result(w.queue(Work.of("long", () -> {
        running.set(true);
        started.countDown();
        try {
          release.await(3 * Await.LONG_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        running.set(false);
      }))));
      Await.await(started);
      system.terminate();
      // A correct shutdown holds the phase here until the work returns: this wait then runs out (bounded).
      closed.await(Await.LONG_SECONDS, TimeUnit.SECONDS);
      release.countDown();
      system.getWhenTerminated().toCompletableFuture().get(3 * Await.LONG_SECONDS, TimeUnit.SECONDS);
      assertFalse(closedWhileRunning.get() == null || closedWhileRunning.get(), "with " + key + " = " + value
          + ", a resource closed in a later phase was closed while work [long] of worker [" + name
          + "] still ran (closed while running: " + closedWhileRunning.get() + ")");
    } finally {
      release.countDown();
      kit.shutdown();
    }
  }

  /** The error names the key and the allowed range 0 .. 7 s (in any usual notation). */
  private static void assertNamesKeyAndRange(RuntimeException e, String key) {
    String m = String.valueOf(e.getMessage());
    assertTrue(m.contains(key), "the error names the key " + key + ": " + m);
    assertTrue(m.matches("(?s).*(\\b7 ?s\\b|\\b7 ?seconds\\b|\\b7000 ?ms\\b|PT7S).*"),
        "the error names the allowed range, up to service-stop's timeout of 7 s: " + m);
  }
}
