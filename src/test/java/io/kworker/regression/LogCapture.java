package io.kworker.regression;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * Captures what kworker logs (every logger under {@code io.kworker}) while it is open. Optionally keeps
 * those events off the console, for tests that provoke thousands of lines on purpose.
 */
final class LogCapture implements AutoCloseable {
  /** The pattern of the project's conf/logback.xml, without the stack trace. */
  static final String PROJECT_PATTERN = "%d{HH:mm:ss.SSS} %-5level [%-18thread] %logger{0} - %msg%nopex%n";

  private final Logger logger;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final boolean wasAdditive;
  private final Level wasLevel;
  private final PatternLayout layout = new PatternLayout();

  private LogCapture(boolean quiet) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    logger = context.getLogger("io.kworker");
    wasAdditive = logger.isAdditive();
    wasLevel = logger.getLevel();
    appender.setContext(context);
    appender.setName("regression-capture");
    appender.start();
    layout.setContext(context);
    layout.setPattern(PROJECT_PATTERN);
    layout.start();
    logger.addAppender(appender);
    if (logger.getEffectiveLevel().toInt() > Level.WARN.toInt()) {
      logger.setLevel(Level.WARN); // WARN and ERROR reach the capture whatever the test config says
    }
    if (quiet) {
      logger.setAdditive(false);
    }
  }

  /** Captures and still prints. */
  static LogCapture open() {
    return new LogCapture(false);
  }

  /** Captures and keeps the events off the console. */
  static LogCapture quiet() {
    return new LogCapture(true);
  }

  List<ILoggingEvent> events() {
    synchronized (appender) {
      return List.copyOf(appender.list);
    }
  }

  List<ILoggingEvent> events(Level level) {
    return events().stream().filter(e -> e.getLevel() == level).collect(Collectors.toList());
  }

  /** The event as the project's logback pattern prints it (stack trace left out). */
  String render(ILoggingEvent e) {
    return layout.doLayout(e);
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
    logger.setAdditive(wasAdditive);
    logger.setLevel(wasLevel);
  }
}
