package io.kworker.testing;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * The console's logback filter in the tests: it drops the events that a test provokes on purpose, so that
 * a green run is short and any other warning stands out. Dropped are the events that a running test class
 * declared with {@link ExpectedLogs}, and those caused by an exception whose message carries {@link #MARK}
 * (for failures provoked in bulk, by the stress run say).
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
    return ExpectedLogs.expected(event) ? FilterReply.DENY : FilterReply.NEUTRAL;
  }
}
