/*
 * Switching from a ScheduledExecutorService: the one-line change, and what cancelSync adds.
 *
 * Shows:
 *   - code written against ScheduledExecutorService runs unchanged on a KWorkerExecutor: a meter read at
 *     a fixed rate, a query submitted for its result, shutdown and awaitTermination;
 *   - Future.cancel answers at once, as it must, so a read may still be in progress when the caller
 *     closes the connection; KWorkerFuture.cancelSync completes only once no read is in progress, and a
 *     periodic task cancelled that way never runs again: here the connection is closed right after it,
 *     round after round, and is never read after close();
 *   - the same race with cancel(false) on Executors.newSingleThreadScheduledExecutor(), counted and
 *     printed (how often it loses depends on timing, so it is only shown).
 *
 * Run: mvn -q test-compile exec:java -Dexec.mainClass=io.kworker.examples.ExecutorSwitch [-Dexec.args="rounds readMicros"]
 */
package io.kworker.examples;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import io.kworker.KWorkerExecutor;
import io.kworker.KWorkerFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public final class ExecutorSwitch {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorSwitch.class);

  /** A connection that must not be read after close(): such reads are counted. */
  static final class Connection implements AutoCloseable {
    private final long readNanos;
    private final AtomicInteger reads = new AtomicInteger();
    final AtomicInteger readsAfterClose = new AtomicInteger();
    final CountDownLatch firstRead = new CountDownLatch(1);
    private volatile boolean closed;

    Connection(long readMicros) {
      this.readNanos = TimeUnit.MICROSECONDS.toNanos(readMicros);
    }

    int read() {
      firstRead.countDown();
      LockSupport.parkNanos(readNanos); // the I/O
      if (closed) {
        readsAfterClose.incrementAndGet(); // the read ran, or ended, after close()
      }
      return reads.incrementAndGet();
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    long readMicros = args.length > 1 ? Long.parseLong(args[1]) : 500;
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "executor-switch");
    try {
      // @start region=switch
      ScheduledExecutorService executor = KWorkerExecutor.create(system, "meter"); // was newSingleThreadScheduledExecutor()
      // @end region=switch
      meterAsBefore(executor, readMicros);
      KWorkerExecutor meter = KWorkerExecutor.create(system, "meter-2");
      for (int round = 0; round < rounds; round++) {
        closeAfterCancelSync(meter, readMicros);
      }
      meter.shutdown();
      LOG.info("{} rounds of cancelSync, then close(): no read after close", rounds);
      ScheduledExecutorService stpe = Executors.newSingleThreadScheduledExecutor();
      int late = 0;
      for (int round = 0; round < rounds; round++) {
        late += closeAfterCancel(stpe, readMicros);
      }
      stpe.shutdown();
      LOG.info("{} rounds of Future.cancel(false), then close(), on a single-thread STPE: {} read(s) after "
          + "close", rounds, late);
      if (!meter.awaitTermination(10, TimeUnit.SECONDS) || !stpe.awaitTermination(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("an executor did not terminate");
      }
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /** Code written for a ScheduledExecutorService, unchanged. */
  static void meterAsBefore(ScheduledExecutorService executor, long readMicros) throws Exception {
    Connection connection = new Connection(readMicros);
    Future<?> metering = executor.scheduleAtFixedRate(connection::read, 0, 5, TimeUnit.MILLISECONDS);
    Future<Integer> query = executor.submit(connection::read);
    LOG.info("query answered after {} read(s)", query.get(10, TimeUnit.SECONDS));
    metering.cancel(false);
    executor.shutdown();
    if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException(executor + " did not terminate");
    }
    connection.close();
  }

  /** Reads every millisecond, then stops reading with cancelSync and closes the connection at once. */
  static void closeAfterCancelSync(KWorkerExecutor executor, long readMicros) throws Exception {
    Connection connection = new Connection(readMicros);
    // @start region=cancel-sync
    KWorkerFuture<?> reading = executor.scheduleAtFixedRate(connection::read, 0, 1, TimeUnit.MILLISECONDS);
    connection.firstRead.await(10, TimeUnit.SECONDS);
    reading.cancelSync().toCompletableFuture().get(10, TimeUnit.SECONDS); // unlike cancel: once no read runs
    connection.close(); // safe: no read is in progress, and none will start
    // @end region=cancel-sync
    executor.submit(() -> { }).get(10, TimeUnit.SECONDS); // whatever was queued behind has run
    if (connection.readsAfterClose.get() != 0) {
      throw new IllegalStateException("the connection was read after close()");
    }
  }

  /** The same with Future.cancel on STPE: the read in progress, if any, ends after close(). */
  static int closeAfterCancel(ScheduledExecutorService executor, long readMicros) throws Exception {
    Connection connection = new Connection(readMicros);
    Future<?> reading = executor.scheduleAtFixedRate(connection::read, 0, 1, TimeUnit.MILLISECONDS);
    connection.firstRead.await(10, TimeUnit.SECONDS);
    reading.cancel(false); // answers at once; a read may still be in progress
    connection.close();
    executor.submit(() -> { }).get(10, TimeUnit.SECONDS);
    return connection.readsAfterClose.get();
  }
}
