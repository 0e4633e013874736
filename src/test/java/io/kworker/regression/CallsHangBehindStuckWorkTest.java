package io.kworker.regression;

import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import io.kworker.DestroyReport;
import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.WorkState;
import io.kworker.testing.Await;
import io.kworker.testing.ExpectedLogs;
import io.kworker.testing.Gate;
import io.kworker.testing.WorkerTestKit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fixed in 6e218a9: after {@code destroy(deadline)} had reported a work still running, or after the actor
 * system had terminated while a work was stuck, calls that wait for nothing ({@code cancel} of another work,
 * {@code state}, {@code pending}, {@code busy}, {@code status}, {@code disable}, {@code flush} of a work that
 * never ran, another {@code destroy(deadline)}) hung until the stuck work returned: on a closed worker every
 * call but queueing was answered only once the lane had returned from its last work. Guards that those
 * calls are answered, with a gone worker's values, while the stuck work still runs, and that only the waits
 * that depend on the stuck run (cancel-sync and flush of that work, {@code flush()} of the worker) wait for
 * it and complete once it returns.
 *
 * <p>The stuck work is held by a {@link Gate} (released at the end, so no thread is left behind); every
 * other call must complete within one bounded wait ({@link Await#LONG_SECONDS}) while it is still held.
 */
class CallsHangBehindStuckWorkTest {
  @RegisterExtension
  static final ExpectedLogs LOGS =
      ExpectedLogs.of(ExpectedLogs.STOPPED_WITH_WORKS, ExpectedLogs.REFUSED, ExpectedLogs.DEADLINE_MISSED);
  static {
    org.slf4j.LoggerFactory.getLogger(CallsHangBehindStuckWorkTest.class); // SLF4J ready before Akka logs
  }

  /** After destroy(deadline) reported [stuck] as still running, no call but those on [stuck]'s run waits for it. */
  @Test
  void callsThatWaitForNothingAreAnsweredWhileAStuckWorkRunsPastADestroyDeadline() {
    WorkerTestKit kit = WorkerTestKit.create();
    Gate gate = new Gate();
    AtomicBoolean returned = new AtomicBoolean();
    try {
      KWorker worker = KWorker.create(kit.system(), "stuck-destroyed");
      Work stuck = Work.of("stuck", w -> { gate.pass(); returned.set(true); });
      Work discarded = Work.of("discarded", w -> { });
      assertTrue(result(worker.queue(stuck)));
      gate.awaitEntered();
      assertTrue(result(worker.queue(discarded)));
      DestroyReport report = result(worker.destroy(Duration.ofMillis(50)));
      assertFalse(report.completed());
      assertEquals(List.of(stuck), report.stillRunning());

      checkCallsOnAClosedWorkerWithAStuckWork(worker, stuck, discarded, gate, returned);
    } finally {
      gate.open();
      kit.shutdown();
    }
  }

  /** After the actor system terminated under a stuck work, no call but those on its run waits for it. */
  @Test
  void callsThatWaitForNothingAreAnsweredWhileAStuckWorkRunsPastTheSystemsTermination() {
    WorkerTestKit kit = WorkerTestKit.create();
    Gate gate = new Gate();
    AtomicBoolean returned = new AtomicBoolean();
    try {
      KWorker worker = KWorker.create(kit.system(), "stuck-terminated");
      Work stuck = Work.of("stuck", w -> { gate.pass(); returned.set(true); });
      Work dropped = Work.of("dropped", w -> { });
      assertTrue(result(worker.queue(stuck)));
      gate.awaitEntered();
      assertTrue(result(worker.queue(dropped)));
      kit.terminate();
      Await.until("the worker refuses queueing", () -> worker.queue(Work.of("probe", w -> { }))
          .handle((v, e) -> e instanceof RejectedExecutionException).toCompletableFuture().join());

      checkCallsOnAClosedWorkerWithAStuckWork(worker, stuck, dropped, gate, returned);
    } finally {
      gate.open();
      kit.shutdown();
    }
  }

  /**
   * The worker is closed and {@code stuck} holds its lane; {@code notRun} was queued behind it and never
   * ran. Calls that wait for nothing complete within the bound while {@code stuck} is held; the waits on
   * {@code stuck}'s run complete once it returns.
   */
  private static void checkCallsOnAClosedWorkerWithAStuckWork(KWorker worker, Work stuck, Work notRun,
      Gate gate, AtomicBoolean returned) {
    Work fresh = Work.of("fresh", w -> { });

    // waits that depend on the stuck run: they may wait for it
    CompletionStage<Boolean> cancelSyncStuck = worker.cancelSync(stuck);
    CompletionStage<Done> flushStuck = worker.flush(stuck);
    CompletionStage<Done> flushWorker = worker.flush();

    // calls that wait for nothing
    Map<String, CompletableFuture<?>> calls = new LinkedHashMap<>();
    calls.put("cancel(notRun)", worker.cancel(notRun).toCompletableFuture());
    calls.put("cancel(fresh)", worker.cancel(fresh).toCompletableFuture());
    calls.put("state(fresh)", worker.state(fresh).toCompletableFuture());
    calls.put("pending(fresh)", worker.pending(fresh).toCompletableFuture());
    calls.put("busy(fresh)", worker.busy(fresh).toCompletableFuture());
    calls.put("status(fresh)", worker.status(fresh).toCompletableFuture());
    calls.put("state(stuck)", worker.state(stuck).toCompletableFuture());
    calls.put("pending(stuck)", worker.pending(stuck).toCompletableFuture());
    calls.put("busy(stuck)", worker.busy(stuck).toCompletableFuture());
    calls.put("status(stuck)", worker.status(stuck).toCompletableFuture());
    calls.put("disable(fresh)", worker.disable(fresh).toCompletableFuture());
    calls.put("flush(notRun)", worker.flush(notRun).toCompletableFuture());
    calls.put("flush(fresh)", worker.flush(fresh).toCompletableFuture());
    calls.put("destroy(deadline)", worker.destroy(Duration.ofMillis(50)).toCompletableFuture());

    List<String> hung = waitAll(calls, Await.LONG_SECONDS);
    assertFalse(returned.get(), "the stuck work returned by itself: the test proves nothing");
    assertTrue(hung.isEmpty(), "while work [stuck] still runs on the closed worker, these calls did not "
        + "complete within " + Await.LONG_SECONDS + " s although they wait for nothing: " + hung);

    // the values the README gives for a gone worker: cancels false, flushes Done, an idle work is idle
    assertEquals(Boolean.FALSE, calls.get("cancel(notRun)").join());
    assertEquals(Boolean.FALSE, calls.get("cancel(fresh)").join());
    assertEquals(WorkState.IDLE, calls.get("state(fresh)").join());
    assertEquals(Boolean.FALSE, calls.get("pending(fresh)").join());
    assertEquals(Boolean.FALSE, calls.get("busy(fresh)").join());
    assertEquals(Boolean.FALSE, calls.get("disable(fresh)").join());
    assertEquals(Done.getInstance(), calls.get("flush(notRun)").join());
    assertEquals(Done.getInstance(), calls.get("flush(fresh)").join());
    assertNotNull(calls.get("destroy(deadline)").join());

    gate.open();
    assertFalse(result(cancelSyncStuck));
    assertEquals(Done.getInstance(), result(flushStuck));
    assertEquals(Done.getInstance(), result(flushWorker));
    assertTrue(returned.get());
  }

  /** Waits for every call within one shared bound; the names of those still not complete. */
  private static List<String> waitAll(Map<String, CompletableFuture<?>> calls, long seconds) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<String> hung = new ArrayList<>();
    for (Map.Entry<String, CompletableFuture<?>> e : calls.entrySet()) {
      try {
        e.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException timeout) {
        hung.add(e.getKey());
      } catch (ExecutionException failed) {
        // completed: the values are checked afterwards
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        throw new AssertionError(interrupted);
      }
    }
    return hung;
  }
}
