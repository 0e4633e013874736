package io.kworker.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * How the worker takes a delay, grace period or deadline: nanoseconds, where {@link #NEVER} stands for
 * every duration of 100 years or more. Zero means "now": a zero delay queues at the tail, a zero grace
 * interrupts at once, a zero deadline discards at once what has not started.
 *
 * <p>INTERNAL API.
 */
final class Durations {
  /** A delay that never expires, a grace that never interrupts, a deadline that never passes. */
  static final long NEVER = Long.MAX_VALUE;
  private static final Duration FOREVER = Duration.ofDays(365L * 100);

  private Durations() {}

  /**
   * {@code d} in nanoseconds, or {@link #NEVER}.
   *
   * @throws NullPointerException if {@code d} is null
   * @throws IllegalArgumentException if {@code d} is negative
   */
  static long toNanos(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isNegative()) {
      throw new IllegalArgumentException(what + " must not be negative: " + d);
    }
    return d.compareTo(FOREVER) >= 0 ? NEVER : d.toNanos();
  }
}
