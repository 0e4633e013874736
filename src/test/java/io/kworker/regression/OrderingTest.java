package io.kworker.regression;

import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.testing.Gate;
import io.kworker.testing.WorkerTestKit;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Fixed in 2452dd0: a protocol command could overtake a façade call that its sender had made before it.
 * A façade call goes to the worker's inbox and is served on a wake-up; a protocol command was served
 * straight from the mailbox. Once the actor was behind on its inbox (more than inbox-batch calls), the
 * protocol's CancelSync(w) sent after the façade's queue(w) was served first: the cancel answered false and
 * w ran after the "synchronous" cancel had completed. Found by the independent review. Guards that a
 * protocol command is served after every façade call its sender made before it.
 */
class OrderingTest {
  static final WorkerTestKit kit = WorkerTestKit.create();

  @AfterAll
  static void shutdown() {
    kit.shutdown();
  }

  /**
   * One thread: façade queue(w) behind 3,000 fillers, then the protocol's CancelSync(w). Program order
   * says the cancel finds w pending (true) and w never runs.
   */
  @Test
  void protocolCommandDoesNotOvertakeAnEarlierFacadeCall() {
    for (int attempt = 1; attempt <= 10; attempt++) {
      KWorker worker = kit.newWorker("rv-order");
      Gate gate = new Gate();
      result(worker.queue(Work.of("blocker", w -> gate.pass())));
      gate.awaitEntered();
      AtomicInteger runs = new AtomicInteger();
      Work target = Work.of("target", w -> runs.incrementAndGet());
      boolean c;
      try {
        for (int i = 0; i < 3000; i++) {
          worker.queue(Work.of("filler-" + i, () -> {}));
        }
        CompletionStage<Boolean> queued = worker.queue(target);
        CompletionStage<Boolean> cancelled = kit.ask(worker, replyTo -> new KWorker.CancelSync(target, replyTo));
        // the lane stays blocked: target cannot run, so the cancel never waits and a false answer
        // can only mean the cancel was served before the earlier queue
        c = result(cancelled);
        assertTrue(result(queued));
      } finally {
        gate.open();
      }
      result(worker.flush());
      if (!c || runs.get() != 0) {
        fail("attempt " + attempt + ": queue(target) via the façade, then CancelSync(target) via the "
            + "protocol from the same thread: cancel gave " + c + " and target ran " + runs.get()
            + " time(s) after the cancel completed");
      }
      result(worker.destroy());
    }
  }
}
