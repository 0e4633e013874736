package io.kworker.internal;

import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.testing.Gate;
import io.kworker.testing.Recorder;
import io.kworker.testing.WorkerTestKit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The lane's queue holds no cancelled instances. Fixed in the hardening pass: a queue+cancel cycle behind
 * a long run left its revoked ticket (and so its work) in the lane's queue until the run returned, so
 * memory grew with every cycle; guards {@link Lane#revoked}.
 */
class LaneQueueTest {
  static final WorkerTestKit kit = WorkerTestKit.create();

  @AfterAll
  static void shutdown() {
    kit.shutdown();
  }

  static Lane lane(KWorker worker) {
    return Internals.lane(worker);
  }

  static int queued(Lane lane) {
    List<Ticket> tickets = new ArrayList<>();
    lane.unfinished(null, tickets);
    return tickets.size();
  }

  /** Behind a long run, queue+cancel cycles of one work and of many leave at most one revoked tail. */
  @Test
  void cancelledInstancesLeaveTheQueue() {
    KWorker worker = kit.newWorker("lane-queue");
    Lane lane = lane(worker);
    Gate gate = new Gate();
    Work long_ = Work.of("long", w -> gate.pass());
    assertTrue(result(worker.queue(long_)));
    gate.awaitEntered();
    Work same = Work.of("same", () -> { });
    for (int i = 0; i < 10_000; i++) {
      worker.queue(same);
      worker.cancel(same);
      Work other = Work.of("other-" + i, () -> { });
      worker.queue(other);
      worker.cancel(other);
    }
    assertTrue(result(worker.queue(same))); // served after every cycle: the inbox is FIFO
    // the running one, the last revoked tail's successor `same`: nothing of the 20,000 cycles
    assertEquals(2, queued(lane), "tickets in the lane's queue behind the long run");
    gate.open();
    result(worker.flush());
  }

  /** A revoked instance that a flush waits for keeps its place: the flush completes after what was before it. */
  @Test
  void watchedRevokedInstanceKeepsItsPlace() {
    KWorker worker = kit.newWorker("lane-watched");
    Gate gate = new Gate();
    Recorder rec = new Recorder();
    assertTrue(result(worker.queue(Work.of("long", w -> gate.pass()))));
    gate.awaitEntered();
    Work before = rec.work("before");
    Work target = rec.work("target");
    Work after = rec.work("after");
    assertTrue(result(worker.queue(before)));
    assertTrue(result(worker.queue(target)));
    assertTrue(result(worker.queue(after)));
    CompletionStage<Done> flush = worker.flush(target);
    assertTrue(result(worker.cancel(target)));
    assertFalse(flush.toCompletableFuture().isDone(), "the flush waits for what was queued before target");
    gate.open();
    assertEquals(Done.getInstance(), result(flush));
    assertEquals(1, rec.runs("before"), "the flush completed before the work queued ahead of target ran");
    result(worker.flush());
    assertEquals(List.of("before", "after"), rec.order());
  }
}
