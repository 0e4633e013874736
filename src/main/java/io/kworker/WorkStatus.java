package io.kworker;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of a work on its worker, taken by the worker at one instant.
 *
 * @param work the work
 * @param state pending and running state
 * @param canceling cancels ({@code cancelSync}) now waiting for the running instance; queueing is
 *     refused while it is non-zero
 * @param disabled the disable count; queueing is refused while it is non-zero
 * @param expiresIn for an armed work ({@link WorkState#ARMED}, {@link WorkState#RUNNING_AND_ARMED}), the
 *     time its timer still had to run when the snapshot was taken (zero once it is due); empty otherwise.
 *     Reckoned in real time, also when Akka's scheduler holds the timers ({@code kworker.timers}), so
 *     under Akka's ManualTime it does not follow {@code timePasses}
 */
public record WorkStatus(Work work, WorkState state, int canceling, int disabled, Optional<Duration> expiresIn) {

  /**
   * Checks that {@code expiresIn} is not null (an empty {@link Optional} says "not armed").
   *
   * @param work the work
   * @param state pending and running state
   * @param canceling cancels now waiting for the running instance
   * @param disabled the disable count
   * @param expiresIn for an armed work, the time its timer still had to run; empty otherwise
   */
  public WorkStatus {
    Objects.requireNonNull(expiresIn, "expiresIn");
  }

  /**
   * A snapshot of a work that is not armed.
   *
   * @param work the work
   * @param state pending and running state
   * @param canceling cancels now waiting for the running instance
   * @param disabled the disable count
   */
  public WorkStatus(Work work, WorkState state, int canceling, int disabled) {
    this(work, state, canceling, disabled, Optional.empty());
  }

  /**
   * {@return the status of a work that this worker has never seen, or on a worker that is gone}
   *
   * @param work the work
   */
  public static WorkStatus idle(Work work) {
    return new WorkStatus(work, WorkState.IDLE, 0, 0);
  }
}
