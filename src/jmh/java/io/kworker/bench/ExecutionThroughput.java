package io.kworker.bench;

import akka.actor.typed.ActorSystem;
import io.kworker.KWorker;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * docs/performance.md, "Virtual threads" (JMH): {@link QueueThroughput}'s queue+run of no-op works, by
 * execution: a dedicated thread, virtual threads ({@code "virtual"}: Java 21+) and Akka's default
 * dispatcher. The baseline, {@code ScheduledThreadPoolExecutor(1)}, is {@code QueueThroughput.p*_stpe}
 * in the same JMH run.
 *
 * <p>Run (with a JDK 21+ first on the PATH): {@code mvn -B -Pjmh test-compile exec:exec@jmh
 * -Djmh.args='"ExecutionThroughput|QueueThroughput.p._stpe" -f 3 -rf json -rff docs/results/virtual/jmh-throughput.json'}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 5, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ExecutionThroughput {
  @Param({"dedicated", "virtual", "akka.actor.default-dispatcher"})
  public String execution;

  ActorSystem<Void> system;
  KWorker worker;

  @Setup(Level.Trial)
  public void setUp() {
    system = Bench.system("throughput", "");
    worker = KWorker.create(system, "bench", execution);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    Bench.join(worker.destroy());
    Bench.terminate(system);
  }

  @Benchmark
  @OperationsPerInvocation(QueueThroughput.BATCH)
  public Object p1_kworker(QueueThroughput.Works w) {
    return QueueThroughput.kworker(worker, w);
  }

  @Benchmark
  @Threads(4)
  @OperationsPerInvocation(QueueThroughput.BATCH)
  public Object p4_kworker(QueueThroughput.Works w) {
    return QueueThroughput.kworker(worker, w);
  }
}
