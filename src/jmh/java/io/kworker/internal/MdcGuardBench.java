package io.kworker.internal;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.slf4j.MDC;

/**
 * What the lane's MDC handling costs per work ({@link MdcGuard#before} and {@link MdcGuard#after}
 * around a work that does not touch the MDC), with the worker's names on and off, on Logback's cheap
 * check ({@code fast}) and on the generic clear-and-set-again ({@code generic}); {@code putOnly} is what
 * the lane did before it restored the MDC after each work (one put of the work's name).
 *
 * <p>Run: {@code mvn -B -Pjmh test-compile exec:exec@jmh -Djmh.args='MdcGuardBench -f 2'}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class MdcGuardBench {
  @Param({"true", "false"})
  boolean names;

  final KthreadWork[] works = {work("a"), work("b"), work("c"), work("d")};
  MdcGuard fast;
  MdcGuard generic;
  int i;

  private static KthreadWork work(String name) {
    return (KthreadWork) io.kworker.Work.of(name, () -> { });
  }

  @Setup
  public void setUp() {
    if (!MdcGuard.logbackCheck()) {
      throw new IllegalStateException("Logback's check is not available: the figures would be wrong");
    }
    fast = new MdcGuard(names, "worker", true);
    generic = new MdcGuard(names, "worker", false);
    fast.enter();
  }

  @TearDown
  public void tearDown() {
    MDC.clear();
  }

  @Benchmark
  public void fast() {
    fast.before(works[i++ & 3]);
    fast.after();
  }

  @Benchmark
  public void generic() {
    generic.before(works[i++ & 3]);
    generic.after();
  }

  @Benchmark
  public void putOnly() {
    if (names) {
      MDC.put(Instrumentation.MDC_WORK, works[i++ & 3].logName());
    }
  }
}
