package io.kworker.api;

import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import akka.Done;
import io.kworker.DelayedWork;
import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.testing.Await;
import io.kworker.testing.Gate;
import io.kworker.testing.WorkerTestKit;
import io.kworker.testing.WorkerTestKit.SpawnedWorker;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** No stage hangs when the worker actor stops or the actor system terminates. */
class StopTest {
  static {
    org.slf4j.LoggerFactory.getLogger(StopTest.class); // SLF4J ready before Akka logs
  }


  /**
   * A worker spawned as a child stops with its parent: the waits on the running work (cancelSync, flush
   * of it, flush()) complete once it returns and not before, a flush of a queued work completes, the
   * queued and the armed works are dropped (counted as cancelled) without running, later queueing is
   * refused and the worker's thread ends.
   */
  @Test
  void childWorkerStopsWithItsParent() throws Exception {
    WorkerTestKit kit = WorkerTestKit.create();
    try {
      SpawnedWorker child = kit.spawnChildWorker("child");
      KWorker worker = child.worker();
      Gate gate = new Gate();
      AtomicBoolean returned = new AtomicBoolean();
      AtomicReference<Thread> thread = new AtomicReference<>();
      Work running = Work.of("running", w -> {
        thread.set(Thread.currentThread());
        gate.pass();
        returned.set(true);
      });
      Work queued = Work.of("queued", () -> fail("queued behind a stopped worker's running work"));
      DelayedWork armed = DelayedWork.of("armed", () -> fail("armed on a stopped worker"));
      assertTrue(result(worker.queue(running)));
      gate.awaitEntered();
      assertTrue(result(worker.queue(queued)));
      assertTrue(result(worker.queueDelayed(armed, Duration.ofHours(1))));
      CompletionStage<Boolean> cancel = worker.cancelSync(running);
      CompletionStage<Done> flushQueued = worker.flush(queued);
      CompletionStage<Done> flushRunning = worker.flush(running);
      CompletionStage<Done> flushAll = worker.flush();
      Await.until("cancel parked", () -> result(worker.status(running)).canceling() == 1);
      child.stopParent(); // returns once the parent, and so its child, has stopped
      assertFalse(cancel.toCompletableFuture().isDone(), "cancelSync still waits for the running work");
      assertFalse(flushAll.toCompletableFuture().isDone(), "flush() still waits for the running work");
      gate.open();
      assertFalse(result(cancel));
      assertTrue(returned.get());
      assertEquals(Done.getInstance(), result(flushQueued));
      assertEquals(Done.getInstance(), result(flushRunning));
      assertEquals(Done.getInstance(), result(flushAll));
      thread.get().join(TimeUnit.SECONDS.toMillis(Await.LONG_SECONDS));
      assertFalse(thread.get().isAlive(), "kworker/child ended");
      assertEquals("kworker/child", thread.get().getName());
      assertInstanceOf(RejectedExecutionException.class, Await.failure(worker.queue(queued)));
      assertEquals(1, worker.stats().run(), "the queued work never ran");
      assertEquals(2, worker.stats().cancelled(), "the queued and the armed work were dropped");
    } finally {
      kit.shutdown();
    }
  }

  /** Terminating the actor system completes every outstanding stage and ends the thread. */
  @Test
  void systemTerminationCompletesEverything() {
    WorkerTestKit kit = WorkerTestKit.create();
    KWorker worker = KWorker.create(kit.system(), "doomed");
    Gate gate = new Gate();
    Work running = Work.of("running", w -> gate.pass());
    result(worker.queue(running));
    gate.awaitEntered();
    CompletionStage<Boolean> cancel = worker.cancelSync(running);
    CompletionStage<Done> flush = worker.flush();
    Await.until("cancel parked", () -> result(worker.status(running)).canceling() == 1);
    kit.terminate();
    CompletionStage<Boolean> late = worker.queue(Work.of("late", () -> {}));
    gate.open();
    assertFalse(result(cancel));
    assertEquals(Done.getInstance(), result(flush));
    assertTrue(Await.failure(late) instanceof RejectedExecutionException);
    Await.until("thread ends", () -> !WorkerTestKit.threadAlive("kworker/doomed"));
  }
}
