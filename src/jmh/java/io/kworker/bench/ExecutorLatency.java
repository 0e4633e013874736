package io.kworker.bench;

import static io.kworker.bench.CompletionLatency.EXTRA_SPIN_NS;
import static io.kworker.bench.CompletionLatency.spin;

import akka.actor.typed.ActorSystem;
import io.kworker.KWorker;
import io.kworker.KWorkerExecutor;
import io.kworker.KWorkerFuture;
import io.kworker.Work;
import io.kworker.bench.CompletionLatency.Scenario;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * docs/performance.md, results group "6 executor" (latency): {@link KWorkerExecutor} beside
 * {@code ScheduledThreadPoolExecutor(1)} in one JVM. The scenarios compared are interleaved sample by
 * sample, in a new random order for each sample: this VM's wake-ups flip between a fast and a slow mode
 * from one moment to the next, and scenarios measured in blocks of their own (as
 * {@link CompletionLatency} does) can land in different modes. The measuring thread waits for the task
 * with short parks, not spins, so that it leaves the task's thread a CPU. Figures: each scenario's p50
 * and p99 per round, and their medians.
 *
 * <ul>
 *   <li>{@code executor_cancelSyncRunning_fromReturn}: {@link KWorkerFuture#cancelSync()} of a running
 *       task, from the task's return to the caller's answer. The task spins until its future is cancelled
 *       (cancelSync cancels before it waits), then 20 µs more, so that the caller is parked; beside
 *       {@code stpe_submitGet_fromReturn}, the wake-up of a {@code Future.get} from the task's return
 *       (as in {@link CompletionLatency}, measured again here so that both come from one run), and the
 *       same wake-up on the executor ({@code executor_submitGet_fromReturn}).
 *   <li>{@code *_cancelTrue_interrupt}: from the call of {@code cancel(true)} to the moment the running
 *       task, spinning on its interrupt status, sees it; for the executor and for STPE(1), and, for
 *       reference, the worker's own {@code cancelSync(work, Duration.ZERO)}, which interrupts from the
 *       worker actor.
 * </ul>
 *
 * <p>Run: {@code mvn -B -Pjmh test-compile exec:exec@bench -Dbench.main=io.kworker.bench.ExecutorLatency -Dbench.args='7 3000 docs/results/executor-latency.json'}
 */
public final class ExecutorLatency {
  static volatile long tEnd;
  static volatile boolean started;
  static volatile boolean callerWaiting;

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    int samples = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
    Path out = Path.of(args.length > 2 ? args[2] : "target/executor-latency.json");

    ActorSystem<Void> system = Bench.system("executor-latency", "");
    KWorkerExecutor executor = KWorkerExecutor.create(system, "bench-executor");
    KWorker worker = KWorker.create(system, "bench-worker");
    ScheduledThreadPoolExecutor stpe = new ScheduledThreadPoolExecutor(1);

    AtomicReference<Future<?>> self = new AtomicReference<>();
    Runnable untilCancelled = () -> {
      started = true;
      Future<?> f;
      while ((f = self.get()) == null || !f.isCancelled()) {
        Thread.onSpinWait();
      }
      spin(EXTRA_SPIN_NS);
      tEnd = System.nanoTime();
    };
    Runnable untilInterrupted = () -> {
      started = true;
      while (!Thread.currentThread().isInterrupted()) {
        Thread.onSpinWait();
      }
      tEnd = System.nanoTime();
    };
    Work interruptible = Work.of("interruptible", untilInterrupted::run);

    Map<String, Scenario> scenarios = new LinkedHashMap<>();
    scenarios.put("executor_cancelSyncRunning_fromReturn", () -> {
      started = false;
      self.set(null);
      KWorkerFuture<?> f = executor.submit(untilCancelled);
      awaitStarted();
      self.set(f);
      f.cancelSync().toCompletableFuture().get(10, TimeUnit.SECONDS);
      return System.nanoTime() - tEnd;
    });
    scenarios.put("executor_submitGet_fromReturn", () -> getFromReturn(executor));
    scenarios.put("stpe_submitGet_fromReturn", () -> getFromReturn(stpe));
    scenarios.put("executor_cancelTrue_interrupt",
        () -> interruptLatency(() -> executor.submit(untilInterrupted), f -> f.cancel(true) ? null : null));
    scenarios.put("stpe_cancelTrue_interrupt",
        () -> interruptLatency(() -> stpe.submit(untilInterrupted), f -> f.cancel(true) ? null : null));
    scenarios.put("kworker_cancelSyncZeroGrace_interrupt", () -> interruptLatency(() -> {
      worker.queue(interruptible);
      return null;
    }, f -> worker.cancelSync(interruptible, Duration.ZERO)));

    Results results = new Results();
    for (List<String> group : List.of(
        List.of("executor_cancelSyncRunning_fromReturn", "executor_submitGet_fromReturn",
            "stpe_submitGet_fromReturn"),
        List.of("executor_cancelTrue_interrupt", "stpe_cancelTrue_interrupt",
            "kworker_cancelSyncZeroGrace_interrupt"))) {
      interleaved(group, scenarios, rounds, samples, results);
    }
    results.write(out);
    Bench.shutdown(executor);
    Bench.join(worker.destroy());
    Bench.terminate(system);
    Bench.shutdown(stpe);
  }

  /** From the task's return to the wake-up of the caller parked in {@code Future.get}. */
  static long getFromReturn(java.util.concurrent.ExecutorService e) throws Exception {
    callerWaiting = false;
    Future<?> f = e.submit(() -> {
      while (!callerWaiting) {
        Thread.onSpinWait();
      }
      spin(EXTRA_SPIN_NS); // the caller parks in get() meanwhile
      tEnd = System.nanoTime();
    });
    callerWaiting = true;
    f.get(10, TimeUnit.SECONDS);
    return System.nanoTime() - tEnd;
  }

  /** Measures {@code group}'s scenarios interleaved sample by sample; adds each one's figures. */
  static void interleaved(List<String> group, Map<String, Scenario> scenarios, int rounds, int samples,
      Results results) throws Exception {
    List<String> names = new ArrayList<>(group);
    Map<String, double[]> p50 = new LinkedHashMap<>();
    Map<String, double[]> p99 = new LinkedHashMap<>();
    names.forEach(k -> {
      p50.put(k, new double[rounds]);
      p99.put(k, new double[rounds]);
    });
    Random rnd = new Random(42);
    for (int r = -1; r < rounds; r++) { // round -1 warms up
      Map<String, double[]> us = new LinkedHashMap<>();
      names.forEach(k -> us.put(k, new double[samples]));
      for (int i = 0; i < samples; i++) {
        Collections.shuffle(names, rnd);
        for (String k : names) {
          us.get(k)[i] = scenarios.get(k).sample() / 1e3;
        }
      }
      if (r >= 0) {
        for (String k : names) {
          double[] sorted = us.get(k);
          Arrays.sort(sorted);
          p50.get(k)[r] = Bench.quantile(sorted, 0.50);
          p99.get(k)[r] = Bench.quantile(sorted, 0.99);
        }
        System.out.println(group.get(0) + "...: round " + r + " done");
      }
    }
    for (String k : group) {
      results.add("io.kworker.bench.ExecutorLatency." + k, "us/op", p50.get(k),
          Map.of("50.0", Bench.median(p50.get(k)), "99.0", Bench.median(p99.get(k))), Map.of());
    }
  }

  static void awaitStarted() {
    while (!started) {
      LockSupport.parkNanos(10_000);
    }
  }

  /** From the call of {@code cancel} to the running task's first sight of the interrupt. */
  static long interruptLatency(Callable<Future<?>> start, Function<Future<?>, CompletionStage<?>> cancel)
      throws Exception {
    started = false;
    tEnd = 0;
    Future<?> f = start.call();
    awaitStarted();
    long t0 = System.nanoTime();
    CompletionStage<?> cancelled = cancel.apply(f);
    while (tEnd == 0) {
      LockSupport.parkNanos(10_000);
    }
    long sample = tEnd - t0;
    if (cancelled != null) {
      cancelled.toCompletableFuture().get(10, TimeUnit.SECONDS); // the worker may take a new instance
    }
    return sample;
  }
}
