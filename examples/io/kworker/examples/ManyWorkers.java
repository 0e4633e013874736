/*
 * Many workers: 10,000 workers sharing one dispatcher, each with one periodic (self-re-arming) delayed
 * work, then all of them stopped: every periodic work with cancelSync, every worker with destroy.
 * Prints heap and thread figures before, while they run, and after.
 *
 * Shows:
 *   - a worker is cheap when it does not own a thread: execution = a dispatcher id, here a pool of 4
 *     threads that all 10,000 workers share (each worker still runs its works one at a time, in order);
 *   - the thread count does not grow with the number of workers, and comes back after destroy;
 *   - stopping many workers the kernel way: cancel the self-re-arming works first (no warning), then
 *     destroy (which would warn about every timer still armed), all in parallel, no blocking per worker.
 *
 * Run: mvn -q test-compile exec:java -Dexec.mainClass=io.kworker.examples.ManyWorkers [-Dexec.args="workers periodMs"]
 */
package io.kworker.examples;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.ConfigFactory;
import io.kworker.DelayedWork;
import io.kworker.KWorker;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

public final class ManyWorkers {
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    Duration period = Duration.ofMillis(args.length > 1 ? Long.parseLong(args[1]) : 500);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "many-workers",
        ConfigFactory.parseString("""
            many-workers-pool {
              type = Dispatcher
              executor = "thread-pool-executor"
              thread-pool-executor.fixed-pool-size = 4
              throughput = 16
            }
            """).withFallback(ConfigFactory.load()));
    try {
      run(system, n, period);
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  static void run(ActorSystem<?> system, int n, Duration period) throws Exception {
    Figures before = Figures.now();
    AtomicLong ticks = new AtomicLong();
    CountDownLatch everyWorkerTickedTwice = new CountDownLatch(n);
    List<KWorker> workers = new ArrayList<>(n);
    List<DelayedWork> periodic = new ArrayList<>(n);

    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      // @start region=shared-worker
      KWorker worker = KWorker.create(system, "sensor-" + i, "many-workers-pool");
      int[] own = {0}; // touched only by this worker's works, one at a time: no synchronisation needed
      DelayedWork tick = DelayedWork.of("tick", self -> {
        ticks.incrementAndGet();
        if (++own[0] == 2) {
          everyWorkerTickedTwice.countDown();
        }
        worker.queueDelayed(self, period);
      });
      worker.queueDelayed(tick, Duration.ofMillis(i % Math.max(1, period.toMillis()))); // staggered
      // @end region=shared-worker
      workers.add(worker);
      periodic.add(tick);
    }
    long created = System.nanoTime() - t0;
    if (!everyWorkerTickedTwice.await(120, TimeUnit.SECONDS)) {
      throw new IllegalStateException(everyWorkerTickedTwice.getCount() + " workers did not tick twice");
    }
    Figures running = Figures.now();

    long t1 = System.nanoTime();
    CompletableFuture<?>[] stops = new CompletableFuture<?>[n];
    for (int i = 0; i < n; i++) {
      KWorker worker = workers.get(i);
      stops[i] = worker.cancelSync(periodic.get(i))
          .thenCompose(wasPending -> worker.destroy())
          .toCompletableFuture();
    }
    CompletableFuture.allOf(stops).get(120, TimeUnit.SECONDS);
    long stopped = System.nanoTime() - t1;
    long ticksAtStop = ticks.get();
    Figures after = Figures.now();

    System.out.printf("%,d workers on a shared pool of 4 threads, one periodic work each (%d ms)%n", n,
        period.toMillis());
    System.out.printf("  created in %d ms, stopped (cancelSync + destroy) in %d ms, %,d ticks%n",
        created / 1_000_000, stopped / 1_000_000, ticksAtStop);
    System.out.printf("  %-8s heap used %,7d KiB  threads %4d%n", "before", before.heapKib, before.threads);
    System.out.printf("  %-8s heap used %,7d KiB  threads %4d   (%,d bytes of heap per worker)%n", "running",
        running.heapKib, running.threads, (running.heapKib - before.heapKib) * 1024 / Math.max(1, n));
    System.out.printf("  %-8s heap used %,7d KiB  threads %4d%n", "after", after.heapKib, after.threads);

    if (ticks.get() != ticksAtStop) {
      throw new IllegalStateException("a periodic work ran after all its workers were destroyed");
    }
    if (running.threads > before.threads + 32) {
      throw new IllegalStateException("the thread count grew with the workers: " + running.threads);
    }
  }

  /** Heap in use after a GC, and live threads. */
  record Figures(long heapKib, int threads) {
    static Figures now() {
      MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      System.gc(); // a hint: the heap figure is approximate
      return new Figures(memory.getHeapMemoryUsage().getUsed() / 1024, threads.getThreadCount());
    }
  }
}
