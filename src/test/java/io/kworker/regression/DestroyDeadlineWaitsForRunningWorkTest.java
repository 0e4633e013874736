package io.kworker.regression;

import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import io.kworker.DestroyReport;
import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.testing.ExpectedLogs;
import io.kworker.testing.Gate;
import io.kworker.testing.WorkerTestKit;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fixed in 3156882 and 2452dd0: {@code destroy(Duration)} promises to complete at its deadline "with a
 * report naming them and the one still running, instead of waiting for it", but its stage completed only
 * when the running work returned: PostStop answered every destroyer once the lane had stopped, the
 * bounded ones included (3156882; found by the fault-injection harness on 8918027); and a bounded destroy
 * called after a plain {@code destroy()} joined the destroy under way without arming its own deadline
 * (2452dd0; found by the independent review). Guards that a bounded destroy answers at its deadline,
 * alone or after a plain destroy, while a work is stuck, and that the plain destroy still waits.
 */
class DestroyDeadlineWaitsForRunningWorkTest {
  @RegisterExtension
  static final ExpectedLogs LOGS = ExpectedLogs.of(ExpectedLogs.DEADLINE_MISSED);
  private static final WorkerTestKit KIT = WorkerTestKit.withManualTime();

  @AfterAll
  static void stop() {
    KIT.shutdown();
  }

  /** destroy(deadline) completes at the deadline, while the running work is still blocked. */
  @Test
  void boundedDestroyAnswersAtItsDeadlineWhileAWorkIsStuck() throws Exception {
    boundedDestroyAnswersAtItsDeadline(false);
  }

  /** destroy(deadline) after destroy() keeps its own deadline; the plain destroy still waits for the thread. */
  @Test
  void boundedDestroyAfterAPlainDestroyAnswersAtItsOwnDeadline() throws Exception {
    boundedDestroyAnswersAtItsDeadline(true);
  }

  private static void boundedDestroyAnswersAtItsDeadline(boolean plainFirst) throws Exception {
    KWorker w = KIT.newWorker("destroy-deadline");
    Gate gate = new Gate();
    Work stuck = Work.of("stuck", x -> gate.pass());
    Work behind = Work.of("behind", x -> { });
    try {
      assertTrue(result(w.queue(stuck)));
      gate.awaitEntered();
      assertTrue(result(w.queue(behind)));
      CompletionStage<Done> plain = plainFirst ? w.destroy() : null;
      CompletableFuture<DestroyReport> report = w.destroy(Duration.ofMillis(100)).toCompletableFuture();
      result(w.status(stuck)); // the destroy has been served: its deadline is armed
      KIT.timePasses(100);
      DestroyReport r;
      try {
        r = report.get(10, TimeUnit.SECONDS); // the work blocks far longer (until released below)
      } catch (TimeoutException e) {
        throw new AssertionError("destroy(100 ms)" + (plainFirst ? ", called after destroy()," : "")
            + " did not complete while work [stuck] still runs: its deadline was ignored", e);
      } catch (ExecutionException e) {
        throw new AssertionError("destroy(100 ms) failed", e.getCause());
      }
      assertFalse(r.completed(), r.toString());
      assertEquals(List.of(stuck), r.stillRunning());
      assertEquals(List.of(behind), r.discarded());
      if (plainFirst) {
        assertFalse(plain.toCompletableFuture().isDone(), "the plain destroy waits for the thread");
      }
    } finally {
      gate.open();
    }
  }
}
