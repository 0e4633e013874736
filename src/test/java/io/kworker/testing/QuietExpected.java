package io.kworker.testing;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * A logback filter that drops log events caused by failures a test provokes on purpose in bulk (their
 * message carries {@link #MARK}), so that thousands of expected stack traces do not bury real ones.
 */
public final class QuietExpected extends Filter<ILoggingEvent> {
  public static final String MARK = "[expected by the test]";

  @Override
  public FilterReply decide(ILoggingEvent event) {
    for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains(MARK)) {
        return FilterReply.DENY;
      }
    }
    return FilterReply.NEUTRAL;
  }
}
