package io.kworker.regression;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kworker.DelayedWork;
import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.testing.ExpectedLogs;
import io.kworker.testing.WorkerTestKit;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fixed in 3156882 (delays beyond the scheduler's range stepped; in 8080a87 a refused timer costs one call,
 * not the worker): a delay longer than Akka's scheduler could hold (about 248 days with the default 10 ms
 * tick, while the façade accepts up to 100 years) killed the worker and left stages hanging. Arming the
 * timer threw "Task scheduled with [...] seconds delay, which is too far in future"; the exception escaped
 * the actor before the request was answered, and PostStop then threw a NullPointerException on the
 * half-linked timer, so the late requests and the parked waiters were never answered either (the same
 * through modDelayed). Found on 8918027 by the API edge tests (d49598f). Guards that a year-long delay is
 * answered (armed, or a clear error) and that the worker keeps serving.
 */
class LongDelayKillsWorkerTest {
  @RegisterExtension
  static final ExpectedLogs LOGS = ExpectedLogs.of(ExpectedLogs.ARMED_AT_DESTROY);
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
