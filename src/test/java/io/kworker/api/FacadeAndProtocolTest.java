package io.kworker.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every operation answers the same through the façade and through the actor protocol: for every command
 * of {@link KWorker.Command} (all of them, by its permitted subclasses: a new command without a row here
 * fails {@link #everyCommandHasARow}), in every state of its work, with zero, small and huge durations,
 * called from outside the worker and from inside one of its works. Two workers of the same name are put
 * in the same state; one gets the façade call, the other the command, and the two are compared: whether
 * the answer came before the running work was let go, the answer itself (or the exception's class and
 * message), and afterwards the work's state, counts and runs.
 */
class FacadeAndProtocolTest {
  @RegisterExtension
  static final ExpectedLogs LOGS =
      ExpectedLogs.of(ExpectedLogs.ARMED_AT_DESTROY, ExpectedLogs.DEADLINE_MISSED);
  private static final WorkerTestKit KIT = WorkerTestKit.create("facade-protocol");
  private static final AtomicInteger NAMES = new AtomicInteger();
  private static final Duration FOREVER = ChronoUnit.FOREVER.getDuration();
  /** Zero, small, and beyond what Akka's scheduler can hold (about 248 days). */
  private static final List<Duration> DURATIONS = List.of(Duration.ZERO, Duration.ofMillis(1),
      Duration.ofHours(1), Duration.ofDays(300), FOREVER);

  @AfterAll
  static void stop() {
    KIT.shutdown();
  }

  /** One operation, both ways in. */
  record Row(String name, Class<? extends KWorker.Command> command, boolean timed,
      BiFunction<KWorker, Args, CompletionStage<?>> facade,
      BiFunction<Args, ActorRef<StatusReply<Object>>, KWorker.Command> protocol) {}

  record Args(DelayedWork work, Duration duration) {}

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static <T> ActorRef<StatusReply<T>> typed(ActorRef<StatusReply<Object>> r) {
    return (ActorRef) r;
  }

  private static final List<Row> ROWS = List.of(
      new Row("Queue", KWorker.Queue.class, false,
          (w, a) -> w.queue(a.work()), (a, r) -> new KWorker.Queue(a.work(), typed(r))),
      new Row("QueueDelayed", KWorker.QueueDelayed.class, true,
          (w, a) -> w.queueDelayed(a.work(), a.duration()),
          (a, r) -> new KWorker.QueueDelayed(a.work(), a.duration(), typed(r))),
      new Row("ModDelayed", KWorker.ModDelayed.class, true,
          (w, a) -> w.modDelayed(a.work(), a.duration()),
          (a, r) -> new KWorker.ModDelayed(a.work(), a.duration(), typed(r))),
      new Row("FlushWork", KWorker.FlushWork.class, false,
          (w, a) -> w.flush(a.work()), (a, r) -> new KWorker.FlushWork(a.work(), typed(r))),
      new Row("FlushWorker", KWorker.FlushWorker.class, false,
          (w, a) -> w.flush(), (a, r) -> new KWorker.FlushWorker(typed(r))),
      new Row("CancelSync", KWorker.CancelSync.class, false,
          (w, a) -> w.cancelSync(a.work()), (a, r) -> new KWorker.CancelSync(a.work(), typed(r))),
      new Row("CancelSync(grace)", KWorker.CancelSync.class, true,
          (w, a) -> w.cancelSync(a.work(), a.duration()),
          (a, r) -> new KWorker.CancelSync(a.work(), a.duration(), typed(r))),
      new Row("Cancel", KWorker.Cancel.class, false,
          (w, a) -> w.cancel(a.work()), (a, r) -> new KWorker.Cancel(a.work(), typed(r))),
      new Row("FlushDelayed", KWorker.FlushDelayed.class, false,
          (w, a) -> w.flushDelayed(a.work()), (a, r) -> new KWorker.FlushDelayed(a.work(), typed(r))),
      new Row("Disable", KWorker.Disable.class, false,
          (w, a) -> w.disable(a.work()), (a, r) -> new KWorker.Disable(a.work(), typed(r))),
      new Row("DisableSync", KWorker.DisableSync.class, false,
          (w, a) -> w.disableSync(a.work()), (a, r) -> new KWorker.DisableSync(a.work(), typed(r))),
      new Row("Enable", KWorker.Enable.class, false,
          (w, a) -> w.enable(a.work()), (a, r) -> new KWorker.Enable(a.work(), typed(r))),
      new Row("EnableAndQueue", KWorker.EnableAndQueue.class, false,
          (w, a) -> w.enableAndQueue(a.work()), (a, r) -> new KWorker.EnableAndQueue(a.work(), typed(r))),
      new Row("Drain", KWorker.Drain.class, false,
          (w, a) -> w.drain(), (a, r) -> new KWorker.Drain(typed(r))),
      new Row("GetStatus", KWorker.GetStatus.class, false,
          (w, a) -> w.status(a.work()), (a, r) -> new KWorker.GetStatus(a.work(), typed(r))),
      new Row("Destroy", KWorker.Destroy.class, false,
          (w, a) -> w.destroy(), (a, r) -> new KWorker.Destroy(typed(r))),
      new Row("DestroyWithin", KWorker.DestroyWithin.class, true,
          (w, a) -> w.destroy(a.duration()), (a, r) -> new KWorker.DestroyWithin(a.duration(), typed(r))));

  /** Where the operation's work stands before the call. */
  enum State { IDLE, PENDING, ARMED, RUNNING, RUNNING_AND_PENDING, DISABLED }

  /** A new command must get a row here, so that it is compared with its façade method. */
  @Test
  void everyCommandHasARow() {
    Set<Class<?>> covered = ROWS.stream().map(Row::command).collect(Collectors.toSet());
    Set<Class<?>> commands = Set.of(KWorker.Command.class.getPermittedSubclasses());
    assertEquals(commands, covered, "commands without a row (or rows without a command)");
  }

  /** A negative duration is refused at once the same way on both: the façade call and the record. */
  @Test
  void negativeDurationsAreRefusedAlike() {
    KWorker w = KWorker.create(KIT.system(), "negative-" + NAMES.incrementAndGet());
    Args bad = new Args(DelayedWork.of("x", () -> { }), Duration.ofMillis(-1));
    ActorRef<StatusReply<Object>> nobody = KIT.testKit().<StatusReply<Object>>createTestProbe().ref();
    for (Row row : ROWS) {
      if (row.timed()) {
        String facade = thrown(() -> row.facade().apply(w, bad));
        String protocol = thrown(() -> row.protocol().apply(bad, nobody));
        assertTrue(facade.startsWith(IllegalArgumentException.class.getName()), row.name() + ": " + facade);
        assertEquals(facade, protocol, row.name());
      }
    }
    Await.result(w.destroy());
  }

  private static String thrown(Runnable call) {
    try {
      call.run();
      return "nothing thrown";
    } catch (RuntimeException e) {
      return e.getClass().getName() + ": " + e.getMessage();
    }
  }

  @TestFactory
  Stream<DynamicTest> everyOperationAnswersTheSameFromOutside() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Row row : ROWS) {
      for (State state : State.values()) {
        for (Duration d : row.timed() ? DURATIONS : List.of(Duration.ZERO)) {
          String name = row.name() + (row.timed() ? "(" + d + ")" : "") + " on a work " + state;
          tests.add(DynamicTest.dynamicTest(name, () -> compare(row, state, d, false)));
        }
      }
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> everyOperationAnswersTheSameFromInsideAWork() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Row row : ROWS) {
      for (State state : List.of(State.IDLE, State.ARMED, State.DISABLED)) { // the lane is free to run the caller
        for (Duration d : row.timed() ? DURATIONS : List.of(Duration.ZERO)) {
          String name = row.name() + (row.timed() ? "(" + d + ")" : "") + " on a work " + state + ", from a work";
          tests.add(DynamicTest.dynamicTest(name, () -> compare(row, state, d, true)));
        }
      }
    }
    return tests.stream();
  }

  /** One worker in a state, with the work the operation is about. */
  static final class Side {
    final KWorker worker;
    final DelayedWork x;
    final Gate xGate = new Gate();
    final Gate blockerGate = new Gate();
    final AtomicInteger xRuns = new AtomicInteger();
    volatile boolean gateX;

    Side(String workerName) {
      worker = KWorker.create(KIT.system(), workerName);
      x = DelayedWork.of("x", () -> {
        if (xRuns.incrementAndGet() == 1 && gateX) {
          try {
            xGate.pass();
          } catch (IllegalStateException e) {
            if (!xGate.interrupted()) {
              throw e;
            } // interrupted by a cancel's grace: noted by the gate, compared afterwards
          }
        }
      });
    }

    void enter(State state) {
      switch (state) {
        case IDLE -> { }
        case PENDING -> {
          Await.result(worker.queue(Work.of("blocker", blockerGate::pass)));
          blockerGate.awaitEntered();
          assertTrue(Await.result(worker.queue(x)));
        }
        case ARMED -> assertTrue(Await.result(worker.queueDelayed(x, Duration.ofHours(1))));
        case RUNNING, RUNNING_AND_PENDING -> {
          gateX = true;
          assertTrue(Await.result(worker.queue(x)));
          xGate.awaitEntered();
          if (state == State.RUNNING_AND_PENDING) {
            assertTrue(Await.result(worker.queue(x)));
          }
        }
        case DISABLED -> Await.result(worker.disable(x));
      }
    }

    void openGates() {
      xGate.open();
      blockerGate.open();
    }

    /** The same command, for a probe served after the operation: through the same way in. */
    CompletionStage<?> probe(boolean protocol) {
      return protocol ? KIT.<WorkStatus>ask(worker, r -> new KWorker.GetStatus(x, r)) : worker.status(x);
    }
  }

  private void compare(Row row, State state, Duration d, boolean inside) throws Exception {
    String name = "both-" + NAMES.incrementAndGet(); // the same name: error messages name the worker
    Side facade = new Side(name);
    Side protocol = new Side(name);
    try {
      facade.enter(state);
      protocol.enter(state);
      CompletionStage<?> viaFacade;
      CompletionStage<?> viaProtocol;
      if (inside) {
        viaFacade = fromInside(facade, () -> row.facade().apply(facade.worker, new Args(facade.x, d)));
        viaProtocol = fromInside(protocol,
            () -> KIT.ask(protocol.worker, r -> row.protocol().apply(new Args(protocol.x, d), r)));
      } else {
        viaFacade = row.facade().apply(facade.worker, new Args(facade.x, d));
        // built on this thread: the record's constructor notes where it was created
        viaProtocol = KIT.ask(protocol.worker, r -> row.protocol().apply(new Args(protocol.x, d), r));
      }
      boolean destroys = row.command() == KWorker.Destroy.class || row.command() == KWorker.DestroyWithin.class;
      boolean small = row.timed() && d.compareTo(Duration.ofSeconds(1)) < 0;
      boolean gated = state == State.PENDING || state == State.RUNNING || state == State.RUNNING_AND_PENDING;
      if (destroys && small && gated) {
        // the deadline passes while the lane is held: the report comes (and the actor stops) at once
        assertEquals(outcome(viaFacade), outcome(viaProtocol), "while the lane is held");
      } else if (!inside && (gated || !destroys)) {
        // a probe served after the call, so the call is served before the lane is let go (a destroy on a
        // free lane may have stopped the actor: no probe then)
        Await.result(facade.probe(false));
        Await.result(protocol.probe(true));
        if (gated && !small) { // while the lane is held, only the actor can have answered
          assertEquals(viaFacade.toCompletableFuture().isDone(), viaProtocol.toCompletableFuture().isDone(),
              "answered before the lane was let go (façade, then protocol)");
        }
        if (small && state != State.PENDING && gated) {
          // a zero or 1 ms grace ends the wait while the work is still held
          assertEquals(outcome(viaFacade), outcome(viaProtocol), "while the work is held");
        }
      }
      facade.openGates();
      protocol.openGates();
      assertEquals(outcome(viaFacade), outcome(viaProtocol), "the answer (façade, then protocol)");
      // a millisecond timer the call armed must have fired before the two are compared
      boolean shortTimer = d.equals(Duration.ofMillis(1)) && state != State.DISABLED
          && (row.command() == KWorker.ModDelayed.class
              || row.command() == KWorker.QueueDelayed.class && (state == State.IDLE || state == State.RUNNING));
      assertEquals(after(facade, shortTimer), after(protocol, shortTimer), "afterwards (façade, then protocol)");
    } finally {
      facade.openGates();
      protocol.openGates();
      Await.result(facade.worker.destroy(Duration.ofSeconds(Await.LONG_SECONDS)));
      Await.result(protocol.worker.destroy(Duration.ofSeconds(Await.LONG_SECONDS)));
    }
  }

  /** Makes the call from inside a work of the side's worker; the stage of its answer. */
  private static CompletionStage<?> fromInside(Side side, java.util.function.Supplier<CompletionStage<?>> call) {
    CompletableFuture<CompletionStage<?>> made = new CompletableFuture<>();
    Await.result(side.worker.queue(Work.of("caller", () -> made.complete(call.get()))));
    return Await.result(made).toCompletableFuture();
  }

  /** The answer, with works by name (two sides have two works of the same name). */
  private static String outcome(CompletionStage<?> stage) throws InterruptedException {
    try {
      return describe(stage.toCompletableFuture().get(Await.LONG_SECONDS, TimeUnit.SECONDS));
    } catch (ExecutionException e) {
      Throwable t = e.getCause();
      return t.getClass().getName() + ": " + t.getMessage();
    } catch (TimeoutException e) {
      fail("no answer within " + Await.LONG_SECONDS + " s");
      return null;
    }
  }

  private static String describe(Object value) {
    if (value instanceof WorkStatus s) {
      return "status " + s.work().name() + " " + s.state() + " canceling=" + s.canceling() + " disabled="
          + s.disabled();
    }
    if (value instanceof DestroyReport r) {
      return "report completed=" + r.completed() + " running=" + names(r.stillRunning()) + " discarded="
          + names(r.discarded());
    }
    return String.valueOf(value);
  }

  private static List<String> names(List<Work> works) {
    return works.stream().map(Work::name).collect(Collectors.toList());
  }

  /**
   * Once everything queued has run, and a millisecond timer the call armed has fired: the work's
   * status, its runs, and whether its run was interrupted.
   */
  private static Map<String, Object> after(Side side, boolean small) {
    if (small) {
      Await.until("the millisecond timer has fired", () -> {
        WorkState s = Await.result(side.worker.state(side.x));
        return s != WorkState.ARMED && s != WorkState.RUNNING_AND_ARMED;
      });
    }
    Await.result(side.worker.flush());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", describe(Await.result(side.worker.status(side.x))));
    m.put("runs", side.xRuns.get());
    m.put("interrupted", side.xGate.interrupted());
    return m;
  }
}
