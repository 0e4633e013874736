package io.kworker.bench;

import akka.actor.typed.ActorSystem;
import io.kworker.KWorker;
import io.kworker.Work;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.LongAdder;

/**
 * docs/performance.md, results group "1 throughput" (interleaved), for ratios that the machine's noise cannot skew: the same scenarios as
 * {@link QueueThroughput} (batches of 10,000 distinct no-op works or tasks, then wait for the batch),
 * but all in one JVM, interleaved in a random order in every round, each for {@code millis} ms. Each
 * round gives a ratio to {@code ScheduledThreadPoolExecutor(1)} measured seconds apart at most; the
 * figures are medians over rounds. Also the CPU time the whole process spends per work ({@code cpu_*}),
 * which other load on the machine disturbs much less than the rate.
 *
 * <p>Run: {@code mvn -B -Pjmh test-compile exec:exec@bench -Dbench.main=io.kworker.bench.InterleavedThroughput -Dbench.args='31 300 docs/results/interleaved.json'}
 * (arguments: rounds, ms per scenario, output, the worker's execution, and {@code kworker} to leave the
 * executors out: the worker alone, its producers alternating between 1 and 4).
 */
public final class InterleavedThroughput {
  static final int BATCH = QueueThroughput.BATCH;

  interface Batch {
    /** Queues a batch from producer {@code p} and waits until it has run. */
    void run(int p) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    long millis = args.length > 1 ? Long.parseLong(args[1]) : 700;
    Path out = Path.of(args.length > 2 ? args[2] : "target/interleaved.json");
    String execution = args.length > 3 ? args[3] : "dedicated";
    boolean baselines = !(args.length > 4 && args[4].equals("kworker"));

    ActorSystem<Void> system = Bench.system("interleaved", "");
    KWorker worker = KWorker.create(system, "bench", execution);
    ScheduledThreadPoolExecutor stpe = new ScheduledThreadPoolExecutor(1);
    ExecutorService single = Executors.newSingleThreadExecutor();
    int maxProducers = 4;
    Work[][] works = new Work[maxProducers][BATCH];
    for (int p = 0; p < maxProducers; p++) {
      for (int i = 0; i < BATCH; i++) {
        works[p][i] = Work.of("w" + p + "-" + i, QueueThroughput.NOOP_WORK);
      }
    }
    Batch kworker = p -> {
      for (Work w : works[p]) {
        worker.queue(w);
      }
      Bench.join(worker.flush());
    };
    Batch stpeBatch = p -> submitAll(stpe);
    Batch singleBatch = p -> submitAll(single);

    Map<String, Object[]> scenarios = new LinkedHashMap<>();
    for (int producers : new int[] {1, 4}) {
      scenarios.put("p" + producers + "_kworker", new Object[] {kworker, producers});
      if (baselines) {
        scenarios.put("p" + producers + "_stpe", new Object[] {stpeBatch, producers});
        scenarios.put("p" + producers + "_singleThreadExecutor", new Object[] {singleBatch, producers});
      }
    }
    Map<String, double[]> rate = new LinkedHashMap<>();
    Map<String, double[]> cpu = new LinkedHashMap<>();
    for (String k : scenarios.keySet()) {
      rate.put(k, new double[rounds]);
      cpu.put(k, new double[rounds]);
    }
    List<String> order = new ArrayList<>(scenarios.keySet());
    Random rnd = new Random(7);
    for (int warm = 0; warm < 2; warm++) {
      for (String k : order) {
        measure((Batch) scenarios.get(k)[0], (Integer) scenarios.get(k)[1], millis);
      }
    }
    for (int r = 0; r < rounds; r++) {
      Collections.shuffle(order, rnd);
      StringBuilder line = new StringBuilder("round " + r + ":");
      for (String k : order) {
        double v = measure((Batch) scenarios.get(k)[0], (Integer) scenarios.get(k)[1], millis);
        rate.get(k)[r] = v;
        cpu.get(k)[r] = lastCpuNsPerOp;
        line.append(String.format(" %s=%.2fM", k, v / 1e6));
      }
      System.out.println(line);
    }
    Results results = new Results();
    for (String k : scenarios.keySet()) {
      results.add("io.kworker.bench.InterleavedThroughput." + k, "ops/s", rate.get(k), Map.of(),
          Map.of("execution", execution));
    }
    for (String k : scenarios.keySet()) {
      results.add("io.kworker.bench.InterleavedThroughput.cpu_" + k, "cpu-ns/op", cpu.get(k), Map.of(),
          Map.of("execution", execution));
    }
    for (String k : scenarios.keySet()) {
      String base = k.substring(0, k.indexOf('_')) + "_stpe";
      if (!k.equals(base) && rate.containsKey(base)) {
        double[] ratio = new double[rounds];
        for (int r = 0; r < rounds; r++) {
          ratio[r] = rate.get(k)[r] / rate.get(base)[r];
        }
        results.add("io.kworker.bench.InterleavedThroughput.ratio_" + k + "_vs_stpe", "x", ratio,
            Map.of(), Map.of("execution", execution));
      }
    }
    results.write(out);
    Bench.join(worker.destroy());
    Bench.terminate(system);
    Bench.shutdown(stpe);
    Bench.shutdown(single);
  }

  static void submitAll(ExecutorService e) throws Exception {
    Future<?> last = null;
    for (int i = 0; i < BATCH; i++) {
      last = e.submit(QueueThroughput.NOOP);
    }
    last.get();
  }

  static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

  /** CPU time of the whole process per work in the last {@link #measure}: robust to other load. */
  static double lastCpuNsPerOp;

  /** Works per second over about {@code millis} ms, with {@code producers} threads. */
  static double measure(Batch batch, int producers, long millis) throws Exception {
    LongAdder done = new LongAdder();
    CyclicBarrier start = new CyclicBarrier(producers + 1);
    long[] deadline = new long[1];
    List<Thread> threads = new ArrayList<>();
    Throwable[] failure = new Throwable[1];
    for (int p = 0; p < producers; p++) {
      int id = p;
      Thread t = new Thread(() -> {
        try {
          start.await();
          while (System.nanoTime() < deadline[0]) {
            batch.run(id);
            done.add(BATCH);
          }
        } catch (Throwable e) {
          failure[0] = e;
        }
      }, "producer-" + p);
      threads.add(t);
      t.start();
    }
    long t0 = System.nanoTime();
    long cpu0 = OS.getProcessCpuTime();
    deadline[0] = t0 + millis * 1_000_000;
    start.await();
    for (Thread t : threads) {
      t.join();
    }
    long elapsed = System.nanoTime() - t0;
    lastCpuNsPerOp = (OS.getProcessCpuTime() - cpu0) / (double) done.sum();
    if (failure[0] != null) {
      throw new IllegalStateException(failure[0]);
    }
    return done.sum() * 1e9 / elapsed;
  }
}
