package io.kworker.api;

import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.typed.ActorRef;
import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.testing.Await;
import io.kworker.testing.Gate;
import io.kworker.testing.WorkerTestKit;
import io.kworker.testing.WorkerTestKit.SpawnedWorker;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** No stage hangs when the worker actor stops or the actor system terminates. */
class StopTest {
  static {
    org.slf4j.LoggerFactory.getLogger(StopTest.class); // SLF4J ready before Akka logs
  }


  /** A worker spawned as a child stops with its parent; parked and later calls all complete. */
  @Test
  void childWorkerStopsWithItsParent() {
    WorkerTestKit kit = WorkerTestKit.create();
    try {
      SpawnedWorker child = kit.spawnChildWorker("child");
      KWorker worker = child.worker();
      Gate gate = new Gate();
      AtomicBoolean returned = new AtomicBoolean();
      Work running = Work.of("running", w -> { gate.pass(); returned.set(true); });
      Work queued = Work.of("queued", () -> {});
      result(worker.queue(running));
      gate.awaitEntered();
      result(worker.queue(queued));
      CompletionStage<Boolean> cancel = worker.cancelSync(running);
      CompletionStage<Done> flush = worker.flush(queued);
      Await.until("cancel parked", () -> result(worker.status(running)).canceling() == 1);
      child.parent().tell("stop");
      Await.until("worker closed", () -> result(worker.queue(Work.of("probe", () -> {}))
          .handle((v, e) -> e instanceof RejectedExecutionException)));
      assertFalse(cancel.toCompletableFuture().isDone(), "cancelSync still waits for the running work");
      gate.open();
      assertFalse(result(cancel));
      assertTrue(returned.get());
      assertEquals(Done.getInstance(), result(flush));
      Await.until("thread ends", () -> !WorkerTestKit.threadAlive("kworker/child"));
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

  /** A façade over a spawned behavior works like one from create. */
  @Test
  void wrapGivesAFacade() {
    WorkerTestKit kit = WorkerTestKit.create();
    try {
      ActorRef<KWorker.Command> ref = kit.spawn(KWorker.behavior("wrapped"));
      KWorker worker = result(KWorker.wrap(kit.system(), ref));
      CompletableFuture<String> thread = new CompletableFuture<>();
      assertTrue(result(worker.queue(Work.of("w", () -> thread.complete(Thread.currentThread().getName())))));
      assertEquals("kworker/wrapped", result(thread));
      result(worker.destroy());
      Throwable t = Await.failure(KWorker.wrap(kit.system(), ref));
      assertTrue(t instanceof java.util.concurrent.TimeoutException, t.toString());
    } finally {
      kit.shutdown();
    }
  }
}
