package io.kworker.executor;

import static io.kworker.testing.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kworker.KWorkerExecutor;
import io.kworker.KWorkerFuture;
import io.kworker.testing.Await;
import io.kworker.testing.ExpectedLogs;
import io.kworker.testing.Gate;
import io.kworker.testing.WorkerTestKit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Submitting tasks: each submission a work of its own, results, failures, order, thread, bad input. */
class SubmitTest {
  @RegisterExtension
  static final ExpectedLogs LOGS = ExpectedLogs.of(ExpectedLogs.ARMED_AT_DESTROY);
  static final WorkerTestKit kit = WorkerTestKit.create();

  @AfterAll
  static void shutdown() {
    kit.shutdown();
  }

  /** The same Runnable submitted seven times runs seven times. */
  @Test
  void theSameRunnableSubmittedSevenTimesRunsSevenTimes() throws Exception {
    KWorkerExecutor executor = kit.newExecutor("seven");
    AtomicInteger runs = new AtomicInteger();
    Runnable task = runs::incrementAndGet;
    List<Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      futures.add(executor.submit(task));
    }
    for (Future<?> f : futures) {
      assertNull(f.get(Await.LONG_SECONDS, TimeUnit.SECONDS));
    }
    assertEquals(7, runs.get());
  }

  /** submit(Callable) gives the callable's result, submit(Runnable, result) the result given. */
  @Test
  void submitGivesTheResult() throws Exception {
    KWorkerExecutor executor = kit.newExecutor("result");
    Object given = new Object();
    assertEquals("hello", executor.submit(() -> "hello").get(Await.LONG_SECONDS, TimeUnit.SECONDS));
    assertSame(given, executor.submit(() -> { }, given).get(Await.LONG_SECONDS, TimeUnit.SECONDS));
  }

  /** A task that throws completes its future with that very exception as the cause; the worker goes on. */
  @Test
  void aTaskThatThrowsFailsItsFutureWithTheCause() throws Exception {
    KWorkerExecutor executor = kit.newExecutor("throws");
    IllegalStateException boom = new IllegalStateException("boom");
    KWorkerFuture<Object> f = executor.submit((Callable<Object>) () -> {
      throw boom;
    });
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(Await.LONG_SECONDS, TimeUnit.SECONDS));
    assertSame(boom, e.getCause());
    assertTrue(f.isDone());
    assertFalse(f.isCancelled());
    assertEquals("after", executor.submit(() -> "after").get(Await.LONG_SECONDS, TimeUnit.SECONDS));
  }

  /** Tasks run one at a time, in the order they were submitted, on the worker's own thread. */
  @Test
  void tasksRunInSubmissionOrderOnTheWorkersThread() throws Exception {
    KWorkerExecutor executor = kit.newExecutor("order");
    List<Integer> order = new ArrayList<>();
    List<String> threads = new ArrayList<>();
    Future<?> last = null;
    for (int i = 0; i < 100; i++) {
      int n = i;
      last = executor.submit(() -> {
        order.add(n); // the list is confined to the worker's thread: one run at a time
        threads.add(Thread.currentThread().getName());
      });
    }
    last.get(Await.LONG_SECONDS, TimeUnit.SECONDS);
    assertEquals(java.util.stream.IntStream.range(0, 100).boxed().toList(), order);
    assertEquals(List.of("kworker/" + executor.worker().name()), threads.stream().distinct().toList());
  }

  /** execute runs the task on the worker too. */
  @Test
  void executeRunsTheTask() {
    KWorkerExecutor executor = kit.newExecutor("execute");
    CountDownLatch ran = new CountDownLatch(1);
    executor.execute(ran::countDown);
    await(ran);
  }

  /** Every way in returns a KWorkerFuture; only the two periodic ones say isPeriodic. */
  @Test
  void everyWayInReturnsAKWorkerFuture() {
    KWorkerExecutor executor = kit.newExecutor("futures");
    Gate gate = Tasks.busy(executor);
    List<KWorkerFuture<?>> futures = List.of(executor.submit(() -> { }), executor.submit(() -> 1),
        executor.submit(() -> { }, 1), executor.schedule(() -> { }, 1, TimeUnit.HOURS),
        executor.schedule(() -> 1, 1, TimeUnit.HOURS),
        executor.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.HOURS),
        executor.scheduleWithFixedDelay(() -> { }, 1, 1, TimeUnit.HOURS));
    List<Boolean> periodic = futures.stream().map(KWorkerFuture::isPeriodic).toList();
    assertEquals(List.of(false, false, false, false, false, true, true), periodic);
    gate.open();
    futures.forEach(f -> assertInstanceOf(KWorkerFuture.class, f));
    ScheduledExecutorService asJuc = executor; // code switched in one line sees the j.u.c. types
    assertInstanceOf(KWorkerFuture.class, asJuc.schedule(() -> { }, 1, TimeUnit.HOURS));
  }

  /** Null tasks and null units throw NullPointerException, whatever the other arguments; nothing runs. */
  @Test
  void nullArgumentsThrowNullPointerException() throws Exception {
    KWorkerExecutor executor = kit.newExecutor("nulls");
    Runnable r = () -> { };
    Callable<Object> c = () -> null;
    List<Consumer<KWorkerExecutor>> calls = List.of(
        e -> e.execute(null),
        e -> e.submit((Runnable) null),
        e -> e.submit((Runnable) null, 1),
        e -> e.submit((Callable<?>) null),
        e -> e.schedule((Runnable) null, -1, TimeUnit.SECONDS),
        e -> e.schedule((Callable<?>) null, Long.MAX_VALUE, TimeUnit.DAYS),
        e -> e.schedule(r, 0, null),
        e -> e.schedule(c, -5, null),
        e -> e.scheduleAtFixedRate(null, 0, 1, TimeUnit.SECONDS),
        e -> e.scheduleAtFixedRate(null, 0, -1, TimeUnit.SECONDS),
        e -> e.scheduleAtFixedRate(r, 0, 1, null),
        e -> e.scheduleWithFixedDelay(null, 0, 1, TimeUnit.SECONDS),
        e -> e.scheduleWithFixedDelay(r, 0, 1, null));
    for (Consumer<KWorkerExecutor> call : calls) {
      assertThrows(NullPointerException.class, () -> call.accept(executor));
    }
    assertThrows(NullPointerException.class, () -> KWorkerExecutor.of(null));
    assertThrows(NullPointerException.class, () -> executor.awaitTermination(1, null));
    assertEquals(0, executor.worker().stats().queued(), "nothing was queued");
  }

  /** A period or delay that is not positive throws IllegalArgumentException, naming it; nothing runs. */
  @Test
  void aPeriodThatIsNotPositiveIsRefused() {
    KWorkerExecutor executor = kit.newExecutor("period");
    for (long p : new long[] {0, -1, Long.MIN_VALUE}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> executor.scheduleAtFixedRate(() -> { }, 0, p, TimeUnit.MILLISECONDS));
      assertTrue(e.getMessage().contains("period"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class,
          () -> executor.scheduleWithFixedDelay(() -> { }, 0, p, TimeUnit.MILLISECONDS));
      assertTrue(e.getMessage().contains("delay"), e.getMessage());
    }
    assertEquals(0, executor.worker().stats().queued(), "nothing was queued");
  }

  /** A task submitted from inside a task runs after it, on the same thread. */
  @Test
  void aTaskSubmittedFromATaskRunsAfterIt() throws Exception {
    KWorkerExecutor executor = kit.newExecutor("nested");
    List<String> order = new ArrayList<>();
    KWorkerFuture<KWorkerFuture<?>> outer = executor.submit(() -> {
      KWorkerFuture<?> inner = executor.submit(() -> order.add("inner"));
      order.add("outer");
      return inner;
    });
    outer.get(Await.LONG_SECONDS, TimeUnit.SECONDS).get(Await.LONG_SECONDS, TimeUnit.SECONDS);
    assertEquals(List.of("outer", "inner"), order);
  }
}
