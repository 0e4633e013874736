package io.kworker.api;

import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kworker.DelayedWork;
import io.kworker.DestroyReport;
import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.WorkState;
import io.kworker.WorkStatus;
import io.kworker.testing.Await;
import io.kworker.testing.ExpectedLogs;
import io.kworker.testing.Gate;
import io.kworker.testing.WorkerTestKit;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.HashSet;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the worker says about its armed works, through the façade and the actor protocol alike: the
 * expiry in {@link WorkStatus#expiresIn()}, and the works a destroy disarmed in
 * {@link DestroyReport#disarmed()}.
 */
class ArmedWorksTest {
  @RegisterExtension
  static final ExpectedLogs LOGS = ExpectedLogs.of(ExpectedLogs.ARMED_AT_DESTROY, ExpectedLogs.DEADLINE_MISSED);
  static final WorkerTestKit kit = WorkerTestKit.create();

  @AfterAll
  static void shutdown() {
    kit.shutdown();
  }

  /** The two ways in: the façade, or a protocol ask. */
  enum Way {
    FACADE((w, x) -> w.status(x), (w, d) -> w.destroy(d)),
    PROTOCOL((w, x) -> kit.ask(w, r -> new KWorker.GetStatus(x, r)),
        (w, d) -> kit.ask(w, r -> new KWorker.DestroyWithin(d, r)));

    final BiFunction<KWorker, Work, CompletionStage<WorkStatus>> status;
    final BiFunction<KWorker, Duration, CompletionStage<DestroyReport>> destroy;

    Way(BiFunction<KWorker, Work, CompletionStage<WorkStatus>> status,
        BiFunction<KWorker, Duration, CompletionStage<DestroyReport>> destroy) {
      this.status = status;
      this.destroy = destroy;
    }
  }

  /** An armed work's status gives the time its timer still has to run; any other state gives none. */
  @Test
  void theStatusOfAnArmedWorkGivesItsExpiry() {
    for (Way way : Way.values()) {
      KWorker worker = kit.newWorker("expiry-" + way);
      Gate gate = new Gate();
      DelayedWork w = DelayedWork.of("w", () -> gate.pass());
      assertEquals(Optional.empty(), result(way.status.apply(worker, w)).expiresIn());
      assertTrue(result(worker.queueDelayed(w, Duration.ofHours(1))));
      WorkStatus armed = result(way.status.apply(worker, w));
      assertEquals(WorkState.ARMED, armed.state());
      Duration left = armed.expiresIn().orElseThrow();
      assertTrue(left.compareTo(Duration.ofHours(1)) <= 0 && left.compareTo(Duration.ofMinutes(59)) > 0,
          way + ": " + left);
      assertTrue(result(worker.modDelayed(w, Duration.ZERO)), way.toString()); // runs now, held at the gate
      gate.awaitEntered();
      assertEquals(Optional.empty(), result(way.status.apply(worker, w)).expiresIn(), way + ": running");
      assertTrue(result(worker.queueDelayed(w, Duration.ofMinutes(1))));
      WorkStatus runningAndArmed = result(way.status.apply(worker, w));
      assertEquals(WorkState.RUNNING_AND_ARMED, runningAndArmed.state());
      Duration rearmed = runningAndArmed.expiresIn().orElseThrow();
      assertTrue(rearmed.compareTo(Duration.ofMinutes(1)) <= 0 && rearmed.compareTo(Duration.ofSeconds(30)) > 0,
          way + ": " + rearmed);
      gate.open();
    }
  }

  /** A delay of 100 years or more (never) has an expiry all the same: a century or more away. */
  @Test
  void aWorkArmedForeverExpiresInMoreThanACentury() {
    KWorker worker = kit.newWorker("forever");
    DelayedWork w = DelayedWork.of("w", () -> { });
    result(worker.queueDelayed(w, Duration.ofDays(365L * 1000)));
    Duration left = result(worker.status(w)).expiresIn().orElseThrow();
    assertTrue(left.compareTo(Duration.ofDays(365L * 100)) > 0, left.toString());
  }

  /** destroy(deadline) names the works whose armed timers it cancelled, in time or past its deadline. */
  @Test
  void aDestroyReportNamesTheWorksItDisarmed() {
    for (Way way : Way.values()) {
      KWorker inTime = kit.newWorker("in-time-" + way);
      DelayedWork a = DelayedWork.of("a", () -> { });
      DelayedWork b = DelayedWork.of("b", () -> { });
      result(inTime.queueDelayed(a, Duration.ofHours(1)));
      result(inTime.queueDelayed(b, Duration.ofHours(2)));
      DestroyReport report = result(way.destroy.apply(inTime, Duration.ofMinutes(1)));
      assertTrue(report.completed(), way.toString());
      assertEquals(Set.of(a, b), new HashSet<>(report.disarmed()), way.toString());
      assertEquals(List.of(), report.discarded());

      KWorker late = kit.newWorker("late-" + way);
      Gate gate = new Gate();
      Work stuck = Work.of("stuck", w -> gate.pass());
      Work queued = Work.of("queued", () -> { });
      result(late.queue(stuck));
      gate.awaitEntered();
      result(late.queue(queued));
      result(late.queueDelayed(a, Duration.ofHours(1)));
      DestroyReport missed = result(way.destroy.apply(late, Duration.ZERO));
      assertEquals(new DestroyReport(false, List.of(stuck), List.of(queued), List.of(a)), missed, way.toString());
      gate.open();
    }
  }

  /** A report with nothing armed, queued or running is the empty one; the three-list form disarms nothing. */
  @Test
  void aReportWithNothingArmedIsEmpty() {
    KWorker worker = kit.newWorker("empty");
    assertEquals(DestroyReport.EMPTY, result(worker.destroy(Duration.ofSeconds(Await.LONG_SECONDS))));
    assertEquals(new DestroyReport(true, List.of(), List.of(), List.of()),
        new DestroyReport(true, List.of(), List.of()));
  }
}
