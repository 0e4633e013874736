package io.kworker.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/** The events of one logger, kept for assertions (and still logged as usual) until closed. */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  private final Logger logger;
  private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();

  private LogCapture(String loggerName) {
    this.logger = (Logger) LoggerFactory.getLogger(loggerName);
    setContext(logger.getLoggerContext());
    start();
    logger.addAppender(this);
  }

  public static LogCapture of(String loggerName) {
    return new LogCapture(loggerName);
  }

  @Override
  protected void append(ILoggingEvent event) {
    events.add(event);
  }

  /** The formatted messages logged so far that contain {@code text}. */
  public List<String> messages(String text) {
    return events.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains(text)).toList();
  }

  /** Waits until a message containing {@code text} was logged, and returns it. */
  public String await(String text) {
    Await.until("a log line containing [" + text + "]", () -> !messages(text).isEmpty());
    return messages(text).get(0);
  }

  @Override
  public void close() {
    logger.detachAppender(this);
    stop();
  }
}
