package io.kworker.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kworker.testing.ExpectedLogs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs every example program to its end, with short durations. Each program checks its own claims
 * (no sensor read after close, no flush after its cancel, no write after the connection closed, ...)
 * and throws if one fails. Timing only shapes what they print, never whether they pass.
 */
class ExamplesTest {
  @RegisterExtension
  static final ExpectedLogs LOGS =
      ExpectedLogs.of(ExpectedLogs.ARMED_AT_DESTROY, ExpectedLogs.REFUSED, ExpectedLogs.WORK_FAILED,
          ExpectedLogs.DEADLINE_MISSED, "armed work(s) are lost");

  @Test
  void sensorPollerNeverReadsAClosedSensor() throws Exception {
    SensorPoller.main(new String[] {"6", "10", "20"}); // polls, period ms, cancel-vs-timer races
  }

  @Test
  void debouncerFlushesOncePerBurstAndSurvivesAThrowingFlush() throws Exception {
    Debouncer.main(new String[] {"3", "10", "50"}); // bursts, events per burst, quiet ms
  }

  @Test
  void actorOwnsAWorkerAndAsksItOverTheProtocol() throws Exception {
    ActorOwnedWorker.main(new String[0]);
  }

  @Test
  void coordinatedShutdownWaitsForTheRunningWorkBeforeClosingTheConnection() throws Exception {
    GracefulShutdown.main(new String[] {"300"}); // batch ms
  }

  @Test
  void manyWorkersOnASharedDispatcher() throws Exception {
    ManyWorkers.main(new String[] {"500", "50"}); // workers, period ms
  }

  @Test
  void executorSwitchNeverReadsAClosedConnectionAfterCancelSync() throws Exception {
    ExecutorSwitch.main(new String[] {"10", "300"}); // rounds, read µs
  }

  @Test
  void aClusterWorkerIsCancelledFromAnotherNodeAndMovesWhenItsNodeLeaves() throws Exception {
    ClusterWorkers.main(new String[] {"200"}); // batch ms
  }

  private static final Pattern QUOTE = Pattern.compile("<!-- quote: (\\S+)#(\\S+) -->");

  /** README.md quotes regions of the examples; each quote is the compiled text, so it cannot rot. */
  @Test
  void readmeQuotesTheExamplesVerbatim() throws Exception {
    String doc = Files.readString(Path.of("README.md"));
    Matcher quote = QUOTE.matcher(doc);
    int quotes = 0;
    while (quote.find()) {
      quotes++;
      String source = Files.readString(Path.of("examples/io/kworker/examples", quote.group(1)));
      Matcher region = Pattern.compile("// @start region=" + Pattern.quote(quote.group(2))
          + "\\n(.*?)\\n\\s*// @end region=" + Pattern.quote(quote.group(2)), Pattern.DOTALL).matcher(source);
      assertTrue(region.find(), "no region " + quote.group(2) + " in " + quote.group(1));
      String text = region.group(1).stripIndent();
      int block = doc.indexOf("```java\n", quote.end());
      assertTrue(block >= 0, "no code block after " + quote.group());
      int end = doc.indexOf("\n```", block);
      assertEquals(text.strip(), doc.substring(block + "```java\n".length(), end).strip(),
          "README.md quotes " + quote.group(1) + "#" + quote.group(2));
    }
    assertTrue(quotes >= 4, "the README quotes the examples");
  }
}
