package io.kworker.bench;

import akka.actor.typed.ActorSystem;
import io.kworker.DelayedWork;
import io.kworker.KWorker;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * docs/performance.md, results group "4 timer 5 ms": how late does a delayed work with a 5 ms delay start? Lateness = the time from
 * the {@code queueDelayed} call to the start of the work's function, minus 5 ms; against
 * {@code ScheduledThreadPoolExecutor(1).schedule} (call to task start, minus 5 ms). The worker runs with
 * the shipped configuration (kworker's timer thread; Akka's tick left at its 10 ms default), and, for
 * reference, with {@code kworker.timers = scheduler} at Akka's 10 ms tick and at 1 ms, each in a
 * fresh ActorSystem.
 *
 * <p>Also the idle cost: the CPU time the whole process, and the timer threads (Akka's scheduler thread,
 * kworker's timer thread), use over {@code idleSeconds} while the ActorSystem (with one idle worker) does
 * nothing, and the process's own idle CPU with no ActorSystem as the floor.
 *
 * <p>Run: {@code mvn -B -Pjmh test-compile exec:exec@bench -Dbench.main=io.kworker.bench.TimerLateness -Dbench.args='5 100 10 docs/results/lateness.json'}
 */
public final class TimerLateness {
  static final long DELAY_NS = 5_000_000;
  static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  static volatile long started;

  /** Sorted lateness in ms of {@code n} sequential 5 ms delays on a worker. */
  static double[] kworker(KWorker worker, int n) throws Exception {
    double[] ms = new double[n];
    for (int i = 0; i < n; i++) {
      CountDownLatch ran = new CountDownLatch(1);
      DelayedWork w = DelayedWork.of("t", () -> {
        started = System.nanoTime();
        ran.countDown();
      });
      long t0 = System.nanoTime();
      worker.queueDelayed(w, Duration.ofNanos(DELAY_NS));
      ran.await(10, TimeUnit.SECONDS);
      ms[i] = (started - t0 - DELAY_NS) / 1e6;
      Thread.sleep(0, 100_000 + (i % 7) * 137_000); // de-phase from the tick
    }
    Arrays.sort(ms);
    return ms;
  }

  static double[] stpe(ScheduledThreadPoolExecutor stpe, int n) throws Exception {
    double[] ms = new double[n];
    for (int i = 0; i < n; i++) {
      CountDownLatch ran = new CountDownLatch(1);
      long t0 = System.nanoTime();
      stpe.schedule(() -> {
        started = System.nanoTime();
        ran.countDown();
      }, DELAY_NS, TimeUnit.NANOSECONDS);
      ran.await(10, TimeUnit.SECONDS);
      ms[i] = (started - t0 - DELAY_NS) / 1e6;
      Thread.sleep(0, 100_000 + (i % 7) * 137_000);
    }
    Arrays.sort(ms);
    return ms;
  }

  /** Percent of one core used by the process, and by the threads named with one of the prefixes, while idle. */
  static double[] idle(String[] threadPrefixes, int seconds) throws InterruptedException {
    System.gc();
    long[] ids = threadPrefixes == null ? new long[0] : Arrays.stream(THREADS.dumpAllThreads(false, false))
        .filter(t -> Arrays.stream(threadPrefixes).anyMatch(t.getThreadName()::startsWith))
        .mapToLong(ThreadInfo::getThreadId).toArray();
    long p0 = OS.getProcessCpuTime();
    long s0 = 0;
    for (long id : ids) {
      s0 += THREADS.getThreadCpuTime(id);
    }
    long w0 = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    long wall = System.nanoTime() - w0;
    long p1 = OS.getProcessCpuTime();
    long s1 = 0;
    for (long id : ids) {
      s1 += THREADS.getThreadCpuTime(id);
    }
    return new double[] {100.0 * (p1 - p0) / wall, 100.0 * (s1 - s0) / wall};
  }

  /** The configurations compared: kworker's shipped one, and Akka's scheduler at two ticks. */
  static final Map<String, String> VARIANTS = Map.of(
      "thread", "",
      "akka10ms", "kworker.timers = scheduler",
      "akka1ms", "kworker.timers = scheduler\nakka.scheduler.tick-duration = 1ms");
  static final String[] ORDER = {"thread", "akka10ms", "akka1ms"};

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    int idleSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    Path out = Path.of(args.length > 3 ? args[3] : "target/lateness.json");

    Map<String, double[]> p50 = new LinkedHashMap<>();
    Map<String, double[]> p99 = new LinkedHashMap<>();
    Map<String, double[]> cpu = new LinkedHashMap<>();
    for (String v : ORDER) {
      p50.put("kworker_" + v, new double[rounds]);
      p99.put("kworker_" + v, new double[rounds]);
    }
    p50.put("stpe", new double[rounds]);
    p99.put("stpe", new double[rounds]);
    cpu.put("idleProcess_noActorSystem", new double[rounds]);
    for (String v : ORDER) {
      cpu.put("idleProcess_" + v, new double[rounds]);
      cpu.put("idleTimerThreads_" + v, new double[rounds]);
    }
    ScheduledThreadPoolExecutor stpe = new ScheduledThreadPoolExecutor(1);
    stpe(stpe, n); // warm-up
    for (int r = 0; r < rounds; r++) {
      cpu.get("idleProcess_noActorSystem")[r] = idle(null, idleSeconds)[0];
      for (String v : ORDER) {
        String name = "lateness" + r + v;
        ActorSystem<Void> system = Bench.system(name, VARIANTS.get(v));
        KWorker worker = KWorker.create(system, "timer");
        kworker(worker, Math.max(10, n / 5)); // warm-up
        double[] ms = kworker(worker, n);
        p50.get("kworker_" + v)[r] = Bench.quantile(ms, 0.5);
        p99.get("kworker_" + v)[r] = Bench.quantile(ms, 0.99);
        // the idle worker's system: Akka's scheduler thread and kworker's timer thread (if any)
        double[] idle = idle(new String[] {name + "-scheduler-", "kworker-timer-" + name}, idleSeconds);
        cpu.get("idleProcess_" + v)[r] = idle[0];
        cpu.get("idleTimerThreads_" + v)[r] = idle[1];
        Bench.join(worker.destroy());
        Bench.terminate(system);
      }
      double[] ms = stpe(stpe, n);
      p50.get("stpe")[r] = Bench.quantile(ms, 0.5);
      p99.get("stpe")[r] = Bench.quantile(ms, 0.99);
      System.out.printf("round %d: p50 %.2f/%.2f/%.2f/%.2f ms, p99 %.2f/%.2f/%.2f/%.2f ms"
          + " (thread/akka10ms/akka1ms/stpe)%n", r,
          p50.get("kworker_thread")[r], p50.get("kworker_akka10ms")[r], p50.get("kworker_akka1ms")[r],
          p50.get("stpe")[r], p99.get("kworker_thread")[r], p99.get("kworker_akka10ms")[r],
          p99.get("kworker_akka1ms")[r], p99.get("stpe")[r]);
    }
    stpe.shutdownNow();
    Results results = new Results();
    for (String k : p50.keySet()) {
      results.add("io.kworker.bench.TimerLateness." + k + "_p50", "ms", p50.get(k));
      results.add("io.kworker.bench.TimerLateness." + k + "_p99", "ms", p99.get(k));
    }
    for (String k : cpu.keySet()) {
      results.add("io.kworker.bench.TimerLateness." + k, "%core", cpu.get(k));
    }
    results.write(out);
  }
}
