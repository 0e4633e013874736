/*
 * The kworker demo: one worker, four things the kernel's kthread worker does.
 *
 *   1. queue        three works run in FIFO order on the worker's own thread, kworker/demo;
 *   2. queueDelayed a delayed work runs after its delay; queueing it again while armed gives false;
 *   3. cancelSync   a self-requeueing "heartbeat" work is stopped for good, and the cancel completes
 *                   only once its last run has returned, so the resource it uses can be closed safely;
 *   4. destroy      the worker runs what was queued, drops an armed timer (with a warning), stops.
 *
 * Run it with: mvn -q test-compile exec:java   (the program takes about a second, the command 20-30 s
 * with compilation; logs go to the console)
 */
package io.kworker.examples;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import io.kworker.DelayedWork;
import io.kworker.KWorker;
import io.kworker.Work;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public final class Demo {
  private static final Logger LOG = LoggerFactory.getLogger(Demo.class);

  public static void main(String[] args) throws Exception {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "demo");
    try {
      run(system);
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().join();
    }
  }

  /** Runs the demo on {@code system}; fails if the heartbeat ran after its cancel completed. */
  static void run(ActorSystem<?> system) throws Exception {
    KWorker worker = KWorker.create(system, "demo");

    // 1. queue: FIFO, one at a time, on kworker/demo
    for (String name : new String[] {"first", "second", "third"}) {
      Work work = Work.of(name, w -> LOG.info("running work [{}]", w.name()));
      LOG.info("queue({}) -> {}", name, worker.queue(work).toCompletableFuture().join());
    }
    worker.flush().toCompletableFuture().join();

    // 2. queueDelayed: runs after 200 ms; a second queueing while armed gives false
    DelayedWork later = DelayedWork.of("later", w -> LOG.info("running delayed work [{}]", w.name()));
    LOG.info("queueDelayed(later, 200ms) -> {}",
        worker.queueDelayed(later, Duration.ofMillis(200)).toCompletableFuture().join());
    LOG.info("queueDelayed(later, 10ms) again -> {} (already armed: keeps its expiry)",
        worker.queueDelayed(later, Duration.ofMillis(10)).toCompletableFuture().join());

    // 3. cancelSync of a self-requeueing work that uses a resource
    // @start region=heartbeat
    AtomicBoolean resourceOpen = new AtomicBoolean(true);
    AtomicInteger beats = new AtomicInteger();
    DelayedWork heartbeat = DelayedWork.of("heartbeat", w -> {
      if (!resourceOpen.get()) {
        throw new IllegalStateException("heartbeat ran after its resource was closed");
      }
      LOG.info("heartbeat {}", beats.incrementAndGet());
      worker.queueDelayed(w, Duration.ofMillis(100)); // re-arm itself
    });
    worker.queueDelayed(heartbeat, Duration.ZERO);
    Thread.sleep(700); // let it beat a few times (the demo's only sleep: it is the show)
    boolean wasPending = worker.cancelSync(heartbeat).toCompletableFuture().join();
    // From here on the heartbeat is neither pending, armed nor running: closing is safe.
    resourceOpen.set(false);
    // @end region=heartbeat
    int beatsAtCancel = beats.get();
    LOG.info("cancelSync(heartbeat) -> {} after {} beats; resource closed", wasPending, beatsAtCancel);

    // 4. destroy: queued works run, the armed timer is dropped with a warning, the thread ends
    worker.queue(Work.of("last", w -> LOG.info("running work [{}] before the worker stops", w.name())));
    worker.queueDelayed(DelayedWork.of("never", w -> LOG.error("must not run")), Duration.ofHours(1));
    worker.destroy().toCompletableFuture().join();
    LOG.info("destroyed; queue after destroy -> {}", worker.queue(Work.of("late", () -> {}))
        .handle((v, e) -> e == null ? v.toString() : e.getClass().getSimpleName() + ": " + e.getMessage())
        .toCompletableFuture().join());
    if (beats.get() != beatsAtCancel) {
      throw new IllegalStateException("the heartbeat ran after cancelSync completed");
    }
  }
}
