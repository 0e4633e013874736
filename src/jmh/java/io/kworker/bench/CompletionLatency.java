package io.kworker.bench;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import io.kworker.KWorker;
import io.kworker.Work;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

/**
 * docs/performance.md, results group "2 cancelSync" (running): how long after a running work's function returns does the
 * caller of {@code cancelSync} wake up with the answer? Against the same wake-up for
 * {@code ScheduledThreadPoolExecutor.submit(...).get()} (from the task's return) and for an Akka ask
 * (from the actor's reply). In each case the waiting side is parked before the other side finishes: the
 * work spins until it sees {@link Work#cancelRequested()} (so the worker actor has parked the cancel),
 * the task and the actor until the caller is about to wait, and all three spin 20 µs more before they
 * take the time stamp and return.
 *
 * <p>Also measures the whole {@code cancelSync} of a running work (from the call to the answer, the
 * function returning as soon as it sees the request).
 *
 * <p>Scenarios are interleaved in a random order in each round; the figures are medians over rounds.
 *
 * <p>Run: {@code mvn -B -Pjmh test-compile exec:exec@bench -Dbench.main=io.kworker.bench.CompletionLatency -Dbench.args='7 3000 docs/results/completion.json'}
 */
public final class CompletionLatency {
  static final long EXTRA_SPIN_NS = 20_000;
  static volatile long tEnd;
  static volatile boolean callerWaiting;
  static volatile boolean workStarted;

  record Ping(ActorRef<Boolean> replyTo) {}

  static void spin(long ns) {
    long until = System.nanoTime() + ns;
    while (System.nanoTime() < until) {
      Thread.onSpinWait();
    }
  }

  static Behavior<Ping> replier() {
    return Behaviors.receiveMessage(p -> {
      while (!callerWaiting) {
        Thread.onSpinWait();
      }
      spin(EXTRA_SPIN_NS);
      tEnd = System.nanoTime();
      p.replyTo().tell(Boolean.TRUE);
      return Behaviors.same();
    });
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    int samples = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
    Path out = Path.of(args.length > 2 ? args[2] : "target/completion.json");

    ActorSystem<Void> system = Bench.system("completion", "");
    KWorker worker = KWorker.create(system, "bench");
    ScheduledThreadPoolExecutor stpe = new ScheduledThreadPoolExecutor(1);
    ActorRef<Ping> replier = system.systemActorOf(replier(), "replier", akka.actor.typed.Props.empty());
    Work running = Work.of("running", (Work w) -> {
      workStarted = true;
      while (!w.cancelRequested()) {
        Thread.onSpinWait();
      }
      spin(EXTRA_SPIN_NS);
      tEnd = System.nanoTime();
    });
    Work quick = Work.of("quick", (Work w) -> {
      workStarted = true;
      while (!w.cancelRequested()) {
        Thread.onSpinWait();
      }
    });

    Map<String, Scenario> scenarios = new LinkedHashMap<>();
    scenarios.put("kworker_cancelSyncRunning_fromReturn", () -> {
      workStarted = false;
      worker.queue(running);
      while (!workStarted) {
        Thread.onSpinWait();
      }
      CompletableFuture<Boolean> f = worker.cancelSync(running).toCompletableFuture();
      f.get(10, TimeUnit.SECONDS);
      return System.nanoTime() - tEnd;
    });
    scenarios.put("stpe_submitGet_fromReturn", () -> {
      callerWaiting = false;
      Future<?> f = stpe.submit(() -> {
        while (!callerWaiting) {
          Thread.onSpinWait();
        }
        spin(EXTRA_SPIN_NS);
        tEnd = System.nanoTime();
      });
      callerWaiting = true;
      f.get(10, TimeUnit.SECONDS);
      return System.nanoTime() - tEnd;
    });
    scenarios.put("akka_ask_fromReply", () -> {
      callerWaiting = false;
      CompletableFuture<Boolean> f = AskPattern.<Ping, Boolean>ask(replier, Ping::new,
          Duration.ofSeconds(10), system.scheduler()).toCompletableFuture();
      callerWaiting = true;
      f.get(10, TimeUnit.SECONDS);
      return System.nanoTime() - tEnd;
    });
    scenarios.put("kworker_cancelSyncRunning_whole", () -> {
      workStarted = false;
      worker.queue(quick);
      while (!workStarted) {
        Thread.onSpinWait();
      }
      long t0 = System.nanoTime();
      worker.cancelSync(quick).toCompletableFuture().get(10, TimeUnit.SECONDS);
      return System.nanoTime() - t0;
    });
    scenarios.put("stpe_submitGet_whole", () -> {
      long t0 = System.nanoTime();
      stpe.submit(QueueThroughput.NOOP).get(10, TimeUnit.SECONDS);
      return System.nanoTime() - t0;
    });

    Results results = new Results();
    rounds("io.kworker.bench.CompletionLatency.", scenarios, rounds, k -> samples, results);
    results.write(out);
    Bench.join(worker.destroy());
    Bench.terminate(system);
    Bench.shutdown(stpe);
  }

  interface Scenario {
    long sample() throws Exception;
  }

  /**
   * Runs every scenario once to warm up, then {@code rounds} rounds in a random order each (the same
   * order for every run), {@code samples.applyAsInt(name)} samples a scenario; adds to {@code results},
   * under {@code prefix + name}, each round's p50 and the medians over rounds of the p50 and the p99.
   * Returns the rounds' p50s by name.
   */
  static Map<String, double[]> rounds(String prefix, Map<String, Scenario> scenarios, int rounds,
      ToIntFunction<String> samples, Results results) throws Exception {
    Map<String, double[]> p50 = new LinkedHashMap<>();
    Map<String, double[]> p99 = new LinkedHashMap<>();
    for (String k : scenarios.keySet()) {
      p50.put(k, new double[rounds]);
      p99.put(k, new double[rounds]);
    }
    List<String> order = new ArrayList<>(scenarios.keySet());
    Random rnd = new Random(42);
    for (String k : order) { // warm-up, not recorded
      run(scenarios.get(k), samples.applyAsInt(k));
    }
    for (int r = 0; r < rounds; r++) {
      Collections.shuffle(order, rnd);
      for (String k : order) {
        double[] us = run(scenarios.get(k), samples.applyAsInt(k));
        p50.get(k)[r] = Bench.quantile(us, 0.50);
        p99.get(k)[r] = Bench.quantile(us, 0.99);
      }
      System.out.println("round " + r + " done");
    }
    for (String k : scenarios.keySet()) {
      results.add(prefix + k, "us/op", p50.get(k),
          Map.of("50.0", Bench.median(p50.get(k)), "99.0", Bench.median(p99.get(k))), Map.of());
    }
    return p50;
  }

  /** Sorted samples in microseconds. */
  static double[] run(Scenario s, int n) throws Exception {
    double[] us = new double[n];
    for (int i = 0; i < n; i++) {
      us[i] = s.sample() / 1e3;
    }
    Arrays.sort(us);
    return us;
  }
}
