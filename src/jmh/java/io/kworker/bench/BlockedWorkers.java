package io.kworker.bench;

import akka.actor.typed.ActorSystem;
import io.kworker.KWorker;
import io.kworker.Work;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;

/**
 * docs/performance.md, "Virtual threads": many workers, each blocked in a work at once, sleeping or
 * waiting on I/O (a read from a pipe of its own), with {@code execution = "virtual"} (Java 21+) and
 * {@code "dedicated"}. Per worker: heap (used after {@code System.gc()}), resident memory (the process's
 * VmRSS, which includes platform threads' stacks), the live platform threads added, the time until every
 * work is blocked (creating the workers included), and the time to release them all with
 * {@code cancelSync(work, Duration.ZERO)} (an interrupt) and destroy them. Baselines in the same JVM, as
 * many bare threads blocked the same way and released by an interrupt: virtual ones for the virtual
 * workers, platform ones for the dedicated workers. Rounds alternate the order.
 *
 * <p>Args: rounds, virtual sleepers (100,000), dedicated sleepers, I/O waiters of each kind (a pipe is two
 * file descriptors, so keep these under half of {@code ulimit -n}), JSON output.
 *
 * <p>Run (with a JDK 21+ first on the PATH): {@code mvn -B -Pjmh test-compile exec:exec@bench
 * -Dbench.main=io.kworker.bench.BlockedWorkers -Dbench.args='3 100000 5000 5000 docs/results/virtual/blocked.json'}
 */
public final class BlockedWorkers {
  record Figures(double heapBytes, double rssBytes, double threads, double blockUs, double releaseUs) {}

  /** What a blocked work does until it is interrupted: sleep, or read from its pipe. */
  enum Kind { SLEEP, IO }

  private static void block(Kind kind, Pipe pipe) {
    try {
      if (kind == Kind.SLEEP) {
        Thread.sleep(Duration.ofHours(1).toMillis());
      } else {
        pipe.source().read(ByteBuffer.allocate(1));
      }
    } catch (InterruptedException | IOException e) {
      // the interrupt that releases it (for a pipe: ClosedByInterruptException)
    }
  }

  private static Pipe[] pipes(Kind kind, int n) throws IOException {
    Pipe[] pipes = new Pipe[n];
    for (int i = 0; kind == Kind.IO && i < n; i++) {
      pipes[i] = Pipe.open();
    }
    return pipes;
  }

  private static void close(Pipe[] pipes) throws IOException {
    for (Pipe p : pipes) {
      if (p != null) {
        p.source().close();
        p.sink().close();
      }
    }
  }

  /** Resident memory of the process, bytes (Linux). */
  static long rss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException e) {
      // not Linux
    }
    return 0;
  }

  /** Starts the {@code i}th work or thread, whose body is {@code body}. */
  private interface Start {
    void start(int i, Runnable body) throws Exception;
  }

  /** Releases every blocked work or thread and returns when all are done. */
  private interface Release {
    void run() throws Exception;
  }

  /**
   * Blocks {@code n} bodies, started by {@code start}, measures the process while all are blocked, then
   * times {@code release}.
   */
  private static Figures measure(int n, Kind kind, Start start, Release release) throws Exception {
    Pipe[] pipes = pipes(kind, n);
    long heap0 = ArmedDelayed.usedAfterGc();
    long rss0 = rss();
    int th0 = Footprint.threads();
    long t0 = System.nanoTime();
    CountDownLatch blocked = new CountDownLatch(n);
    for (int i = 0; i < n; i++) {
      Pipe pipe = pipes[i];
      start.start(i, () -> {
        blocked.countDown();
        block(kind, pipe);
      });
    }
    await(blocked);
    long t1 = System.nanoTime();
    long heap1 = ArmedDelayed.usedAfterGc();
    long rss1 = rss();
    int th1 = Footprint.threads();
    long t2 = System.nanoTime();
    release.run();
    long t3 = System.nanoTime();
    close(pipes);
    System.out.printf("  %d platform threads before, %d blocked, %d after%n", th0, th1, Footprint.threads());
    return new Figures((heap1 - heap0) / (double) n, (rss1 - rss0) / (double) n, th1 - th0,
        (t1 - t0) / 1e3 / n, (t3 - t2) / 1e3 / n);
  }

  /** Workers, each blocked in a work, released with {@code cancelSync(work, 0)} and destroyed. */
  static Figures workers(ActorSystem<Void> system, int n, String execution, Kind kind, String prefix)
      throws Exception {
    KWorker[] ws = new KWorker[n];
    Work[] works = new Work[n];
    return measure(n, kind, (i, body) -> {
      ws[i] = KWorker.create(system, prefix + i, execution);
      works[i] = Work.of("blocked", body::run);
      ws[i].queue(works[i]);
    }, () -> {
      List<CompletionStage<?>> cancelled = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        cancelled.add(ws[i].cancelSync(works[i], Duration.ZERO));
      }
      cancelled.forEach(Bench::join);
      List<CompletionStage<?>> destroyed = new ArrayList<>(n);
      for (KWorker w : ws) {
        destroyed.add(w.destroy());
      }
      destroyed.forEach(Bench::join);
    });
  }

  /** The baseline: bare threads from {@code factory}, blocked the same way, released by an interrupt. */
  static Figures threads(int n, ThreadFactory factory, Kind kind) throws Exception {
    Thread[] ts = new Thread[n];
    return measure(n, kind, (i, body) -> {
      ts[i] = factory.newThread(body);
      ts[i].start();
    }, () -> {
      for (Thread t : ts) {
        t.interrupt();
      }
      for (Thread t : ts) {
        t.join();
      }
    });
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code Thread.ofVirtual().factory()}, reached at run time: the benchmarks compile for Java 17. */
  static ThreadFactory virtualThreads() throws ReflectiveOperationException {
    Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
    return (ThreadFactory) Class.forName("java.lang.Thread$Builder").getMethod("factory").invoke(builder);
  }

  public static void main(String[] args) throws Exception {
    if (Runtime.version().feature() < 21) {
      throw new IllegalStateException("virtual threads need Java 21; this is " + Runtime.version());
    }
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int virtual = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    int dedicated = args.length > 2 ? Integer.parseInt(args[2]) : 5_000;
    int io = args.length > 3 ? Integer.parseInt(args[3]) : 5_000;
    Path out = Path.of(args.length > 4 ? args[4] : "target/blocked.json");
    System.out.println("Java " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors() + " CPUs");
    ActorSystem<Void> system = Bench.system("blocked", "");
    ThreadFactory vts = virtualThreads();
    // each configuration: its count, and how one round of it is measured
    Map<String, Integer> counts = new LinkedHashMap<>();
    Map<String, Measure> how = new LinkedHashMap<>();
    for (Kind kind : Kind.values()) {
      String k = kind.name().toLowerCase(java.util.Locale.ROOT);
      int many = kind == Kind.SLEEP ? virtual : io;
      int few = kind == Kind.SLEEP ? dedicated : io;
      for (String execution : new String[] {"virtual", "dedicated"}) {
        int count = execution.equals("virtual") ? many : few;
        String kworker = "kworker_" + execution + "_" + k;
        String bare = (execution.equals("virtual") ? "virtual" : "platform") + "_threads_" + k;
        ThreadFactory threads = execution.equals("virtual") ? vts : Thread::new;
        counts.put(kworker, count);
        how.put(kworker, (r, n) -> workers(system, n, execution, kind, execution.charAt(0) + k + r + "-"));
        counts.put(bare, count);
        how.put(bare, (r, n) -> threads(n, threads, kind));
      }
    }
    for (String k : how.keySet()) { // warm-up, not recorded, at a tenth of the count
      how.get(k).round(-1, counts.get(k) / 10);
    }
    Map<String, Figures[]> all = new LinkedHashMap<>();
    how.keySet().forEach(k -> all.put(k, new Figures[rounds]));
    List<String> order = new ArrayList<>(how.keySet());
    for (int r = 0; r < rounds; r++) {
      List<String> thisRound = new ArrayList<>(order);
      if (r % 2 == 1) {
        java.util.Collections.reverse(thisRound);
      }
      for (String k : thisRound) {
        all.get(k)[r] = how.get(k).round(r, counts.get(k));
        System.out.printf("round %d %s: %s%n", r, k, all.get(k)[r]);
      }
    }
    Results results = new Results();
    for (Map.Entry<String, Figures[]> e : all.entrySet()) {
      Map<String, String> n = Map.of("n", Integer.toString(counts.get(e.getKey())));
      Figures[] f = e.getValue();
      String b = "io.kworker.bench.BlockedWorkers." + e.getKey();
      results.add(b + "_heapBytes", "B/worker", pick(f, Figures::heapBytes), Map.of(), n);
      results.add(b + "_rssBytes", "B/worker", pick(f, Figures::rssBytes), Map.of(), n);
      results.add(b + "_platformThreads", "threads", pick(f, Figures::threads), Map.of(), n);
      results.add(b + "_block", "us/worker", pick(f, Figures::blockUs), Map.of(), n);
      results.add(b + "_release", "us/worker", pick(f, Figures::releaseUs), Map.of(), n);
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    results.write(out);
    Bench.terminate(system);
  }

  /** One round of one configuration with {@code n} workers or threads (round -1: the warm-up). */
  private interface Measure {
    Figures round(int round, int n) throws Exception;
  }

  private static double[] pick(Figures[] f, java.util.function.ToDoubleFunction<Figures> field) {
    double[] v = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      v[i] = field.applyAsDouble(f[i]);
    }
    return v;
  }
}
