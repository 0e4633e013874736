package io.kworker.fault;

import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import io.kworker.DelayedWork;
import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.WorkState;
import io.kworker.testing.Await;
import io.kworker.testing.Gate;
import io.kworker.testing.WorkerTestKit;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** drain() against a long chain of self-requeues, with outside calls and an expiry in the middle. */
class DrainTest {
  private static final WorkerTestKit KIT = WorkerTestKit.withManualTime();

  @AfterAll
  static void stop() {
    KIT.shutdown();
  }

  /** While a drain runs only chained queueing is accepted (enableAndQueue still enables), an expiry is dropped, and the drain completes only when a chain of 150 self-requeues has ended. */
  @Test
  void drainOutlastsAChainAndRefusesOutsiders() {
    KWorker w = KIT.newWorker("drain-chain");
    Gate gate = new Gate();
    AtomicInteger runs = new AtomicInteger();
    Work chain = Work.of("chain", self -> {
      if (runs.incrementAndGet() == 1) {
        gate.pass();
      }
      if (runs.get() < 150) {
        result(w.queue(self)); // chained: accepted during the drain
      }
    });
    Work outsider = Work.of("outsider", x -> { });
    DelayedWork timed = DelayedWork.of("timed", x -> runs.addAndGet(1000));
    DelayedWork disabled = DelayedWork.of("disabled", x -> { });
    assertTrue(result(w.queueDelayed(timed, Duration.ofMillis(10))));
    assertFalse(result(w.disable(disabled)));
    assertTrue(result(w.queue(chain)));
    gate.awaitEntered();
    CompletionStage<Done> drain = w.drain();
    assertFalse(result(w.queue(outsider)), "outside queue during a drain");
    assertFalse(result(w.queueDelayed(timed, Duration.ZERO)), "armed, and draining");
    assertTrue(result(w.modDelayed(DelayedWork.of("m", x -> { }), Duration.ZERO)), "mod changes nothing");
    assertFalse(result(w.disable(disabled)));
    assertFalse(result(w.enableAndQueue(disabled)), "enableAndQueue's queueing is refused during a drain");
    assertEquals(1, result(w.status(disabled)).disabled(), "but it enables, as the workqueue's enable_work");
    assertEquals(WorkState.IDLE, result(w.state(disabled)));
    assertFalse(result(w.flushDelayed(timed)), "flushDelayed cannot requeue during a drain");
    assertEquals(WorkState.ARMED, result(w.state(timed)));
    KIT.timePasses(10);
    // the expiry message may reach the actor after a façade call made later, so poll for its effect
    Await.until("the expiry is dropped during a drain", () -> result(w.state(timed)) == WorkState.IDLE);
    assertFalse(drain.toCompletableFuture().isDone());
    gate.open();
    assertEquals(Done.getInstance(), result(drain));
    assertEquals(150, runs.get());
    assertEquals(WorkState.IDLE, result(w.state(outsider)));
    assertTrue(result(w.queue(outsider)), "queueing works again after the drain");
    assertTrue(result(w.enableAndQueue(disabled)));
    result(w.destroy());
  }
}
