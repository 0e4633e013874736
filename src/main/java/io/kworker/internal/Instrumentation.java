package io.kworker.internal;

import akka.actor.typed.ActorSystem;
import com.typesafe.config.Config;

/**
 * How a worker is observed: the {@code stats}, {@code mdc} and {@code jmx} keys of the {@code kworker}
 * block (or of a {@code kworker.workers.<name>} block, over it). INTERNAL API.
 *
 * @param timings time every work (queue-to-start latency and run time)
 * @param mdc put the worker and work names in the SLF4J MDC while a work runs
 * @param jmx register an MXBean for the worker
 */
public record Instrumentation(boolean timings, boolean mdc, boolean jmx) {
  /** MDC key of the worker's name while one of its works runs. */
  public static final String MDC_WORKER = "kworker.worker";
  /** MDC key of the running work's name. */
  public static final String MDC_WORK = "kworker.work";

  /** {@code reference.conf}'s values. */
  public static final Instrumentation DEFAULT = new Instrumentation(false, true, true);

  public static Instrumentation from(ActorSystem<?> system) {
    return from(system.settings().config().getConfig("kworker"));
  }

  public static Instrumentation from(Config kworker) {
    return new Instrumentation(kworker.getBoolean("stats.timings"), kworker.getBoolean("mdc"),
        kworker.getBoolean("jmx.enabled"));
  }
}
