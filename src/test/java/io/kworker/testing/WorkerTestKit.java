package io.kworker.testing;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.ManualTime;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.japi.function.Function;
import akka.pattern.StatusReply;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.kworker.KWorker;
import io.kworker.KWorkerExecutor;
import io.kworker.Work;
import io.kworker.WorkStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.LoggerFactory;

/**
 * The one fixture of the tests: an actor system (an ActorTestKit, for JUnit 5: Akka 2.6 ships JUnit 4
 * rules only) with the test configuration, optionally Akka's manual time or extra configuration, plus
 * fresh workers that are destroyed when the kit shuts down, and the protocol's ask with a bounded
 * timeout.
 */
public final class WorkerTestKit {
  static {
    LoggerFactory.getLogger(WorkerTestKit.class); // SLF4J ready before Akka logs: no replay warning
  }

  /** Every ask: bounded, so a protocol call that is never answered fails the test instead of hanging it. */
  public static final Duration ASK_TIMEOUT = Duration.ofSeconds(Await.LONG_SECONDS);

  /**
   * The execution of every kit's workers unless a test configures its own: {@code
   * -Dkworker.test.execution=virtual} runs the tests on virtual threads (Java 21+; {@code .ci/run} does
   * so for the whole suite on a newer JDK); unset, reference.conf's {@code dedicated}.
   */
  public static final String EXECUTION = System.getProperty("kworker.test.execution", "");

  private static final String DEFAULT_NAME = "WorkerTestKit";
  private static final AtomicInteger SEQ = new AtomicInteger();
  private final ActorTestKit testKit;
  private final List<KWorker> workers = new ArrayList<>();

  private WorkerTestKit(ActorTestKit testKit) {
    this.testKit = testKit;
  }

  /** A system with the test configuration (application-test.conf over kworker's reference.conf). */
  public static WorkerTestKit create() {
    return create(DEFAULT_NAME);
  }

  /** The same, named (thread names, MXBean keys and logs carry the system's name). */
  public static WorkerTestKit create(String systemName) {
    return withConfig(systemName, "");
  }

  /** Timers advance only through {@link #manualTime()} or {@link #timePasses(long)}. */
  public static WorkerTestKit withManualTime() {
    return of(DEFAULT_NAME, ManualTime.config());
  }

  /** A system whose configuration is {@code hocon} over the test configuration (resolved). */
  public static WorkerTestKit withConfig(String hocon) {
    return withConfig(DEFAULT_NAME, hocon);
  }

  /** The same, named. Fails as the actor system's start does (an eagerly loaded extension, say). */
  public static WorkerTestKit withConfig(String systemName, String hocon) {
    return of(systemName, ConfigFactory.parseString(hocon));
  }

  private static WorkerTestKit of(String systemName, Config config) {
    Config test = ActorTestKit.applicationTestConfig();
    if (!EXECUTION.isEmpty()) {
      test = ConfigFactory.parseMap(Map.of("kworker.execution", EXECUTION)).withFallback(test);
    }
    return new WorkerTestKit(ActorTestKit.create(systemName, config.withFallback(test).resolve()));
  }

  /** The execution of this kit's workers: {@code kworker.execution} as configured. */
  public String execution() {
    return system().settings().config().getString("kworker.execution");
  }

  public ActorTestKit testKit() {
    return testKit;
  }

  public ActorSystem<Void> system() {
    return testKit.system();
  }

  /** Akka's manual time (with its 100 ms real sleep per step); only on a kit {@link #withManualTime()}. */
  public ManualTime manualTime() {
    return ManualTime.get(testKit.system());
  }

  /** Manual time passes by {@code ms}, without Akka's real sleep: see {@link ManualClock#timePasses}. */
  public void timePasses(long ms) {
    ManualClock.timePasses(testKit.system(), ms);
  }

  /** A new worker with a name no other worker of this JVM has, destroyed when the kit shuts down. */
  public KWorker newWorker(String prefix) {
    return track(KWorker.create(testKit.system(), unique(prefix)));
  }

  /** A new worker of exactly this name (threads and MXBeans carry it), destroyed when the kit shuts down. */
  public KWorker namedWorker(String name) {
    return track(KWorker.create(testKit.system(), name));
  }

  /** A new executor with a worker of its own ({@link KWorkerExecutor#create}), destroyed when the kit shuts down. */
  public KWorkerExecutor newExecutor(String prefix) {
    KWorkerExecutor e = KWorkerExecutor.create(testKit.system(), unique(prefix));
    track(e.worker());
    return e;
  }

  private synchronized KWorker track(KWorker w) {
    workers.add(w);
    return w;
  }

  /** A name no other test of this JVM uses (actor systems, workers, MXBeans and threads are global). */
  public static String unique(String prefix) {
    return prefix + "-" + SEQ.incrementAndGet();
  }

  /** Spawns an actor on the kit's system, under a fresh name. */
  public <T> ActorRef<T> spawn(Behavior<T> behavior) {
    return testKit.spawn(behavior);
  }

  /** Stops an actor of the kit's system and returns once it has stopped. */
  public <T> void stop(ActorRef<T> ref) {
    testKit.stop(ref, ASK_TIMEOUT);
  }

  /**
   * A worker spawned with {@link KWorker#spawn} as the child of a fresh parent actor, which stops (and so
   * stops its child) when {@link SpawnedWorker#stopParent()} is called.
   */
  public SpawnedWorker spawnChildWorker(String name) {
    CompletableFuture<KWorker> spawned = new CompletableFuture<>();
    ActorRef<String> parent = testKit.spawn(Behaviors.setup(ctx -> {
      spawned.complete(KWorker.spawn(ctx, name));
      return Behaviors.receiveMessage(m -> Behaviors.stopped());
    }));
    return new SpawnedWorker(Await.result(spawned), parent, this);
  }

  /** A worker that is the child of {@code parent}. */
  public record SpawnedWorker(KWorker worker, ActorRef<String> parent, WorkerTestKit kit) {
    /** Stops the parent and returns once it (and so the worker actor) has stopped. */
    public void stopParent() {
      kit.stop(parent);
    }
  }

  /** Asks the worker a command of the actor protocol; the answer, or the error it carried. */
  public <T> CompletionStage<T> ask(KWorker worker, Function<ActorRef<StatusReply<T>>, KWorker.Command> message) {
    return ask(worker.ref(), message);
  }

  /** The same, for a worker known by its actor only. */
  public <T> CompletionStage<T> ask(ActorRef<KWorker.Command> ref,
      Function<ActorRef<StatusReply<T>>, KWorker.Command> message) {
    return AskPattern.askWithStatus(ref, message, ASK_TIMEOUT, testKit.scheduler());
  }

  /**
   * Returns once the worker actor has handled every message sent to its mailbox from this thread so far
   * (timer expiries sent by manual time included): a protocol command queues behind them.
   */
  public WorkStatus mailboxFence(KWorker worker, Work work) {
    return Await.result(this.<WorkStatus>ask(worker, r -> new KWorker.GetStatus(work, r)));
  }

  /**
   * A round trip through a fresh actor of the kit's system, so that an actor spawned before it has most
   * likely started (and, if it is a worker, registered its MXBean) when this returns. Only makes a leak
   * visible sooner; never needed for a pass.
   */
  public void roundTrip() {
    for (int i = 0; i < 3; i++) {
      TestProbe<String> probe = testKit.createTestProbe();
      ActorRef<String> echo = testKit.spawn(Behaviors.receiveMessage(m -> {
        probe.getRef().tell(m);
        return Behaviors.stopped();
      }));
      echo.tell("ping");
      probe.expectMessage(ASK_TIMEOUT, "ping");
    }
  }

  /** True if a live thread has this name (a worker's dedicated thread is kworker/NAME). */
  public static boolean threadAlive(String threadName) {
    return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.isAlive() && t.getName().equals(threadName));
  }

  /** Destroys the workers still alive (so that no work outlives its test), then the actor system. */
  public void shutdown() {
    List<CompletableFuture<?>> destroyed = new ArrayList<>();
    synchronized (this) {
      workers.forEach(w -> destroyed.add(w.destroy(Duration.ofSeconds(10)).toCompletableFuture()));
    }
    destroyed.forEach(f -> f.handle((v, e) -> null).join());
    terminate();
  }

  /**
   * Terminates the actor system at once, without destroying the workers first (for tests of what the
   * termination does to them); returns once it has terminated. Calling it again does nothing.
   */
  public void terminate() {
    testKit.shutdownTestKit();
  }
}
