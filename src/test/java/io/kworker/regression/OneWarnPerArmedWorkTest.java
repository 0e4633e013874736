package io.kworker.regression;

import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.kworker.DelayedWork;
import io.kworker.KWorker;
import io.kworker.testing.WorkerTestKit;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Fixed in 6e218a9: destroying or stopping a worker logged one WARN line per armed delayed work (10,000
 * lines for 10,000 armed works). Guards that it logs one line per worker, with the count and the first few
 * names, as the extension's deadline warning does, for a destroy and for a stop.
 */
class OneWarnPerArmedWorkTest {
  static {
    org.slf4j.LoggerFactory.getLogger(OneWarnPerArmedWorkTest.class); // SLF4J ready before Akka logs
  }

  private static final int ARMED = 10_000;
  private static final Pattern ARMED_NAME = Pattern.compile("armed-\\d+");

  /** destroy() of a worker with 10,000 armed works: one WARN line, not 10,000. */
  @Test
  void destroyWithTenThousandArmedWorksLogsOneWarnLine() {
    WorkerTestKit kit = WorkerTestKit.create();
    try (LogCapture log = LogCapture.quiet()) {
      KWorker worker = KWorker.create(kit.system(), "armed-destroy");
      arm(worker);
      result(worker.destroy());
      checkOneWarnLine(log, worker.name());
    } finally {
      kit.shutdown();
    }
  }

  /** A worker stopped (here by the actor system's termination) with 10,000 armed works: one WARN line. */
  @Test
  void stopWithTenThousandArmedWorksLogsOneWarnLine() {
    WorkerTestKit kit = WorkerTestKit.create();
    try (LogCapture log = LogCapture.quiet()) {
      KWorker worker = KWorker.create(kit.system(), "armed-stop");
      arm(worker);
      kit.terminate(); // returns once the system, and so the worker actor, has stopped
      checkOneWarnLine(log, worker.name());
    } finally {
      kit.shutdown();
    }
  }

  private static void arm(KWorker worker) {
    CompletionStage<Boolean> last = null;
    for (int i = 0; i < ARMED; i++) {
      last = worker.queueDelayed(DelayedWork.of("armed-" + i, w -> { }), Duration.ofHours(1));
    }
    assertTrue(result(last));
  }

  private static void checkOneWarnLine(LogCapture log, String workerName) {
    List<ILoggingEvent> warns = log.events(Level.WARN).stream()
        .filter(e -> e.getFormattedMessage().contains(workerName))
        .collect(Collectors.toList());
    assertEquals(1, warns.size(), "WARN lines about worker [" + workerName + "] with " + ARMED
        + " armed works: " + warns.size() + (warns.isEmpty() ? "" : "; the first: "
        + warns.get(0).getFormattedMessage()));
    String line = warns.get(0).getFormattedMessage();
    assertTrue(line.contains("10000") || line.contains("10,000") || line.contains("10 000"),
        "the line gives the count of armed works: " + line);
    Matcher names = ARMED_NAME.matcher(line);
    int named = 0;
    while (names.find()) {
      named++;
    }
    assertEquals(5, named, "the line names the first five armed works: " + shorten(line));
    assertTrue(line.contains("... " + (ARMED - 5) + " more"), "and says how many more: " + shorten(line));
  }

  private static String shorten(String line) {
    return line.length() > 500 ? line.substring(0, 500) + "..." : line;
  }
}
