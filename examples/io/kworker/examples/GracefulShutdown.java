/*
 * Graceful shutdown through Akka's CoordinatedShutdown, with a work still running.
 *
 * An "exporter" worker of the KWorkers extension writes batches to a connection; the application
 * closes that connection in the phase before-actor-system-terminate. system.terminate() is called while
 * a batch is being written. The extension destroys its workers in kworker.shutdown.phase
 * (service-stop, an earlier phase): the running batch is written to its end, the batch queued behind it
 * too, the armed retry timer is cancelled (with a warning), and only then does the phase end and
 * the connection close. No write ever hits a closed connection.
 *
 * Unhappy path, past the deadline: with kworker.shutdown.destroy-deadline shorter than a batch, the
 * batch queued behind the running one is discarded, the report naming both is logged as a warning,
 * and the phase still waits for the running batch to return before the connection is closed.
 *
 * Run: mvn -q test-compile exec:java -Dexec.mainClass=io.kworker.examples.GracefulShutdown [-Dexec.args="batchMs"]
 */
package io.kworker.examples;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.kworker.DelayedWork;
import io.kworker.KWorker;
import io.kworker.KWorkers;
import io.kworker.Work;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public final class GracefulShutdown {
  private static final Logger LOG = LoggerFactory.getLogger(GracefulShutdown.class);

  /** A connection that records what was written and refuses writes once closed. */
  static final class Connection {
    final List<String> log = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    void write(String batch, long millis) throws InterruptedException {
      log.add("start " + batch);
      Thread.sleep(millis); // the I/O; an example may sleep, it is what is being shown
      if (closed) {
        log.add("WRITE AFTER CLOSE " + batch);
        throw new IllegalStateException("connection closed under batch " + batch);
      }
      log.add("wrote " + batch);
    }

    void close() {
      closed = true;
      log.add("closed");
    }
  }

  public static void main(String[] args) throws Exception {
    long batchMillis = args.length > 0 ? Long.parseLong(args[0]) : 500;
    List<String> graceful = run("graceful-shutdown", batchMillis, "3s");
    check(graceful, true);
    // Past the deadline: batch-2 is discarded, batch-1 still finishes before the connection closes.
    List<String> late = run("deadline-shutdown", batchMillis, Math.max(1, batchMillis / 5) + "ms");
    check(late, false);
  }

  static List<String> run(String systemName, long batchMillis, String deadline) throws Exception {
    // @start region=shutdown-config
    Config config = ConfigFactory.parseString("""
        kworker.workers.exporter { execution = "dedicated", stats.timings = on }
        kworker.shutdown {
          phase = "service-stop"          # the default: before the application's resources close
          destroy-deadline = %s           # below the phase's timeout (5 s for service-stop)
        }
        """.formatted(deadline)).withFallback(ConfigFactory.load());
    // @end region=shutdown-config
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), systemName, config);
    Connection connection = new Connection();
    CountDownLatch writing = new CountDownLatch(1);

    // @start region=shutdown
    // The application closes its resources in a phase after kworker's (service-stop).
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
        "close-connection", () -> {
          connection.close();
          return CompletableFuture.completedFuture(Done.getInstance());
        });

    KWorker exporter = KWorkers.get(system).worker("exporter");
    for (int i = 1; i <= 2; i++) {
      String batch = "batch-" + i;
      exporter.queue(Work.of("export-" + batch, () -> {
        writing.countDown();
        try {
          connection.write(batch, batchMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }));
    }
    exporter.queueDelayed(DelayedWork.of("retry-export", () -> {}), Duration.ofMinutes(5));

    writing.await(10, TimeUnit.SECONDS); // batch-1 is being written...
    system.terminate();                  // ...when the application shuts down
    // @end region=shutdown
    system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    LOG.info("{}: {}; exporter stats {}", systemName, connection.log, exporter.stats());
    return connection.log;
  }

  /** Every batch that started was written before the connection closed; closing came last. */
  private static void check(List<String> log, boolean allBatches) {
    boolean ok = log.size() >= 3 && log.get(log.size() - 1).equals("closed")
        && log.subList(0, 2).equals(List.of("start batch-1", "wrote batch-1"))
        && log.stream().noneMatch(e -> e.startsWith("WRITE AFTER CLOSE"))
        && log.stream().filter(e -> e.startsWith("start")).count()
            == log.stream().filter(e -> e.startsWith("wrote")).count()
        && (!allBatches || log.contains("wrote batch-2"));
    if (!ok) {
      throw new IllegalStateException("the connection saw " + log);
    }
  }
}
