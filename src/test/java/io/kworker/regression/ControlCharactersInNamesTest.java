package io.kworker.regression;

import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.kworker.DelayedWork;
import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.testing.ExpectedLogs;
import io.kworker.testing.QuietExpected;
import io.kworker.testing.WorkerTestKit;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fixed in 6e218a9 (the remaining messages in 276fadc): a worker or work name with a newline (or another
 * control character) went verbatim into log lines, so a name could fake a whole log line. Guards that the
 * lines kworker logs about such names are each one line with no control character, as the project's
 * logback pattern prints them, and that the names stay recognisable.
 */
class ControlCharactersInNamesTest {
  @RegisterExtension
  static final ExpectedLogs LOGS = ExpectedLogs.of(ExpectedLogs.ARMED_AT_DESTROY);
  static {
    org.slf4j.LoggerFactory.getLogger(ControlCharactersInNamesTest.class); // SLF4J ready before Akka logs
  }

  static final WorkerTestKit kit = WorkerTestKit.create();

  @AfterAll
  static void shutdown() {
    kit.shutdown();
  }

  /** A failing work named "evil\nFAKE LINE": its ERROR line carries an escaped name, on one line. */
  @Test
  void aFailingWorkNamedWithANewlineIsLoggedOnOneLine() {
    KWorker worker = kit.namedWorker("plain-worker");
    try (LogCapture log = LogCapture.open()) {
      result(worker.queue(Work.of("evil\nFAKE LINE", w -> {
        throw new IllegalStateException("boom " + QuietExpected.MARK);
      })));
      result(worker.flush());
      List<ILoggingEvent> errors = log.events(Level.ERROR);
      assertFalse(errors.isEmpty(), "the failing work was logged");
      for (ILoggingEvent e : errors) {
        String msg = e.getFormattedMessage();
        assertTrue(msg.contains("FAKE LINE"), "the work's name stays recognisable: " + msg);
        assertNoControlCharacter("the message", msg);
        assertOneLine(log.render(e));
      }
    } finally {
      result(worker.destroy());
    }
  }

  /**
   * A worker named with CR, LF and an ANSI escape: the lines it logs (a failing work, on the worker's
   * thread; an armed work dropped by destroy) are each one line, as the project's logback pattern prints
   * them (the thread's name included), with no control character.
   */
  @Test
  void aWorkerNamedWithControlCharactersLogsOneLineEach() {
    String name = "evil\r\nFAKE WORKER\u001b[31m\u0007";
    KWorker worker = kit.namedWorker(name);
    try (LogCapture log = LogCapture.open()) {
      result(worker.queue(Work.of("fails", w -> {
        throw new IllegalStateException("boom " + QuietExpected.MARK);
      })));
      result(worker.flush());
      assertTrue(result(worker.queueDelayed(DelayedWork.of("armed", w -> { }), Duration.ofHours(1))));
      result(worker.destroy());
      List<ILoggingEvent> events = log.events().stream()
          .filter(e -> log.render(e).contains("FAKE WORKER")).collect(java.util.stream.Collectors.toList());
      assertTrue(events.stream().anyMatch(e -> e.getLevel() == Level.ERROR), "the failing work was logged");
      assertTrue(events.stream().anyMatch(e -> e.getLevel() == Level.WARN), "the dropped armed work was logged");
      for (ILoggingEvent e : events) {
        String msg = e.getFormattedMessage();
        assertNoControlCharacter("the message", msg);
        assertOneLine(log.render(e));
      }
    }
  }

  private static void assertNoControlCharacter(String what, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      assertFalse(Character.isISOControl(c), what + " holds control character U+"
          + String.format("%04X", (int) c) + " at " + i + ": " + visible(s));
    }
  }

  /** The rendered line ends with its newline and holds no other control character. */
  private static void assertOneLine(String rendered) {
    assertTrue(rendered.endsWith("\n"), visible(rendered));
    assertNoControlCharacter("the log line as conf/logback.xml prints it",
        rendered.substring(0, rendered.length() - System.lineSeparator().length()));
  }

  private static String visible(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      b.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return b.toString();
  }
}
