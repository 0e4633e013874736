package io.kworker.cluster.internal;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The {@code kworker.cluster} block, checked against the Akka settings the hand-off fence rests on.
 *
 * <p>INTERNAL API.
 */
public record ClusterSettings(Duration askTimeout, Duration waitTimeout, boolean rebalance,
    Duration handoffDeadline, Duration stopGrace) {
  static final String PHASE_KEY = "akka.coordinated-shutdown.phases.cluster-sharding-shutdown-region.timeout";
  static final String HANDOFF_KEY = "akka.cluster.sharding.handoff-timeout";
  private static final Duration SECOND = Duration.ofSeconds(1);

  /**
   * Reads and checks the settings; fails, naming the keys, when the fence could outlast what Akka grants
   * it: the region gives up on a graceful leave at the phase timeout minus 1 s, and the hand-off stopper
   * of a rebalance at the hand-off timeout minus 5 s.
   */
  public static ClusterSettings from(Config config) {
    Config c = config.getConfig("kworker.cluster");
    ClusterSettings s = new ClusterSettings(c.getDuration("ask-timeout"), c.getDuration("wait-timeout"),
        c.getBoolean("rebalance"), c.getDuration("handoff.deadline"), c.getDuration("handoff.stop-grace"));
    positive("kworker.cluster.ask-timeout", s.askTimeout);
    positive("kworker.cluster.wait-timeout", s.waitTimeout);
    positive("kworker.cluster.handoff.deadline", s.handoffDeadline);
    if (s.stopGrace.isNegative() || s.stopGrace.compareTo(s.handoffDeadline) >= 0) {
      throw new IllegalArgumentException("kworker.cluster.handoff.stop-grace = " + s.stopGrace
          + " must be at least 0 and below kworker.cluster.handoff.deadline = " + s.handoffDeadline);
    }
    Duration regionLimit = config.getDuration(PHASE_KEY).minus(SECOND);
    Duration stopperLimit = config.getDuration(HANDOFF_KEY).minusSeconds(5);
    if (s.handoffDeadline.compareTo(regionLimit) >= 0 || s.handoffDeadline.compareTo(stopperLimit) >= 0) {
      throw new IllegalArgumentException("kworker.cluster.handoff.deadline = " + s.handoffDeadline
          + " must be below both of Akka's hand-off limits, or a leaving node would stop a worker under a"
          + " running work: " + PHASE_KEY + " - 1s = " + regionLimit + ", and " + HANDOFF_KEY + " - 5s = "
          + stopperLimit + ". Lower the deadline or raise both keys.");
    }
    return s;
  }

  private static void positive(String key, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(key + " must be positive: " + d);
    }
  }
}
