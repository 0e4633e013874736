package io.kworker.testing;

import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The log lines a test class provokes on purpose, declared by a fragment of their message:
 *
 * <pre>
 * &#64;RegisterExtension
 * static final ExpectedLogs LOGS = ExpectedLogs.of("is destroyed while", "failed; the worker goes on");
 * </pre>
 *
 * <p>While the class runs (its {@code @AfterAll} included), an event whose message contains one of the
 * fragments is recorded here and kept off the console by {@link QuietExpected}, the console's filter in
 * {@code logback-test.xml}; every other event prints as usual. So a green run stays short and a warning
 * nobody expected stands out. Tests may check what was recorded with {@link #events}.
 */
public final class ExpectedLogs implements BeforeAllCallback, AfterAllCallback {
  /** A destroy (the test's or the kit's at shutdown) cancelled armed timers: one line per worker. */
  public static final String ARMED_AT_DESTROY = "delayed work(s) are armed: their timers are cancelled";
  /** A worker actor stopped (parent or system gone) with works armed or queued. */
  public static final String STOPPED_WITH_WORKS = "stopped while";
  /** A queueing call refused by a worker being destroyed or gone: one line per worker. */
  public static final String REFUSED = "refused: its stage fails with a RejectedExecutionException";
  /** A work threw. */
  public static final String WORK_FAILED = "failed; the worker goes on";
  /** {@code destroy(deadline)} discarded works, or the registry's shutdown deadline passed. */
  public static final String DEADLINE_MISSED = "missed its";

  private static final List<ExpectedLogs> ACTIVE = new CopyOnWriteArrayList<>();

  private final List<String> fragments;
  private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();

  private ExpectedLogs(List<String> fragments) {
    this.fragments = fragments;
  }

  /** Expects the events whose message contains any of {@code fragments}. */
  public static ExpectedLogs of(String... fragments) {
    return new ExpectedLogs(List.of(fragments));
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    ACTIVE.add(this);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    ACTIVE.remove(this);
  }

  /** The recorded events, oldest first. */
  public List<ILoggingEvent> events() {
    return new ArrayList<>(events);
  }

  /** Records {@code event} if a running test class expects it; true if it did. */
  static boolean expected(ILoggingEvent event) {
    String message = event.getFormattedMessage();
    for (ExpectedLogs logs : ACTIVE) {
      if (message != null && logs.fragments.stream().anyMatch(message::contains)) {
        event.prepareForDeferredProcessing(); // the MDC and thread name as they are now, on the logging thread
        logs.events.add(event);
        return true;
      }
    }
    return false;
  }
}
