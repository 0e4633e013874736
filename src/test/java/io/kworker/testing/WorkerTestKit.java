package io.kworker.testing;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.ManualTime;
import io.kworker.KWorker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.LoggerFactory;

/**
 * An ActorTestKit for JUnit 5 (Akka 2.6 ships JUnit 4 rules only), plus fresh workers that are
 * destroyed when the kit shuts down.
 */
public final class WorkerTestKit {
  static {
    LoggerFactory.getLogger(WorkerTestKit.class); // SLF4J ready before Akka logs: no replay warning
  }

  private static final AtomicInteger SEQ = new AtomicInteger();
  private final ActorTestKit testKit;
  private final List<KWorker> workers = new ArrayList<>();

  private WorkerTestKit(ActorTestKit testKit) {
    this.testKit = testKit;
  }

  public static WorkerTestKit create() {
    return new WorkerTestKit(ActorTestKit.create());
  }

  /** Timers advance only through {@link #manualTime()}. */
  public static WorkerTestKit withManualTime() {
    return new WorkerTestKit(
        ActorTestKit.create(ManualTime.config().withFallback(ActorTestKit.applicationTestConfig())));
  }

  public ActorTestKit testKit() {
    return testKit;
  }

  public ManualTime manualTime() {
    return ManualTime.get(testKit.system());
  }

  public synchronized KWorker newWorker(String prefix) {
    KWorker w = KWorker.create(testKit.system(), prefix + "-" + SEQ.incrementAndGet());
    workers.add(w);
    return w;
  }

  /** True if a live thread has this name (a worker's dedicated thread is kworker/NAME). */
  public static boolean threadAlive(String threadName) {
    return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.isAlive() && t.getName().equals(threadName));
  }

  /** Destroys the workers still alive (so that no work outlives its test), then the actor system. */
  public void shutdown() {
    List<java.util.concurrent.CompletableFuture<?>> destroyed = new ArrayList<>();
    synchronized (this) {
      workers.forEach(w -> destroyed.add(w.destroy(java.time.Duration.ofSeconds(10)).toCompletableFuture()));
    }
    destroyed.forEach(f -> f.handle((v, e) -> null).join());
    testKit.shutdownTestKit();
  }
}
