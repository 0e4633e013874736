package io.kworker.api;

import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.kworker.DelayedWork;
import io.kworker.KWorker;
import io.kworker.KWorkerStats;
import io.kworker.Work;
import io.kworker.testing.ExpectedLogs;
import io.kworker.testing.WorkerTestKit;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The two shapes of a work's function, {@code WorkRunnable} ({@code () -> ...}) and {@code WorkFunction}
 * ({@code w -> ...}): which one a lambda or a method reference takes, and checked exceptions.
 */
class WorkFunctionTest {
  @RegisterExtension
  static final ExpectedLogs LOGS = ExpectedLogs.of("failed; the worker goes on");
  private static final WorkerTestKit KIT = WorkerTestKit.create("workfunction");

  @AfterAll
  static void stop() {
    KIT.shutdown();
  }

  /** Two overloads, one of each shape: counts which one ran. */
  static final class Ticks {
    final AtomicInteger plain = new AtomicInteger();
    final AtomicInteger withWork = new AtomicInteger();

    void tick() {
      plain.incrementAndGet();
    }

    void tick(Work work) {
      withWork.incrementAndGet();
    }
  }

  /** An overloaded method fits both shapes: it compiles, and the method without arguments runs. */
  @Test
  void aMethodReferenceThatFitsBothShapesRunsTheMethodWithoutArguments() {
    Work println = Work.of("println", System.out::println); // did not compile with Runnable and Consumer
    assertEquals("println", println.name());
    Ticks ticks = new Ticks();
    KWorker w = KIT.newWorker("method-ref");
    result(w.queue(Work.of("tick", ticks::tick)));
    result(w.queueDelayed(DelayedWork.of("tick-later", ticks::tick), Duration.ZERO));
    result(w.flush());
    assertEquals(2, ticks.plain.get());
    assertEquals(0, ticks.withWork.get());
  }

  /** A lambda or method reference of one argument is given the work it runs for. */
  @Test
  void aFunctionOfItsWorkIsGivenItsOwnWork() {
    AtomicReference<Work> seen = new AtomicReference<>();
    AtomicReference<DelayedWork> seenDelayed = new AtomicReference<>();
    Work work = Work.of("self", seen::set);
    DelayedWork delayed = DelayedWork.of("self-delayed", d -> seenDelayed.set(d));
    KWorker w = KIT.newWorker("self");
    result(w.queue(work));
    result(w.queueDelayed(delayed, Duration.ZERO));
    result(w.flush());
    assertSame(work, seen.get());
    assertSame(delayed, seenDelayed.get());
  }

  /**
   * A checked exception, from either shape, is what a runtime exception is: logged at ERROR with the
   * worker's and the work's names in the message and the MDC, counted as a failed run, and the worker
   * goes on.
   */
  @Test
  void aCheckedExceptionIsLoggedAndCountedAsAFailedRun() {
    KWorker w = KIT.newWorker("checked");
    AtomicInteger after = new AtomicInteger();
    result(w.queue(Work.of("write", () -> {
      throw new IOException("disk full");
    })));
    result(w.queueDelayed(DelayedWork.of("ask", d -> {
      throw new TimeoutException("no answer to " + d.name());
    }), Duration.ZERO));
    result(w.queue(Work.of("after", after::incrementAndGet)));
    result(w.flush());

    assertEquals(1, after.get(), "the worker went on");
    KWorkerStats stats = w.stats();
    assertEquals(3, stats.run());
    assertEquals(2, stats.failed());
    List<ILoggingEvent> logged = LOGS.events().stream()
        .filter(e -> w.name().equals(e.getMDCPropertyMap().get("kworker.worker")))
        .collect(Collectors.toList());
    assertEquals(2, logged.size(), "one line per failed run: " + logged);
    assertFailureLogged(logged.get(0), w, "write", IOException.class, "disk full");
    assertFailureLogged(logged.get(1), w, "ask", TimeoutException.class, "no answer to ask");
  }

  private static void assertFailureLogged(ILoggingEvent e, KWorker w, String work, Class<?> thrown,
      String message) {
    assertEquals(Level.ERROR, e.getLevel());
    assertEquals("Work [" + work + "] on worker [" + w.name() + "] failed; the worker goes on",
        e.getFormattedMessage());
    assertEquals(Map.of("kworker.worker", w.name(), "kworker.work", work), e.getMDCPropertyMap());
    assertEquals(thrown.getName(), e.getThrowableProxy().getClassName());
    assertEquals(message, e.getThrowableProxy().getMessage());
  }
}
