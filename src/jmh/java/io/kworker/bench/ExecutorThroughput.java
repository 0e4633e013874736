package io.kworker.bench;

import akka.actor.typed.ActorSystem;
import io.kworker.DelayedWork;
import io.kworker.KWorker;
import io.kworker.KWorkerExecutor;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * docs/performance.md, results group "6 executor" (JMH): {@link KWorkerExecutor} beside
 * {@code ScheduledThreadPoolExecutor(1)}, both used as a {@code ScheduledExecutorService}.
 *
 * <ul>
 *   <li>{@code submit_*}: submit and run no-op tasks; each invocation submits a batch of {@link #BATCH}
 *       and waits for the future of the last one (it runs last). Throughput, tasks per second.
 *   <li>{@code scheduleCancel_*}: schedule a batch of no-op tasks an hour ahead, then {@code cancel(false)}
 *       each; time per task. kworker's cancel takes the task off the worker's timer at once (the worker
 *       answers asynchronously: the batch ends with a {@code flush()} of the worker, so its time counts);
 *       STPE(1) keeps a cancelled task in its queue until its delay expires, unless
 *       {@code setRemoveOnCancelPolicy(true)} ({@code stpeRemoveOnCancel}). The default STPE's queue is
 *       purged after each invocation, outside the measured time, or it would hold millions of tasks.
 * </ul>
 *
 * <p>Run: {@code mvn -B -Pjmh test-compile exec:exec@jmh -Djmh.args='ExecutorThroughput -rf json -rff docs/results/jmh-executor.json'}
 */
@State(Scope.Benchmark)
@Fork(value = 5, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ExecutorThroughput {
  static final int BATCH = 10_000;

  ActorSystem<Void> system;
  KWorkerExecutor kworker;
  KWorker core;
  final DelayedWork[] works = new DelayedWork[BATCH];
  ScheduledThreadPoolExecutor stpe;
  ScheduledThreadPoolExecutor stpeRemoveOnCancel;
  final ScheduledFuture<?>[] futures = new ScheduledFuture<?>[BATCH];

  @Setup(Level.Trial)
  public void setUp() {
    system = Bench.system("executor", "");
    kworker = KWorkerExecutor.create(system, "bench");
    core = KWorker.create(system, "core");
    for (int i = 0; i < BATCH; i++) {
      works[i] = DelayedWork.of("d" + i, QueueThroughput.NOOP_WORK);
    }
    stpe = new ScheduledThreadPoolExecutor(1);
    stpeRemoveOnCancel = new ScheduledThreadPoolExecutor(1);
    stpeRemoveOnCancel.setRemoveOnCancelPolicy(true);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    Bench.shutdown(kworker);
    Bench.join(core.destroy());
    Bench.terminate(system);
    Bench.shutdown(stpe);
    Bench.shutdown(stpeRemoveOnCancel);
  }

  /** The default STPE keeps cancelled tasks until they expire: purge them, out of the measured time. */
  @TearDown(Level.Invocation)
  public void purge() {
    stpe.purge();
  }

  private static Object submit(ScheduledExecutorService e) throws Exception {
    Future<?> last = null;
    for (int i = 0; i < BATCH; i++) {
      last = e.submit(QueueThroughput.NOOP);
    }
    return last.get();
  }

  private void scheduleCancel(ScheduledExecutorService e) {
    for (int i = 0; i < BATCH; i++) {
      futures[i] = e.schedule(QueueThroughput.NOOP, 1, TimeUnit.HOURS);
    }
    for (int i = 0; i < BATCH; i++) {
      futures[i].cancel(false);
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(BATCH)
  public Object submit_kworker() throws Exception {
    return submit(kworker);
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(BATCH)
  public Object submit_stpe() throws Exception {
    return submit(stpe);
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  @OperationsPerInvocation(BATCH)
  public Object scheduleCancel_kworker() {
    scheduleCancel(kworker);
    return Bench.join(kworker.worker().flush());
  }

  /** (reference) The worker alone, as ArmedDelayed measures it: queueDelayed and cancel of ready-made works. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  @OperationsPerInvocation(BATCH)
  public Object scheduleCancel_worker() {
    Duration hour = Bench.hour();
    for (DelayedWork w : works) {
      core.queueDelayed(w, hour);
    }
    for (DelayedWork w : works) {
      core.cancel(w);
    }
    return Bench.join(core.flush());
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  @OperationsPerInvocation(BATCH)
  public Object scheduleCancel_stpe() {
    scheduleCancel(stpe);
    return futures[BATCH - 1];
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  @OperationsPerInvocation(BATCH)
  public Object scheduleCancel_stpeRemoveOnCancel() {
    scheduleCancel(stpeRemoveOnCancel);
    return futures[BATCH - 1];
  }
}
