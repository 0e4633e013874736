package io.kworker.bench;

import akka.actor.typed.ActorSystem;
import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.WorkRunnable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * docs/performance.md, results group "1 throughput" (JMH): queue and run no-op works on one background thread, with producers that do not
 * wait for each result. Each invocation queues a batch of {@link #BATCH} distinct works (works are
 * identities: a pending work cannot be queued again) and then waits for the batch to have run (a
 * worker flush; for the executors, the future of the last task, which runs last). Baselines in the same
 * run: {@code ScheduledThreadPoolExecutor(1).submit} and {@code Executors.newSingleThreadExecutor().submit}.
 * The {@code p4_*} variants have 4 producer threads on the same worker or executor.
 *
 * <p>Run: {@code mvn -B -Pjmh test-compile exec:exec@jmh -Djmh.args='QueueThroughput -f 5 -rf json -rff target/jmh-throughput.json'}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 5, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class QueueThroughput {
  static final int BATCH = 10_000;
  static final Runnable NOOP = () -> {};
  /** The same, as a work's function (one shared instance, as NOOP for the executors). */
  static final WorkRunnable NOOP_WORK = () -> {};

  ActorSystem<Void> system;
  KWorker worker;
  ScheduledThreadPoolExecutor stpe;
  ExecutorService single;

  @Setup(Level.Trial)
  public void setUp() {
    system = Bench.system("throughput", "");
    worker = KWorker.create(system, "bench");
    stpe = new ScheduledThreadPoolExecutor(1);
    single = Executors.newSingleThreadExecutor();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    Bench.join(worker.destroy());
    Bench.terminate(system);
    Bench.shutdown(stpe);
    Bench.shutdown(single);
  }

  /** Each producer thread's own pool of distinct no-op works. */
  @State(Scope.Thread)
  public static class Works {
    final Work[] works = new Work[BATCH];

    @Setup(Level.Trial)
    public void setUp() {
      for (int i = 0; i < BATCH; i++) {
        works[i] = Work.of("w" + i, NOOP_WORK);
      }
    }
  }

  static Object kworker(KWorker worker, Works w) {
    for (Work work : w.works) {
      worker.queue(work);
    }
    return Bench.join(worker.flush());
  }

  private static Object executor(ExecutorService e) throws Exception {
    Future<?> last = null;
    for (int i = 0; i < BATCH; i++) {
      last = e.submit(NOOP);
    }
    return last.get();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public Object p1_kworker(Works w) {
    return kworker(worker, w);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public Object p1_stpe(Works w) throws Exception {
    return executor(stpe);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public Object p1_singleThreadExecutor(Works w) throws Exception {
    return executor(single);
  }

  @Benchmark
  @Threads(4)
  @OperationsPerInvocation(BATCH)
  public Object p4_kworker(Works w) {
    return kworker(worker, w);
  }

  @Benchmark
  @Threads(4)
  @OperationsPerInvocation(BATCH)
  public Object p4_stpe(Works w) throws Exception {
    return executor(stpe);
  }

  @Benchmark
  @Threads(4)
  @OperationsPerInvocation(BATCH)
  public Object p4_singleThreadExecutor(Works w) throws Exception {
    return executor(single);
  }
}
