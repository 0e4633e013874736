package io.kworker;

/**
 * The JMX view of one worker, registered under {@code io.kworker:type=KWorker,name=<worker name>} while
 * the worker lives (when {@code kworker.jmx.enabled} is on). Every attribute is read-only; see
 * {@link KWorkerStats} for what each counts. Times are in nanoseconds, except the means, in microseconds.
 *
 * <p>If that name is already taken (two actor systems in one JVM, or two child workers of the same
 * name), the worker registers under {@code io.kworker:type=KWorker,system=<system>,name=<name>}, then
 * adds {@code ,id=<n>}.
 */
public interface KWorkerMXBean {
  String getName();

  /** The worker actor's path. */
  String getPath();

  /** {@code dedicated} or the id of the dispatcher whose threads run the works. */
  String getExecution();

  long getQueued();

  long getRun();

  long getFailed();

  long getCancelled();

  long getRefusedWhileCanceling();

  boolean isTimingsEnabled();

  long getQueueLatencyTotalNanos();

  long getQueueLatencyMaxNanos();

  double getQueueLatencyMeanMicros();

  long getRunTimeTotalNanos();

  long getRunTimeMaxNanos();

  double getRunTimeMeanMicros();
}
