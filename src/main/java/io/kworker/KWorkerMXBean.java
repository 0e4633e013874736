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
  /** {@return the worker's name} */
  String getName();

  /** {@return the worker actor's path} */
  String getPath();

  /** {@return {@code dedicated} or the id of the dispatcher whose threads run the works} */
  String getExecution();

  /** {@return instances handed to the execution thread, as {@link KWorkerStats#queued()}} */
  long getQueued();

  /** {@return runs that returned, normally or by throwing, as {@link KWorkerStats#run()}} */
  long getRun();

  /** {@return runs that threw, as {@link KWorkerStats#failed()}} */
  long getFailed();

  /** {@return pending instances taken out before they ran, as {@link KWorkerStats#cancelled()}} */
  long getCancelled();

  /**
   * {@return queueings refused and expiries dropped during a cancel-sync, as
   * {@link KWorkerStats#refusedWhileCanceling()}}
   */
  long getRefusedWhileCanceling();

  /** {@return whether the timings are kept ({@code kworker.stats.timings})} */
  boolean isTimingsEnabled();

  /** {@return the total of {@link KWorkerStats#queueLatency()}, in nanoseconds} */
  long getQueueLatencyTotalNanos();

  /** {@return the longest {@link KWorkerStats#queueLatency()}, in nanoseconds} */
  long getQueueLatencyMaxNanos();

  /** {@return the mean {@link KWorkerStats#queueLatency()}, in microseconds} */
  double getQueueLatencyMeanMicros();

  /** {@return the total of {@link KWorkerStats#runTime()}, in nanoseconds} */
  long getRunTimeTotalNanos();

  /** {@return the longest {@link KWorkerStats#runTime()}, in nanoseconds} */
  long getRunTimeMaxNanos();

  /** {@return the mean {@link KWorkerStats#runTime()}, in microseconds} */
  double getRunTimeMeanMicros();
}
