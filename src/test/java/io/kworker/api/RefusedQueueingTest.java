package io.kworker.api;

import static io.kworker.testing.Await.failure;
import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import akka.Done;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.kworker.DelayedWork;
import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.testing.ExpectedLogs;
import io.kworker.testing.Gate;
import io.kworker.testing.WorkerTestKit;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A queueing call refused because its worker is being destroyed or is gone fails its stage (or its ask)
 * with a {@link RejectedExecutionException}; the worker also logs its first refusal at WARN, for a
 * caller that drops the stage: one line per worker, whichever way the refused calls came in.
 */
class RefusedQueueingTest {
  private static final String REFUSED = "refused: its stage fails with a RejectedExecutionException";
  @RegisterExtension
  static final ExpectedLogs LOGS = ExpectedLogs.of(REFUSED);
  private static final WorkerTestKit KIT = WorkerTestKit.create("refused");

  @AfterAll
  static void stop() {
    KIT.shutdown();
  }

  @Test
  void everyRefusalFailsItsCallAndOnlyTheFirstIsLogged() {
    KWorker w = KIT.newWorker("refusing");
    Gate gate = new Gate();
    CompletableFuture<CompletionStage<Boolean>> requeue = new CompletableFuture<>();
    result(w.queue(Work.of("held", gate::pass)));
    gate.awaitEntered();
    result(w.queue(Work.of("inside", self -> requeue.complete(w.queue(self))))); // runs during the destroy
    CompletionStage<Done> destroyed = w.destroy();

    String being = "worker [" + w.name() + "] is being destroyed; ";
    assertRefused(being + "queue of work [facade] refused", w.queue(Work.of("facade", () -> { })));
    assertRefused(being + "queue of work [protocol] refused",
        KIT.<Boolean>ask(w, r -> new KWorker.Queue(Work.of("protocol", () -> { }), r)));
    gate.open();
    result(destroyed);
    assertRefused(being + "queue of work [inside] refused", requeue.join());
    String gone = "worker [" + w.name() + "] is destroyed; ";
    assertRefused(gone + "queue of work [gone] refused", w.queue(Work.of("gone", () -> { })));
    assertRefused(gone + "queueDelayed of work [gone-later] refused",
        w.queueDelayed(DelayedWork.of("gone-later", () -> { }), Duration.ofSeconds(1)));

    List<ILoggingEvent> logged = warnings(w);
    assertEquals(1, logged.size(), "five refusals, one line: " + logged);
    assertEquals("W" + being.substring(1) + "queue of work [facade] " + REFUSED
        + " (only the first refusal of a worker is logged)", logged.get(0).getFormattedMessage());
  }

  @Test
  void eachWorkerLogsItsOwnFirstRefusal() {
    KWorker a = KIT.newWorker("refusing-a");
    KWorker b = KIT.newWorker("refusing-b");
    result(a.destroy());
    result(b.destroy());
    for (int i = 0; i < 3; i++) {
      failure(a.queue(Work.of("a" + i, () -> { })));
      failure(b.queue(Work.of("b" + i, () -> { })));
    }
    assertEquals(1, warnings(a).size());
    assertEquals(1, warnings(b).size());
  }

  private static void assertRefused(String message, CompletionStage<Boolean> stage) {
    Throwable e = failure(stage);
    assertInstanceOf(RejectedExecutionException.class, e);
    assertEquals(message, e.getMessage());
  }

  private static List<ILoggingEvent> warnings(KWorker w) {
    return LOGS.events().stream()
        .filter(e -> e.getLevel() == Level.WARN && e.getFormattedMessage().startsWith("Worker [" + w.name() + "]"))
        .collect(Collectors.toList());
  }
}
