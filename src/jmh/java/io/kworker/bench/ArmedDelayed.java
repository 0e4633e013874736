package io.kworker.bench;

import akka.actor.typed.ActorSystem;
import io.kworker.DelayedWork;
import io.kworker.KWorker;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * docs/performance.md, results group "3 armed 1M": N (default 1,000,000) delayed works armed with a 1 h delay, then all cancelled.
 * Per work: the time to arm it, the time to cancel it, and the heap it holds while armed; against
 * {@code ScheduledThreadPoolExecutor(1)} with {@code setRemoveOnCancelPolicy(true)} in the same JVM,
 * alternating which goes first in each round.
 *
 * <p>The works (and, for the executor, the Runnables) are created before the clock starts and stay
 * reachable, so only what arming adds is counted. kworker's calls are asynchronous: the time of a phase
 * runs from the first call until the worker has answered the last one (the answers come in order). The
 * heap is measured after {@code System.gc()} (used heap of all pools), before arming, while armed and
 * after cancelling.
 *
 * <p>Run: {@code mvn -B -Pjmh test-compile exec:exec@bench -Dbench.main=io.kworker.bench.ArmedDelayed -Dbench.args='5 1000000 docs/results/armed.json'}
 */
public final class ArmedDelayed {
  static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  /**
   * Used heap after full GCs, once it has settled: actors and threads that are still winding down
   * release memory a little later, so GC until two readings 100 ms apart agree within 64 KB.
   */
  static long usedAfterGc() {
    long prev = Long.MAX_VALUE;
    for (int i = 0; i < 20; i++) {
      System.gc();
      long used = MEMORY.getHeapMemoryUsage().getUsed();
      if (Math.abs(prev - used) < 64 * 1024) {
        return Math.min(prev, used);
      }
      prev = used;
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return prev;
  }

  record Figures(double armNs, double cancelNs, double armedBytes, double leftBytes) {}

  static Figures kworker(ActorSystem<Void> system, int n, int round) {
    KWorker worker = KWorker.create(system, "armed-" + round);
    Bench.join(worker.flush());
    DelayedWork[] works = new DelayedWork[n];
    for (int i = 0; i < n; i++) {
      works[i] = DelayedWork.of("d" + i, QueueThroughput.NOOP_WORK);
    }
    long before = usedAfterGc();
    long gc0 = gcMillis();
    long t0 = System.nanoTime();
    CompletionStage<Boolean> last = null;
    for (DelayedWork w : works) {
      last = worker.queueDelayed(w, Bench.hour());
    }
    if (!Bench.join(last)) {
      throw new IllegalStateException("last work not armed");
    }
    long t1 = System.nanoTime();
    long gc1 = gcMillis();
    long armed = usedAfterGc();
    long t2 = System.nanoTime();
    for (DelayedWork w : works) {
      last = worker.cancel(w);
    }
    if (!Bench.join(last)) {
      throw new IllegalStateException("last work not cancelled");
    }
    long t3 = System.nanoTime();
    long left = usedAfterGc();
    Bench.join(worker.destroy());
    reach(works);
    System.out.printf("  kworker: %d ms of GC while arming %d works in %d ms%n", gc1 - gc0, n,
        (t1 - t0) / 1_000_000);
    return new Figures((t1 - t0) / (double) n, (t3 - t2) / (double) n, (armed - before) / (double) n,
        (left - before) / (double) n);
  }

  static long gcMillis() {
    long sum = 0;
    for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      sum += Math.max(0, gc.getCollectionTime());
    }
    return sum;
  }

  static Figures stpe(int n) {
    ScheduledThreadPoolExecutor stpe = new ScheduledThreadPoolExecutor(1);
    stpe.setRemoveOnCancelPolicy(true);
    Runnable[] tasks = new Runnable[n];
    for (int i = 0; i < n; i++) {
      tasks[i] = () -> {};
    }
    @SuppressWarnings("unchecked")
    ScheduledFuture<?>[] futures = new ScheduledFuture<?>[n];
    long before = usedAfterGc();
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      futures[i] = stpe.schedule(tasks[i], 1, TimeUnit.HOURS);
    }
    long t1 = System.nanoTime();
    long armed = usedAfterGc();
    long t2 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      futures[i].cancel(false);
    }
    long t3 = System.nanoTime();
    java.util.Arrays.fill(futures, null);
    long left = usedAfterGc();
    stpe.shutdownNow();
    reach(tasks);
    // the futures array (4 or 8 B a slot) is held by the caller, as a caller of cancel must; subtract it
    int slot = arraySlotBytes();
    return new Figures((t1 - t0) / (double) n, (t3 - t2) / (double) n,
        (armed - before) / (double) n - slot, (left - before) / (double) n);
  }

  static int arraySlotBytes() {
    String compressed = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.contains("UseCompressedOops")).findFirst().orElse("+");
    return compressed.contains("-UseCompressedOops") ? 8 : 4;
  }

  static volatile Object sink;

  static void reach(Object o) {
    sink = o;
    sink = null;
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    Path out = Path.of(args.length > 2 ? args[2] : "target/armed.json");
    ActorSystem<Void> system = Bench.system("armed", "");
    // warm-up with a tenth of N, not recorded
    kworker(system, n / 10, -1);
    stpe(n / 10);
    String[] names = {"kworker_arm", "kworker_cancel", "kworker_armedBytes", "kworker_bytesAfterCancel",
        "stpe_schedule", "stpe_cancel", "stpe_armedBytes", "stpe_bytesAfterCancel"};
    Map<String, double[]> v = new LinkedHashMap<>();
    for (String k : names) {
      v.put(k, new double[rounds]);
    }
    for (int r = 0; r < rounds; r++) {
      Figures k;
      Figures s;
      if (r % 2 == 0) {
        k = kworker(system, n, r);
        s = stpe(n);
      } else {
        s = stpe(n);
        k = kworker(system, n, r);
      }
      v.get("kworker_arm")[r] = k.armNs();
      v.get("kworker_cancel")[r] = k.cancelNs();
      v.get("kworker_armedBytes")[r] = k.armedBytes();
      v.get("kworker_bytesAfterCancel")[r] = k.leftBytes();
      v.get("stpe_schedule")[r] = s.armNs();
      v.get("stpe_cancel")[r] = s.cancelNs();
      v.get("stpe_armedBytes")[r] = s.armedBytes();
      v.get("stpe_bytesAfterCancel")[r] = s.leftBytes();
      System.out.printf("round %d: kworker %s | stpe %s%n", r, k, s);
    }
    Results results = new Results();
    for (String k : names) {
      results.add("io.kworker.bench.ArmedDelayed." + k, k.contains("ytes") ? "B/work" : "ns/work",
          v.get(k), Map.of(), Map.of("n", Integer.toString(n)));
    }
    results.write(out);
    Bench.terminate(system);
  }
}
