package io.kworker.regression;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kworker.DelayedWork;
import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.testing.WorkerTestKit;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Regression test. The bug, as this harness found it on 8918027 (fixed on main since): a delay longer than Akka's scheduler can hold (about 248 days with the default 10 ms tick;
 * {@code KWorker.nanos} accepts up to 100 years) kills the worker and leaves stages hanging.
 * {@code WorkerBehavior.arm} calls {@code scheduler().scheduleOnce(...)}, which throws
 * IllegalArgumentException "Task scheduled with [...] seconds delay, which is too far in future"; the
 * exception escapes the actor (StopSupervisor stops it) before the request is answered, and
 * {@code onPostStop} then throws a NullPointerException in {@code disarm} ({@code tm.task} is null: the
 * Timer was linked into the armed list before scheduleOnce threw), so the inbox's late requests and the
 * parked waiters are never answered either. The same happens through {@code modDelayed}.
 */
class LongDelayKillsWorkerTest {
  private static final WorkerTestKit KIT = WorkerTestKit.create();

  @AfterAll
  static void stop() {
    KIT.shutdown();
  }

  /** queueDelayed with a delay of a year answers (armed, or a clear error) and the worker keeps serving. */
  @Test
  void aYearLongDelayIsAnsweredAndTheWorkerSurvives() throws Exception {
    KWorker w = KIT.newWorker("long-delay");
    DelayedWork d = DelayedWork.of("d", x -> { });
    CompletableFuture<Boolean> armed = w.queueDelayed(d, Duration.ofDays(365)).toCompletableFuture();
    try {
      armed.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertTrue(e.getCause() instanceof IllegalArgumentException, "a clear error, not " + e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("queueDelayed(365 days) never completed", e);
    }
    CompletableFuture<Boolean> next = w.queue(Work.of("next", x -> { })).toCompletableFuture();
    try {
      assertTrue(next.get(10, TimeUnit.SECONDS), "the worker still queues");
    } catch (ExecutionException e) {
      throw new AssertionError("the worker died: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("queue after the long delay never completed", e);
    }
  }
}
