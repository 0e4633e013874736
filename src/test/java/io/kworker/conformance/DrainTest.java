package io.kworker.conformance;

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
import io.kworker.testing.ExpectedLogs;
import io.kworker.testing.Gate;
import io.kworker.testing.Recorder;
import io.kworker.testing.WorkerTestKit;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * drain_workqueue: only chained queueing while draining; completes when nothing is queued. Under
 * manual time, so that an expiry can be made to fall in the middle of a drain.
 */
class DrainTest {
  @RegisterExtension
  static final ExpectedLogs LOGS = ExpectedLogs.of(ExpectedLogs.ARMED_AT_DESTROY, "is still draining after");
  static final WorkerTestKit kit = WorkerTestKit.withManualTime();

  @AfterAll
  static void shutdown() {
    kit.shutdown();
  }

  /**
   * While a drain runs only chained queueing is accepted: queueing from outside gives false, mod gives
   * true and changes nothing, enableAndQueue enables but does not queue, flushDelayed cannot requeue, an
   * expiry is dropped; the drain completes only when a chain of 150 self-requeues has ended, and
   * queueing is accepted again after it.
   */
  @Test
  void drainAcceptsOnlyChainedQueueingUntilTheChainEnds() {
    KWorker w = kit.newWorker("drain");
    Gate gate = new Gate();
    AtomicInteger runs = new AtomicInteger();
    Work chain = Work.of("chain", self -> {
      if (runs.incrementAndGet() == 1) {
        gate.pass();
      }
      if (runs.get() < 150) {
        assertTrue(result(w.queue(self)), "chained queueing is accepted during the drain");
      }
    });
    Recorder rec = new Recorder();
    DelayedWork outsider = rec.delayed("outsider");
    DelayedWork timed = DelayedWork.of("timed", x -> runs.addAndGet(1000));
    DelayedWork disabled = DelayedWork.of("disabled", x -> { });
    assertTrue(result(w.queueDelayed(timed, Duration.ofMillis(10))));
    assertFalse(result(w.disable(disabled)));
    assertTrue(result(w.queue(chain)));
    gate.awaitEntered();
    CompletionStage<Done> drain = w.drain();
    assertFalse(result(w.queue(outsider)), "outside queue during a drain");
    assertFalse(result(w.queueDelayed(outsider, Duration.ZERO)));
    assertFalse(result(w.queueDelayed(outsider, Duration.ofHours(1))));
    assertFalse(result(w.queueDelayed(timed, Duration.ZERO)), "armed, and draining");
    assertTrue(result(w.modDelayed(outsider, Duration.ZERO)), "mod gives true and changes nothing");
    assertEquals(WorkState.IDLE, result(w.state(outsider)));
    assertFalse(result(w.disable(disabled)));
    assertFalse(result(w.enableAndQueue(disabled)), "enableAndQueue's queueing is refused during a drain");
    assertEquals(1, result(w.status(disabled)).disabled(), "but it enables, as the workqueue's enable_work");
    assertEquals(WorkState.IDLE, result(w.state(disabled)));
    assertFalse(result(w.flushDelayed(timed)), "flushDelayed cannot requeue during a drain");
    assertEquals(WorkState.ARMED, result(w.state(timed)));
    kit.timePasses(10);
    // the expiry message may reach the actor after a façade call made later, so poll for its effect
    Await.until("the expiry is dropped during a drain", () -> result(w.state(timed)) == WorkState.IDLE);
    assertFalse(drain.toCompletableFuture().isDone());
    gate.open();
    assertEquals(Done.getInstance(), result(drain));
    assertEquals(150, runs.get(), "every chained requeue ran before the drain completed; the expiry did not");
    assertEquals(WorkState.IDLE, result(w.state(outsider)));
    assertTrue(result(w.queue(outsider)), "queueing is accepted again after the drain");
    assertTrue(result(w.enableAndQueue(disabled)));
    result(w.flush());
    assertEquals(1, rec.runs("outsider"));
  }

  /** Drain does not wait for armed timers. */
  @Test
  void drainIgnoresArmedTimers() {
    KWorker worker = kit.newWorker("drain-timers");
    DelayedWork dw = DelayedWork.of("d", () -> {});
    result(worker.queueDelayed(dw, Duration.ofHours(1)));
    result(worker.drain());
    assertEquals(WorkState.ARMED, result(worker.state(dw)));
  }
}
