package io.kworker.regression;

import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kworker.DestroyReport;
import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.testing.ExpectedLogs;
import io.kworker.testing.Gate;
import io.kworker.testing.Recorder;
import io.kworker.testing.WorkerTestKit;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fixed in 6e218a9: destroy(deadline) with a deadline beyond Akka's scheduler range (300 days,
 * ChronoUnit.FOREVER) failed at once and destroyed nothing. Guards that it behaves as destroy(), on the
 * façade and through the protocol: queueing is refused from then on, the running work and the queued ones
 * run, and the report says it completed.
 */
class HugeDestroyDeadlineTest {
  @RegisterExtension
  static final ExpectedLogs LOGS = ExpectedLogs.of(ExpectedLogs.REFUSED);
  private static final WorkerTestKit KIT = WorkerTestKit.create();

  @AfterAll
  static void shutdown() {
    KIT.shutdown();
  }

  static Stream<Duration> hugeDeadlines() {
    return Support.hugeDurations();
  }

  @ParameterizedTest(name = "deadline {0}")
  @MethodSource("hugeDeadlines")
  void destroyWithADeadlineBeyondTheSchedulerRangeBehavesAsDestroy(Duration deadline) {
    destroysAsDestroy("huge-deadline", deadline, KWorker::destroy,
        (w, late) -> w.queue(late));
  }

  @ParameterizedTest(name = "deadline {0}")
  @MethodSource("hugeDeadlines")
  void destroyWithinADeadlineBeyondTheSchedulerRangeThroughTheProtocolBehavesAsDestroy(Duration deadline) {
    // the late queue goes through the protocol too: the façade and the protocol are two channels
    destroysAsDestroy("huge-deadline-protocol", deadline, (w, d) -> KIT.<DestroyReport>ask(w, r -> new KWorker.DestroyWithin(d, r)),
        (w, late) -> KIT.<Boolean>ask(w, r -> new KWorker.Queue(late, r)));
  }

  private void destroysAsDestroy(String prefix, Duration deadline,
      BiFunction<KWorker, Duration, CompletionStage<DestroyReport>> destroy,
      BiFunction<KWorker, Work, CompletionStage<Boolean>> queue) {
    KWorker w = KIT.newWorker(prefix);
    Gate gate = new Gate();
    Recorder rec = new Recorder();
    Work queued = rec.work("queued");
    try {
      assertTrue(result(w.queue(Work.of("running", gate::pass))));
      gate.awaitEntered();
      assertTrue(result(w.queue(queued)));
      CompletionStage<DestroyReport> destroyed = destroy.apply(w, deadline);
      CompletionStage<Boolean> late = queue.apply(w, Work.of("late", () -> { }));
      Object refused = result(late.handle((v, e) ->
          e instanceof CompletionException c ? c.getCause() : e != null ? e : v));
      assertInstanceOf(RejectedExecutionException.class, refused, () -> "destroy(" + deadline + ") of worker ["
          + w.name() + "] must be accepted and refuse later queueing; the destroy " + Support.describe(destroyed)
          + ", queue(late) " + Support.describe(late));
      gate.open();
      assertEquals(new DestroyReport(true, List.of(), List.of()), result(destroyed),
          "every work queued before the destroy ran");
    } finally {
      gate.open();
    }
    assertEquals(List.of("queued"), rec.order(), "the work queued before destroy ran");
  }
}
