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
import io.kworker.testing.Gate;
import io.kworker.testing.Recorder;
import io.kworker.testing.WorkerTestKit;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** drain_workqueue: only chained queueing while draining; completes when nothing is queued. */
class DrainTest {
  static final WorkerTestKit kit = WorkerTestKit.create();

  @AfterAll
  static void shutdown() {
    kit.shutdown();
  }

  /** Chained works run to the end; queueing from outside gives false; mod gives true and does nothing. */
  @Test
  void drainAcceptsOnlyChainedQueueing() {
    KWorker worker = kit.newWorker("drain");
    Gate gate = new Gate();
    AtomicInteger chain = new AtomicInteger();
    Work chained = Work.of("chained", w -> {
      if (chain.incrementAndGet() < 5) {
        worker.queue(w);
      }
    });
    result(worker.queue(Work.of("blocker", w -> gate.pass())));
    gate.awaitEntered();
    result(worker.queue(chained));
    CompletionStage<Done> drained = worker.drain();
    Recorder rec = new Recorder();
    DelayedWork outside = rec.delayed("outside");
    assertFalse(result(worker.queue(outside)));
    assertFalse(result(worker.queueDelayed(outside, Duration.ZERO)));
    assertFalse(result(worker.queueDelayed(outside, Duration.ofHours(1))));
    assertTrue(result(worker.modDelayed(outside, Duration.ZERO)));
    assertEquals(WorkState.IDLE, result(worker.state(outside)));
    gate.open();
    result(drained);
    assertEquals(5, chain.get(), "every chained requeue ran before drain completed");
    assertTrue(result(worker.queue(outside)), "queueing is accepted again");
    result(worker.flush());
    assertEquals(1, rec.runs("outside"));
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
