package io.kworker.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import akka.Done;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.pattern.StatusReply;
import io.kworker.DelayedWork;
import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.WorkState;
import io.kworker.WorkStatus;
import io.kworker.model.KthreadModel.Stage;
import io.kworker.model.KthreadModel.W;
import io.kworker.testing.Await;
import io.kworker.testing.ExpectedLogs;
import io.kworker.testing.WorkerTestKit;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Drives a real worker and {@link KthreadModel} with the same random operation sequences, under Akka's
 * manual time, and compares every answer, every status and the order of runs.
 *
 * <p>Each work's function blocks on a per-run gate until the test releases it, optionally making
 * chained calls (from inside the run) first, so which work runs is a state the test controls and the
 * real worker is quiescent between steps. Expiries are kept distinct because Akka's manual scheduler
 * fires timers that are due at the same millisecond in no defined order.
 *
 * <p>Knobs: {@code -Dkworker.seed=} (a sequence seed printed on every run and in every failure),
 * {@code -Dkworker.model.sequences=} and {@code -Dkworker.model.steps=}.
 */
class ModelBasedTest {
  @RegisterExtension
  static final ExpectedLogs LOGS = ExpectedLogs.of(ExpectedLogs.ARMED_AT_DESTROY, ExpectedLogs.REFUSED);
  private static final WorkerTestKit KIT = WorkerTestKit.withManualTime();
  private static final int PLAIN = 3;
  private static final int DELAYED = 3;

  @AfterAll
  static void stop() {
    KIT.shutdown();
  }

  /** For random sequences of every operation, the worker answers, runs and reports exactly what the sequential kernel model does. */
  @Test
  void realWorkerMatchesTheKernelModel() {
    long master = Long.getLong("kworker.seed", System.nanoTime());
    int sequences = Integer.getInteger("kworker.model.sequences", 30);
    int steps = Integer.getInteger("kworker.model.steps", 120);
    System.out.println("ModelBasedTest: seed=" + master + " sequences=" + sequences + " steps=" + steps
        + " (replay one sequence with -Dkworker.seed=<seed> -Dkworker.model.sequences=1)");
    for (int i = 0; i < sequences; i++) {
      long seed = master + i;
      new Run(seed, "model-" + seed + "-" + i, steps).execute();
    }
  }

  /** The outcome of a call: a value, or the type of the exception it failed with. */
  record Outcome(Object value, Class<?> error) {
    static Outcome of(Stage s) {
      return new Outcome(s.error() == null ? s.value() : null, s.error());
    }

    static Outcome of(CompletionStage<?> stage) {
      try {
        return value(stage.toCompletableFuture().get(Await.LONG_SECONDS, TimeUnit.SECONDS));
      } catch (ExecutionException e) {
        return new Outcome(null, e.getCause().getClass());
      } catch (TimeoutException e) {
        return new Outcome("<no answer within " + Await.LONG_SECONDS + " s>", null);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }

    static Outcome value(Object v) {
      return new Outcome(v instanceof Done ? "Done" : v, null);
    }

    @Override
    public String toString() {
      return error != null ? error.getSimpleName() : String.valueOf(value);
    }
  }

  /** A chained call, made from inside the running work. */
  record Chained(String what, Function<KthreadModel, Stage> model, Function<KWorker, CompletionStage<?>> real) {}

  /** What the test hands a blocked run: calls to make, then return. */
  static final class Release {
    final List<Chained> calls;
    final CompletableFuture<List<Outcome>> outcomes = new CompletableFuture<>();

    Release(List<Chained> calls) {
      this.calls = calls;
    }
  }

  /** One sequence on a fresh worker. */
  private static final class Run {
    final long seed;
    final Random rng;
    final int steps;
    final KthreadModel model = new KthreadModel(PLAIN, DELAYED);
    final KWorker worker;
    final Work[] works = new Work[PLAIN + DELAYED];
    final List<BlockingQueue<Release>> gates = new ArrayList<>();
    final BlockingQueue<Integer> starts = new LinkedBlockingQueue<>();
    final List<Integer> realLog = new ArrayList<>();
    final List<Stage> modelStages = new ArrayList<>();
    final List<CompletionStage<?>> realStages = new ArrayList<>();
    final Deque<String> trace = new ArrayDeque<>();
    final TestProbe<StatusReply<WorkStatus>> probe = KIT.testKit().createTestProbe();
    int step;

    Run(long seed, String name, int steps) {
      this.seed = seed;
      this.rng = new Random(seed);
      this.steps = steps;
      this.worker = KWorker.create(KIT.system(), name);
      for (int i = 0; i < works.length; i++) {
        BlockingQueue<Release> gate = new LinkedBlockingQueue<>();
        gates.add(gate);
        int id = i;
        if (i < PLAIN) {
          works[i] = Work.of("w" + i, (Work self) -> body(id, gate));
        } else {
          works[i] = DelayedWork.of("w" + i, (DelayedWork self) -> body(id, gate));
        }
      }
    }

    private void body(int id, BlockingQueue<Release> gate) {
      starts.add(id);
      Release r;
      try {
        r = gate.poll(Await.LONG_SECONDS * 3, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (r == null) {
        return; // the test failed and left us blocked
      }
      List<Outcome> out = new ArrayList<>();
      for (Chained c : r.calls) {
        try {
          out.add(Outcome.of(c.real().apply(worker)));
        } catch (RuntimeException e) {
          out.add(new Outcome(null, e.getClass()));
        }
      }
      r.outcomes.complete(out);
    }

    void execute() {
      try {
        for (step = 0; step < steps; step++) {
          randomStep();
        }
        finish();
      } catch (AssertionError e) {
        throw new AssertionError("sequence seed=" + seed + " failed at step " + step + ": " + e.getMessage()
            + "\nmodel: " + model.describe() + "\nlast calls:\n  " + String.join("\n  ", trace)
            + "\nreplay: -Dkworker.seed=" + seed + " -Dkworker.model.sequences=1", e);
      }
    }

    // ---------------------------------------------------------------- operations

    private W anyWork() {
      return model.work(rng.nextInt(model.workCount()));
    }

    private W delayedWork() {
      return model.work(PLAIN + rng.nextInt(DELAYED));
    }

    private Work real(W w) {
      return works[w.id];
    }

    private DelayedWork realDelayed(W w) {
      return (DelayedWork) works[w.id];
    }

    /** A delay in ms: often zero, otherwise one whose expiry no armed timer has. */
    private long delay() {
      if (rng.nextInt(5) == 0) {
        return 0;
      }
      long d = 1 + rng.nextInt(30);
      while (model.expiryTaken(model.now() + d)) {
        d++;
      }
      return d;
    }

    private void randomStep() {
      int p = rng.nextInt(100);
      if (!model.destroying() && step > steps / 2 && rng.nextInt(60) == 0) {
        call("destroy()", model.destroy(), worker.destroy());
      } else if (p < 14) {
        W w = anyWork();
        call("queue(" + w + ")", model.queue(w, false), worker.queue(real(w)));
      } else if (p < 24) {
        W w = delayedWork();
        long d = delay();
        call("queueDelayed(" + w + ", " + d + ")", model.queueDelayed(w, d, false),
            worker.queueDelayed(realDelayed(w), Duration.ofMillis(d)));
      } else if (p < 32) {
        W w = delayedWork();
        long d = delay();
        call("modDelayed(" + w + ", " + d + ")", model.modDelayed(w, d, false),
            worker.modDelayed(realDelayed(w), Duration.ofMillis(d)));
      } else if (p < 36) {
        W w = anyWork();
        call("cancel(" + w + ")", model.cancel(w), worker.cancel(real(w)));
      } else if (p < 43) {
        W w = anyWork();
        call("cancelSync(" + w + ")", model.cancelSync(w, false), worker.cancelSync(real(w)));
      } else if (p < 47) {
        W w = anyWork();
        call("flush(" + w + ")", model.flush(w, false), worker.flush(real(w)));
      } else if (p < 49) {
        call("flush()", model.flushWorker(false), worker.flush());
      } else if (p < 52) {
        W w = delayedWork();
        call("flushDelayed(" + w + ")", model.flushDelayed(w, false), worker.flushDelayed(realDelayed(w)));
      } else if (p < 55) {
        W w = anyWork();
        boolean sync = rng.nextBoolean();
        call((sync ? "disableSync(" : "disable(") + w + ")", model.disable(w, sync, false),
            sync ? worker.disableSync(real(w)) : worker.disable(real(w)));
      } else if (p < 60) {
        W w = anyWork();
        if (rng.nextBoolean()) {
          call("enable(" + w + ")", model.enable(w), worker.enable(real(w)));
        } else {
          call("enableAndQueue(" + w + ")", model.enableAndQueue(w, false), worker.enableAndQueue(real(w)));
        }
      } else if (p < 61) {
        call("drain()", model.drain(false), worker.drain());
      } else if (p < 73) {
        long d = 1 + rng.nextInt(25);
        model.advance(d);
        trace("time passes " + d + " ms (now " + model.now() + ")");
        KIT.timePasses(d);
        quiesce(null);
      } else if (model.current() != null) {
        release(randomChained(rng.nextInt(3)));
      } else {
        W w = anyWork();
        call("queue(" + w + ")", model.queue(w, false), worker.queue(real(w)));
      }
    }

    private List<Chained> randomChained(int n) {
      List<Chained> calls = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int p = rng.nextInt(11);
        W w = rng.nextInt(3) == 0 ? model.current() : anyWork();
        W dw = delayedWork();
        Work rw = real(w);
        DelayedWork rdw = realDelayed(dw);
        switch (p) {
          case 0 -> calls.add(new Chained("queue(" + w + ")", m -> m.queue(w, true), k -> k.queue(rw)));
          case 1 -> {
            long d = delay();
            calls.add(new Chained("queueDelayed(" + dw + ", " + d + ")", m -> m.queueDelayed(dw, d, true),
                k -> k.queueDelayed(rdw, Duration.ofMillis(d))));
          }
          case 2 -> {
            long d = delay();
            calls.add(new Chained("modDelayed(" + dw + ", " + d + ")", m -> m.modDelayed(dw, d, true),
                k -> k.modDelayed(rdw, Duration.ofMillis(d))));
          }
          case 3 -> calls.add(new Chained("cancel(" + w + ")", m -> m.cancel(w), k -> k.cancel(rw)));
          case 4 -> calls.add(new Chained("cancelSync(" + w + ")", m -> m.cancelSync(w, true),
              k -> k.cancelSync(rw)));
          case 5 -> calls.add(new Chained("flush(" + w + ")", m -> m.flush(w, true), k -> k.flush(rw)));
          case 6 -> calls.add(new Chained("flush()", m -> m.flushWorker(true), KWorker::flush));
          case 7 -> calls.add(new Chained("disable(" + w + ")", m -> m.disable(w, false, true),
              k -> k.disable(rw)));
          case 8 -> calls.add(new Chained("enableAndQueue(" + w + ")", m -> m.enableAndQueue(w, true),
              k -> k.enableAndQueue(rw)));
          case 9 -> calls.add(new Chained("flushDelayed(" + dw + ")", m -> m.flushDelayed(dw, true),
              k -> k.flushDelayed(rdw)));
          default -> calls.add(new Chained("drain()", m -> m.drain(true), KWorker::drain));
        }
      }
      return calls;
    }

    /** Lets the running work make {@code calls} and return. */
    private void release(List<Chained> calls) {
      W w = model.current();
      List<Outcome> expected = new ArrayList<>();
      for (Chained c : calls) {
        Stage s = c.model().apply(model);
        if (!s.done()) {
          throw new AssertionError("the model parked chained call " + c.what() + "; the driver cannot wait for it");
        }
        expected.add(Outcome.of(s));
      }
      model.endRun();
      trace("release " + w + " after " + calls.stream().map(Chained::what).toList() + " -> " + expected);
      Release r = new Release(calls);
      gates.get(w.id).add(r);
      List<Outcome> actual = Await.result(r.outcomes);
      assertEquals(expected, actual, "chained calls of " + w + " " + calls.stream().map(Chained::what).toList());
      quiesce(w);
    }

    private void call(String what, Stage expected, CompletionStage<?> actual) {
      trace(expected.toString());
      modelStages.add(expected);
      realStages.add(actual);
      if (expected.done()) {
        assertEquals(Outcome.of(expected), Outcome.of(actual), what);
      }
      quiesce(null);
    }

    private void trace(String s) {
      trace.addLast("#" + step + " " + s);
      if (trace.size() > 25) {
        trace.removeFirst();
      }
    }

    // ---------------------------------------------------------------- comparison

    /** Waits for what the model says happens next, then compares answers, statuses and runs. */
    private void quiesce(W released) {
      List<Integer> expectedLog = model.runLog();
      while (realLog.size() < expectedLog.size()) {
        Integer started;
        try {
          started = starts.poll(Await.LONG_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
        assertNotNull(started, "the model started w" + expectedLog.get(realLog.size()) + "; the worker started nothing");
        realLog.add(started);
        assertEquals(expectedLog.subList(0, realLog.size()), realLog, "order of runs");
      }
      boolean nextStarted = model.current() != null;
      if (released != null && !nextStarted && !model.closed()) {
        // the function returned; wait until the worker has taken the run off its books
        Await.until("the run of " + released + " ends", () ->
            !Await.result(worker.state(real(released))).running());
      }
      for (int i = 0; i < modelStages.size(); i++) {
        Stage m = modelStages.get(i);
        CompletionStage<?> r = realStages.get(i);
        if (m.done()) {
          assertEquals(Outcome.of(m), Outcome.of(r), "answer of " + m);
          modelStages.remove(i);
          realStages.remove(i);
          i--;
        } else if (r.toCompletableFuture().isDone()) {
          fail("the model still waits in " + m + " but the worker answered " + Outcome.of(r));
        }
      }
      for (int i = 0; i < works.length; i++) {
        KthreadModel.Status expected = model.status(model.work(i));
        WorkStatus actual = status(works[i]);
        assertEquals(expected, new KthreadModel.Status(actual.state().name(), actual.canceling(), actual.disabled()),
            "status of w" + i);
      }
      Integer extra = starts.poll();
      if (extra != null) {
        fail("the worker started w" + extra + " which the model did not start; runs so far " + realLog);
      }
    }

    /** Through the actor's mailbox, so that every message sent before (reports, expiries) is in. */
    private WorkStatus status(Work w) {
      if (model.closed()) {
        return Await.result(worker.status(w));
      }
      worker.ref().tell(new KWorker.GetStatus(w, probe.ref()));
      StatusReply<WorkStatus> reply = probe.receiveMessage(Duration.ofSeconds(Await.LONG_SECONDS));
      return reply.getValue();
    }

    /** Lets every run finish, destroys the worker, and checks the answers of a destroyed worker. */
    private void finish() {
      step = -1;
      while (model.current() != null) {
        release(List.of());
      }
      if (!model.destroying()) {
        call("destroy()", model.destroy(), worker.destroy());
      }
      while (model.current() != null) {
        release(List.of());
      }
      if (!model.closed()) {
        throw new AssertionError("destroy did not close the model: " + model.describe());
      }
      W w = model.work(0);
      call("queue(w0) after destroy", model.queue(w, false), worker.queue(real(w)));
      call("cancelSync(w0) after destroy", model.cancelSync(w, false), worker.cancelSync(real(w)));
      call("flush(w0) after destroy", model.flush(w, false), worker.flush(real(w)));
      assertEquals(WorkState.IDLE, Await.result(worker.state(real(w))));
      for (BlockingQueue<Release> g : gates) {
        g.add(new Release(List.of())); // nothing should be blocked; harmless if nothing is
      }
    }
  }
}
