package io.kworker.api;

import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.javadsl.Behaviors;
import io.kworker.DelayedWork;
import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.WorkState;
import io.kworker.WorkStatus;
import io.kworker.testing.Await;
import io.kworker.testing.ExpectedLogs;
import io.kworker.testing.Gate;
import io.kworker.testing.WorkerTestKit.SpawnedWorker;
import io.kworker.testing.WorkerTestKit;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** No stage hangs when the worker actor stops or the actor system terminates. */
class StopTest {
  @RegisterExtension
  static final ExpectedLogs LOGS = ExpectedLogs.of(ExpectedLogs.STOPPED_WITH_WORKS, ExpectedLogs.REFUSED);
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
  /**
   * Calls still in the worker's inbox when its actor stops are answered as on a stopped worker, and so is
   * a protocol cancelSync whose run ended while the actor could not run (the lane's word that the run was
   * over, carrying that waiter, was still in the inbox). The actor's dispatcher is held busy until the stop
   * is sent, which the actor then handles before any message.
   */
  @Test
  void callsLeftInTheInboxAreAnsweredWhenTheActorStops() throws Exception {
    WorkerTestKit kit = WorkerTestKit.withConfig("one-thread { type = Dispatcher, executor = thread-pool-executor,"
        + " thread-pool-executor.fixed-pool-size = 1 }\nkworker.actor-dispatcher = one-thread");
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try {
      CompletableFuture<KWorker> spawned = new CompletableFuture<>();
      CompletableFuture<Void> stopSent = new CompletableFuture<>();
      ActorRef<String> parent = kit.spawn(Behaviors.<String>setup(ctx -> {
        KWorker child = KWorker.spawn(ctx, "inbox-at-stop");
        spawned.complete(child);
        return Behaviors.receiveMessage(m -> {
          ctx.stop(child.ref()); // the child's Terminate is in its system queue once this returns
          stopSent.complete(null);
          return Behaviors.same();
        });
      }));
      KWorker worker = Await.result(spawned);
      Gate gate = new Gate();
      Work running = Work.of("running", gate::pass);
      Work other = Work.of("other", () -> fail("queued on a stopped worker"));
      assertTrue(result(worker.queue(running)));
      gate.awaitEntered();
      CompletionStage<Boolean> protocolCancel = kit.ask(worker, r -> new KWorker.CancelSync(running, r));
      Await.until("cancelSync parked", () -> result(worker.status(running)).canceling() == 1);
      CompletionStage<Done> flushRunning = worker.flush(running);
      assertEquals(WorkState.RUNNING, result(worker.status(running)).state()); // the flush is parked too

      kit.system().dispatchers().lookup(DispatcherSelector.fromConfig("one-thread")).execute(() -> {
        held.countDown();
        Await.await(release);
      });
      Await.await(held);
      gate.open();
      assertEquals(Done.getInstance(), result(flushRunning)); // the lane answers it after linking its word in
      CompletionStage<Boolean> queueLate = worker.queue(other);
      CompletionStage<WorkStatus> statusLate = worker.status(running);
      CompletionStage<Done> flushLate = worker.flush();
      parent.tell("stop");
      Await.result(stopSent);
      assertFalse(protocolCancel.toCompletableFuture().isDone(), "the actor has not run since the run ended");
      release.countDown();

      assertFalse(result(protocolCancel), "the run was over and nothing was pending");
      assertInstanceOf(RejectedExecutionException.class, Await.failure(queueLate));
      assertEquals(WorkStatus.idle(running), result(statusLate));
      assertEquals(Done.getInstance(), result(flushLate));
    } finally {
      release.countDown();
      kit.shutdown();
    }
  }
}
