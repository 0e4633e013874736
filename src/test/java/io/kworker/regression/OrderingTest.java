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

/** Review findings: the façade's Inbox and the actor mailbox are two queues with no common order. */
class OrderingTest {
  static final WorkerTestKit kit = WorkerTestKit.create();

  @AfterAll
  static void shutdown() {
    kit.shutdown();
  }

  /**
   * One thread: façade queue(w), then the protocol's CancelSync(w). Program order says the cancel
   * finds w pending (true) and w never runs. A façade call goes to the Inbox and is served on a Wake;
   * a protocol command is served straight from the mailbox. Once the actor is behind on its inbox
   * (more than inbox-batch calls), the command overtakes the queue: the cancel answers false and w
   * runs after the "synchronous" cancel has completed.
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

  /** A worker whose execution names no dispatcher is refused at creation, with the id in the error. */
  @Test
  void aWorkerOnAMissingDispatcherIsRefusedAtCreation() {
    Throwable t = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
        () -> KWorker.create(kit.system(), "rv-bad-dispatcher", "no-such-dispatcher"));
    assertTrue(t.getMessage().contains("no-such-dispatcher"), t.getMessage());
  }

}
