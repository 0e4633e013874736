package io.kworker.internal;

import akka.actor.typed.ActorSystem;
import com.typesafe.config.Config;

/**
 * How a worker is observed: the {@code stats}, {@code mdc} and {@code jmx} keys of the {@code kworker}
 * block (or of a {@code kworker.workers.<name>} block, over it). INTERNAL API.
 *
 * @param timings time every work (queue-to-start latency and run time)
 * @param mdc put the worker and work names in the SLF4J MDC while a work runs
 * @param jmx register an MXBean for the worker: true, false, or null for "auto" (only for workers with a
 *     thread of their own: on a shared dispatcher a worker is meant to cost less than its MXBean)
 */
public record Instrumentation(boolean timings, boolean mdc, Boolean jmx) {
  /** MDC key of the worker's name while one of its works runs. */
  public static final String MDC_WORKER = "kworker.worker";
  /** MDC key of the running work's name. */
  public static final String MDC_WORK = "kworker.work";

  /** {@code reference.conf}'s values. */
  public static final Instrumentation DEFAULT = new Instrumentation(false, true, null);

  public static Instrumentation from(ActorSystem<?> system) {
    return from(system.settings().config().getConfig("kworker"));
  }

  public static Instrumentation from(Config kworker) {
    Boolean jmx = "auto".equals(kworker.getString("jmx.enabled")) ? null : kworker.getBoolean("jmx.enabled");
    return new Instrumentation(kworker.getBoolean("stats.timings"), kworker.getBoolean("mdc"), jmx);
  }

  /** Whether a worker gets an MXBean: as configured, or in "auto" only with a dedicated thread. */
  boolean jmxFor(Settings settings) {
    return jmx != null ? jmx : settings.dedicated();
  }
}
