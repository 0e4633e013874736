package io.kworker.bench;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import io.kworker.DelayedWork;
import io.kworker.KWorker;
import io.kworker.Work;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * docs/performance.md, results group "2 cancelSync" (round trips): {@code cancelSync} of a pending work, waited for by the caller,
 * against one {@code submit(...).get()} on an executor and one Akka ask round trip.
 *
 * <ul>
 *   <li>{@code kworker_cancelSyncQueued}: the worker's thread is busy in a blocking work, the benchmark
 *       queues a work behind it (not waited for) and then waits for {@code cancelSync} of it (true);
 *   <li>{@code kworker_cancelSyncArmed}: {@code queueDelayed(1 h)} then {@code cancelSync} (true);
 *   <li>{@code stpe_submitGet}, {@code single_submitGet}: a no-op task submitted and waited for;
 *   <li>{@code akka_ask}: {@code AskPattern.ask} to a trivial actor that answers at once.
 * </ul>
 *
 * Mode SampleTime, so the JSON has p50/p99 as well as the mean. The cancel of a running work, timed from
 * the moment its function returns, is in {@link CompletionLatency}.
 *
 * <p>Run: {@code mvn -B -Pjmh test-compile exec:exec@jmh -Djmh.args='RoundTrip -f 5 -rf json -rff target/jmh-roundtrip.json'}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 5, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class RoundTrip {
  record Ping(ActorRef<Boolean> replyTo) {}

  static Behavior<Ping> echo() {
    return Behaviors.receiveMessage(p -> {
      p.replyTo().tell(Boolean.TRUE);
      return Behaviors.same();
    });
  }

  ActorSystem<Void> system;
  KWorker worker;
  ScheduledThreadPoolExecutor stpe;
  ExecutorService single;
  ActorRef<Ping> echo;
  final Work target = Work.of("target", () -> {});
  final DelayedWork delayed = DelayedWork.of("delayed", () -> {});
  CountDownLatch release;

  @Setup(Level.Trial)
  public void setUp() {
    system = Bench.system("roundtrip", "");
    worker = KWorker.create(system, "bench");
    stpe = new ScheduledThreadPoolExecutor(1);
    single = Executors.newSingleThreadExecutor();
    echo = Bench.join(AskPattern.<akka.actor.typed.SpawnProtocol.Command, ActorRef<Ping>>ask(
        spawner(), r -> new akka.actor.typed.SpawnProtocol.Spawn<>(echo(), "echo",
            akka.actor.typed.Props.empty(), r), Duration.ofSeconds(5), system.scheduler()));
  }

  private ActorRef<akka.actor.typed.SpawnProtocol.Command> spawner() {
    return system.systemActorOf(akka.actor.typed.SpawnProtocol.create(), "spawner",
        akka.actor.typed.Props.empty());
  }

  /** Keeps the worker's thread busy in a work that blocks, so that queued works stay pending. */
  @Setup(Level.Iteration)
  public void block() throws InterruptedException {
    release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch rel = release;
    Work blocker = Work.of("blocker", () -> {
      started.countDown();
      try {
        rel.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    worker.queue(blocker);
    started.await();
  }

  @TearDown(Level.Iteration)
  public void unblock() {
    release.countDown();
    Bench.join(worker.flush());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    Bench.join(worker.destroy());
    Bench.terminate(system);
    Bench.shutdown(stpe);
    Bench.shutdown(single);
  }

  @Benchmark
  public Boolean kworker_cancelSyncQueued() {
    worker.queue(target);
    return Bench.join(worker.cancelSync(target));
  }

  @Benchmark
  public Boolean kworker_cancelSyncArmed() {
    worker.queueDelayed(delayed, Bench.hour());
    return Bench.join(worker.cancelSync(delayed));
  }

  @Benchmark
  public Object stpe_submitGet() throws Exception {
    return stpe.submit(QueueThroughput.NOOP).get();
  }

  @Benchmark
  public Object single_submitGet() throws Exception {
    return single.submit(QueueThroughput.NOOP).get();
  }

  @Benchmark
  public Boolean akka_ask() {
    return Bench.join(AskPattern.<Ping, Boolean>ask(echo, Ping::new, Duration.ofSeconds(5),
        system.scheduler()));
  }
}
