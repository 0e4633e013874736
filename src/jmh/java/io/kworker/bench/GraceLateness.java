package io.kworker.bench;

import akka.actor.typed.ActorSystem;
import io.kworker.KWorker;
import io.kworker.Work;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How late a cancel's grace period interrupts a blocked work (docs/performance.md, "Hardening"): {@code samples} times
 * each, a work blocks until interrupted, {@code cancelSync(work, grace)} is called, and the lateness is
 * the time from the call to the interrupt, less the grace. Graces of 0 and 1 ms, on kworker's timer
 * thread (the shipped configuration).
 *
 * <p>Run: {@code mvn -B -Pjmh test-compile exec:exec@bench -Dbench.main=io.kworker.bench.GraceLateness -Dbench.args='3 200 docs/results/grace.json'}
 */
public final class GraceLateness {
  private GraceLateness() {}

  static double[] lateness(KWorker worker, Duration grace, int samples) throws Exception {
    double[] late = new double[samples];
    for (int i = 0; i < samples; i++) {
      CountDownLatch started = new CountDownLatch(1);
      AtomicLong interruptedAt = new AtomicLong();
      Work blocked = Work.of("blocked", () -> {
        started.countDown();
        try {
          new CountDownLatch(1).await(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
          interruptedAt.set(System.nanoTime());
        }
      });
      Bench.join(worker.queue(blocked));
      started.await(1, TimeUnit.MINUTES);
      long t0 = System.nanoTime();
      Bench.join(worker.cancelSync(blocked, grace));
      late[i] = (interruptedAt.get() - t0 - grace.toNanos()) / 1e6;
    }
    Arrays.sort(late);
    return late;
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int samples = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    Path out = Path.of(args.length > 2 ? args[2] : "target/grace.json");
    ActorSystem<Void> system = Bench.system("grace", "");
    KWorker worker = KWorker.create(system, "grace");
    Results results = new Results();
    for (Duration grace : new Duration[] {Duration.ZERO, Duration.ofMillis(1)}) {
      double[] p50 = new double[rounds];
      double[] p99 = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        double[] late = lateness(worker, grace, samples);
        p50[r] = Bench.quantile(late, 0.5);
        p99[r] = Bench.quantile(late, 0.99);
      }
      String name = "GraceLateness.grace" + grace.toMillis() + "ms";
      results.add(name, "ms", p50, Map.of("50.0", Bench.median(p50), "99.0", Bench.median(p99)), Map.of());
    }
    Bench.join(worker.destroy());
    Bench.terminate(system);
    results.write(out);
  }
}
