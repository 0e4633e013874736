/*
 * Sensor poller: a delayed work that re-arms itself to read a sensor every period, stopped with
 * cancelSync before the sensor is closed (the kernel's "cancel_delayed_work_sync, then free").
 *
 * Shows:
 *   - a self-re-arming DelayedWork: it re-arms in a finally, so a read that throws (the sensor
 *     glitches on every 4th read) is logged by the worker, with the worker and work names in the MDC,
 *     and polling goes on;
 *   - why cancelSync and not cancel: it waits for a read in progress, and while it waits the work's own
 *     re-arm gives false, so once it completes the poll is neither pending, armed nor running and the
 *     sensor can be closed: no read ever happens after close();
 *   - unhappy path, a cancel racing the timer: a poller with a period of 1 ms is cancelled again and
 *     again at arbitrary moments (timer armed, firing, queued or work running); every time, the
 *     sensor is closed right after cancelSync and never read again.
 *
 * Run: mvn -q test-compile exec:java -Dexec.mainClass=io.kworker.examples.SensorPoller [-Dexec.args="polls periodMs races"]
 */
package io.kworker.examples;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import io.kworker.DelayedWork;
import io.kworker.KWorker;
import io.kworker.KWorkerStats;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public final class SensorPoller {
  private static final Logger LOG = LoggerFactory.getLogger(SensorPoller.class);

  /** A resource that must not be used after close(): reads then count as violations. */
  static final class Sensor implements AutoCloseable {
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicInteger readsAfterClose = new AtomicInteger();
    private volatile boolean closed;

    double read() {
      if (closed) {
        readsAfterClose.incrementAndGet();
        throw new IllegalStateException("sensor read after close");
      }
      int n = reads.incrementAndGet();
      if (n % 4 == 0) {
        throw new IllegalStateException("sensor glitch on read " + n);
      }
      return 20 + n % 7 * 0.5;
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  public static void main(String[] args) throws Exception {
    int polls = args.length > 0 ? Integer.parseInt(args[0]) : 12;
    Duration period = Duration.ofMillis(args.length > 1 ? Long.parseLong(args[1]) : 100);
    int races = args.length > 2 ? Integer.parseInt(args[2]) : 50;
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "sensor-poller");
    try {
      KWorker worker = KWorker.create(system, "poller");
      poll(worker, polls, period);
      raceCancelAgainstTimer(worker, races);
      worker.destroy().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  static void poll(KWorker worker, int polls, Duration period) throws Exception {
    // @start region=poller
    Sensor sensor = new Sensor();
    CountDownLatch enough = new CountDownLatch(polls);
    DelayedWork poll = DelayedWork.of("poll-sensor", self -> {
      try {
        LOG.info("temperature {}", sensor.read()); // may throw: the worker logs it and goes on
      } finally {
        enough.countDown();
        worker.queueDelayed(self, period); // re-arm; gives false while a cancelSync is in progress
      }
    });
    worker.queueDelayed(poll, Duration.ZERO);
    enough.await(30, TimeUnit.SECONDS);

    boolean wasPending = worker.cancelSync(poll).toCompletableFuture().get(10, TimeUnit.SECONDS);
    sensor.close(); // safe: the poll is neither pending, armed nor running, and cannot re-arm itself
    // @end region=poller

    worker.flush().toCompletableFuture().get(10, TimeUnit.SECONDS);
    KWorkerStats stats = worker.stats();
    LOG.info("cancelSync(poll) -> {} after {} polls; stats: {} runs, {} failed (glitches)", wasPending,
        polls, stats.run(), stats.failed());
    check(sensor, poll, worker);
  }

  /** Cancels a 1 ms poller at arbitrary moments, {@code rounds} times, closing the sensor each time. */
  static void raceCancelAgainstTimer(KWorker worker, int rounds) throws Exception {
    int removed = 0;
    for (int round = 0; round < rounds; round++) {
      Sensor sensor = new Sensor();
      CountDownLatch first = new CountDownLatch(1);
      DelayedWork fast = DelayedWork.of("fast-poll-" + round, self -> {
        try {
          sensor.read();
        } catch (IllegalStateException glitch) {
          // a glitch is expected here; a read after close is counted by the sensor itself
        } finally {
          first.countDown();
          worker.queueDelayed(self, Duration.ofMillis(1));
        }
      });
      worker.queueDelayed(fast, Duration.ofMillis(1));
      if (round % 2 == 0) {
        first.await(10, TimeUnit.SECONDS); // odd rounds cancel before the first expiry, even ones after
      }
      if (worker.cancelSync(fast).toCompletableFuture().get(10, TimeUnit.SECONDS)) {
        removed++;
      }
      sensor.close();
      check(sensor, fast, worker);
    }
    LOG.info("{} cancels raced the timer: {} removed an armed or queued poll, {} waited for a running one "
        + "or found it idle; no read after close", rounds, removed, rounds - removed);
  }

  private static void check(Sensor sensor, DelayedWork poll, KWorker worker) throws Exception {
    worker.flush().toCompletableFuture().get(10, TimeUnit.SECONDS);
    if (worker.busy(poll).toCompletableFuture().get(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("poll [" + poll.name() + "] still pending or running after cancelSync");
    }
    if (sensor.readsAfterClose.get() != 0) {
      throw new IllegalStateException("the sensor was read after close()");
    }
  }
}
