package io.kworker.bench;

import akka.actor.typed.ActorSystem;
import io.kworker.KWorker;
import io.kworker.Work;
import java.nio.file.Path;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * What cancelled works keep while a long run holds the worker (docs/performance.md, "Hardening"): used heap after
 * {@code System.gc()} before and after {@code cycles} (default 2,000,000) queue+cancel cycles, each of a
 * new work that captures a 64-byte array, behind one run that blocks until the end. Target: within 1 MB
 * of the start. Baselines in the same JVM: {@code ScheduledThreadPoolExecutor(1)} with
 * {@code removeOnCancel} on (submit+cancel behind a blocking task) and off.
 *
 * <p>Run: {@code mvn -B -Pjmh test-compile exec:exec@bench -Dbench.main=io.kworker.bench.CancelRetention -Dbench.args='3 2000000 docs/results/retention.json'}
 */
public final class CancelRetention {
  private CancelRetention() {}

  static double kworker(ActorSystem<Void> system, int cycles, int round) {
    KWorker worker = KWorker.create(system, "retention-" + round);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    Bench.join(worker.queue(Work.of("long", () -> {
      started.countDown();
      await(release);
    })));
    await(started);
    long before = ArmedDelayed.usedAfterGc();
    CompletionStage<Boolean> last = null;
    for (int i = 0; i < cycles; i++) {
      byte[] captured = new byte[64];
      Work w = Work.of("w", () -> captured[0]++);
      worker.queue(w);
      last = worker.cancel(w);
      if ((i & 0xffff) == 0) {
        Bench.join(last); // keep the inbox from holding millions of calls at once
      }
    }
    if (!Bench.join(last)) {
      throw new IllegalStateException("the last cancel removed nothing");
    }
    long after = ArmedDelayed.usedAfterGc();
    release.countDown();
    Bench.join(worker.destroy());
    return (after - before) / 1e6;
  }

  static double stpe(int cycles, boolean removeOnCancel) {
    ScheduledThreadPoolExecutor stpe = new ScheduledThreadPoolExecutor(1);
    stpe.setRemoveOnCancelPolicy(removeOnCancel);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    stpe.execute(() -> {
      started.countDown();
      await(release);
    });
    await(started);
    long before = ArmedDelayed.usedAfterGc();
    for (int i = 0; i < cycles; i++) {
      byte[] captured = new byte[64];
      Future<?> f = stpe.submit(() -> captured[0]++);
      f.cancel(false);
    }
    long after = ArmedDelayed.usedAfterGc();
    release.countDown();
    Bench.shutdown(stpe);
    return (after - before) / 1e6;
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.MINUTES)) {
        throw new IllegalStateException("latch not released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int cycles = args.length > 1 ? Integer.parseInt(args[1]) : 2_000_000;
    Path out = Path.of(args.length > 2 ? args[2] : "target/retention.json");
    ActorSystem<Void> system = Bench.system("retention", "");
    double[] kw = new double[rounds];
    double[] stpeRemove = new double[rounds];
    double[] stpeKeep = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      kw[r] = kworker(system, cycles, r);
      stpeRemove[r] = stpe(cycles, true);
      stpeKeep[r] = stpe(cycles, false);
      System.out.printf("round %d: kworker %.3f MB, STPE removeOnCancel %.3f MB, STPE default %.3f MB%n", r,
          kw[r], stpeRemove[r], stpeKeep[r]);
    }
    Bench.terminate(system);
    Results results = new Results();
    results.add("CancelRetention.kworker", "MB", kw);
    results.add("CancelRetention.stpeRemoveOnCancel", "MB", stpeRemove);
    results.add("CancelRetention.stpeDefault", "MB", stpeKeep);
    results.write(out);
  }
}
