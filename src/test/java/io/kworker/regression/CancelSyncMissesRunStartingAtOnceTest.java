package io.kworker.regression;

import static io.kworker.testing.Await.result;

import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.testing.WorkerTestKit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Fixed in 5201e6d: {@code cancelSync} (and {@code disableSync}) could answer while the work ran. The
 * actor read whether the work was running first and removed the pending instance second; if the lane
 * claimed the queued instance between the two, the read saw no running instance and the removal failed
 * (the instance was no longer queued), so the call neither removed an instance nor waited: it answered
 * {@code false} at once while the run was in progress. Found on 8918027 by the stress harness's short run
 * (5c9110c). Guards, over many rounds that sweep the instant of the claim across the handling of the
 * cancel, that cancelSync answers true (removed before the claim) or false only after the run returned.
 */
class CancelSyncMissesRunStartingAtOnceTest {
  private static final WorkerTestKit KIT = WorkerTestKit.create();

  @AfterAll
  static void stop() {
    KIT.shutdown();
  }

  /** A cancelSync racing the lane's claim of the instance at the head of the queue never answers while that instance runs. */
  @Test
  void cancelSyncNeverAnswersWhileTheClaimedInstanceRuns() throws Exception {
    KWorker w = KIT.newWorker("cancel-race");
    AtomicInteger started = new AtomicInteger();
    AtomicInteger ended = new AtomicInteger();
    Work victim = Work.of("victim", x -> {
      started.incrementAndGet();
      LockSupport.parkNanos(200_000); // long enough for an early answer to be seen
      ended.incrementAndGet();
    });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.getLong("kworker.race.seconds", 3));
    java.util.Random rng = new java.util.Random(42);
    int rounds = 0;
    while (System.nanoTime() < deadline) {
      java.util.concurrent.atomic.AtomicBoolean go = new java.util.concurrent.atomic.AtomicBoolean();
      java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
      Work head = Work.of("head", x -> {
        entered.countDown();
        while (!go.get()) {
          Thread.onSpinWait(); // hot, so the claim of the next instance follows `go` within microseconds
        }
      });
      result(w.queue(head));
      io.kworker.testing.Await.await(entered);
      result(w.queue(victim));
      CompletableFuture<Boolean> cancel = w.cancelSync(victim).toCompletableFuture();
      for (int spin = rng.nextInt(1 + rng.nextInt(6000)); spin > 0; spin--) {
        Thread.onSpinWait(); // sweep the instant of the claim across the actor's handling of the cancel
      }
      go.set(true);
      boolean removed = cancel.get(20, TimeUnit.SECONDS);
      int s = started.get();
      int e = ended.get();
      if (s != e) {
        throw new AssertionError("round " + rounds + ": cancelSync answered " + removed
            + " while the victim was running (started " + s + ", ended " + e + ")");
      }
      result(w.flush());
      rounds++;
    }
    result(w.destroy());
  }
}
