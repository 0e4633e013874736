package io.kworker.api;

import static io.kworker.testing.Await.failure;
import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.typed.ActorRef;
import io.kworker.DelayedWork;
import io.kworker.DestroyReport;
import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.WorkState;
import io.kworker.WorkStatus;
import io.kworker.testing.Await;
import io.kworker.testing.ExpectedLogs;
import io.kworker.testing.Gate;
import io.kworker.testing.WorkerTestKit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The edges of the public API and the actor protocol: errors, bindings, shared dispatchers, limits. */
class ApiEdgeTest {
  @RegisterExtension
  static final ExpectedLogs LOGS = ExpectedLogs.of(ExpectedLogs.REFUSED, "ignores unknown message");
  private static final WorkerTestKit KIT = WorkerTestKit.create("apiedge");

  @AfterAll
  static void stop() {
    KIT.shutdown();
  }

  private static KWorker worker(String base) {
    return KIT.newWorker(base);
  }

  /** Works and states describe themselves: names, bindings, the Runnable factories, pending and running. */
  @Test
  void worksAndStatesDescribeThemselves() {
    KWorker w = worker("describe");
    AtomicInteger ran = new AtomicInteger();
    Work plain = Work.of("plain", ran::incrementAndGet);
    DelayedWork delayed = DelayedWork.of("delayed", ran::incrementAndGet);
    assertEquals("plain", plain.toString());
    assertEquals("delayed", delayed.name());
    assertTrue(plain.worker().isEmpty());
    assertTrue(result(w.queue(plain)));
    assertTrue(result(w.queueDelayed(delayed, Duration.ZERO)));
    result(w.flush());
    assertEquals(2, ran.get());
    assertSame(w, plain.worker().orElseThrow());
    assertFalse(plain.cancelRequested());
    assertFalse(WorkState.IDLE.pending());
    assertFalse(WorkState.RUNNING.pending());
    for (WorkState s : List.of(WorkState.ARMED, WorkState.PENDING, WorkState.RUNNING_AND_PENDING,
        WorkState.RUNNING_AND_ARMED)) {
      assertTrue(s.pending(), s.name());
    }
    assertFalse(WorkState.ARMED.running());
    assertTrue(WorkState.RUNNING_AND_ARMED.running());
    assertEquals(WorkStatus.idle(plain), result(w.status(plain)));
    result(w.destroy());
  }

  /** The protocol's Destroy runs what was queued before it, then answers. */
  @Test
  void protocolDestroy() {
    KWorker w = worker("protocol-destroy");
    AtomicInteger runs = new AtomicInteger();
    assertTrue(result(KIT.<Boolean>ask(w, r -> new KWorker.Queue(Work.of("q", runs::incrementAndGet), r))));
    assertEquals(Done.getInstance(), result(KIT.<Done>ask(w, KWorker.Destroy::new)));
    assertEquals(1, runs.get());
    assertInstanceOf(RejectedExecutionException.class, failure(w.queue(Work.of("late", () -> { }))));
  }

  /** A message that is not a command (sent past the protocol's type) is ignored and the worker goes on serving. */
  @Test
  void unknownMessageIsIgnored() {
    KWorker w = worker("unknown");
    w.ref().<Object>unsafeUpcast().tell("not a command");
    assertTrue(result(w.queue(Work.of("x", x -> { }))));
    result(w.destroy());
  }

  /** A worker whose works run on a shared dispatcher runs them one at a time, in FIFO order, across the batches in which it yields the thread. */
  @Test
  void sharedDispatcherKeepsFifoAcrossBatches() {
    KWorker w = KWorker.create(KIT.system(), WorkerTestKit.unique("shared"),
        "akka.actor.default-blocking-io-dispatcher");
    List<Integer> order = new CopyOnWriteArrayList<>();
    AtomicInteger inside = new AtomicInteger();
    List<Work> works = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      int id = i;
      works.add(Work.of("s" + i, () -> {
        if (inside.incrementAndGet() != 1) {
          order.add(-1);
        }
        order.add(id);
        inside.decrementAndGet();
      }));
    }
    for (Work x : works) {
      w.queue(x);
    }
    result(w.flush());
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      expected.add(i);
    }
    assertEquals(expected, order);
    result(w.destroy());
  }

  /**
   * A worker spawned from behavior() can be wrapped: the wrap is a façade like one from create (its works
   * run on kworker/NAME) and the same façade each time; wrapping a stopped actor times out.
   */
  @Test
  void behaviorAndWrap() {
    ActorRef<KWorker.Command> ref = KIT.spawn(KWorker.behavior("wrapped"));
    KWorker w = result(KWorker.wrap(KIT.system(), ref));
    assertSame(w, result(KWorker.wrap(KIT.system(), ref)));
    assertEquals("wrapped", w.name());
    assertEquals("KWorker[wrapped]", w.toString());
    assertEquals(ref, w.ref());
    CompletableFuture<String> thread = new CompletableFuture<>();
    assertTrue(result(w.queue(Work.of("x", () -> thread.complete(Thread.currentThread().getName())))));
    assertEquals("kworker/wrapped", result(thread), "a wrapped worker runs its works on its own thread");
    result(w.destroy());
    Throwable t = failure(KWorker.wrap(KIT.system(), ref).toCompletableFuture()
        .orTimeout(Await.LONG_SECONDS, java.util.concurrent.TimeUnit.SECONDS));
    assertInstanceOf(TimeoutException.class, t);
  }

  /** The disable count is bounded: the 65,537th disable fails and leaves the count unchanged. */
  @Test
  void disableCountOverflowFails() {
    KWorker w = worker("overflow");
    Work x = Work.of("x", () -> { });
    CompletionStage<Boolean> last = null;
    for (int i = 0; i < 1 << 16; i++) {
      last = w.disable(x);
    }
    assertFalse(result(last));
    assertInstanceOf(IllegalStateException.class, failure(w.disable(x)));
    assertEquals(1 << 16, result(w.status(x)).disabled());
    result(w.destroy());
  }

  /** A destroy() during a destroy completes with it, and calls made from inside a work that would wait for it fail at once. */
  @Test
  void destroyTwiceAndWaitsFromInside() {
    KWorker w = worker("twice");
    Gate gate = new Gate();
    List<Throwable> inside = new CopyOnWriteArrayList<>();
    Work a = Work.of("a", self -> {
      for (CompletionStage<?> s : List.of(w.flush(), w.flush(self), w.cancelSync(self), w.disableSync(self),
          w.drain(), w.destroy())) {
        inside.add(failure(s));
      }
      gate.pass();
    });
    assertTrue(result(w.queue(a)));
    gate.awaitEntered();
    assertEquals(6, inside.size());
    for (Throwable t : inside) {
      assertInstanceOf(IllegalStateException.class, t);
      assertTrue(t.getMessage().contains("inside work [a]"), t.getMessage());
    }
    CompletionStage<Done> first = w.destroy();
    CompletionStage<DestroyReport> second = w.destroy(Duration.ofHours(1));
    assertFalse(first.toCompletableFuture().isDone());
    gate.open();
    assertEquals(Done.getInstance(), result(first));
    assertTrue(result(second).completed());
    assertEquals(Done.getInstance(), result(w.destroy()));
    assertEquals(DestroyReport.EMPTY, result(w.destroy(Duration.ZERO)));
    assertTrue(result(w.enable(a)), "enable on a destroyed worker");
    assertFalse(result(w.flushDelayed(DelayedWork.of("d", () -> { }))));
    assertEquals(Done.getInstance(), result(w.drain()));
    assertFalse(a.cancelRequested());
  }
}
