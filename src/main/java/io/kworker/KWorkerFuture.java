package io.kworker;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RunnableScheduledFuture;

/**
 * The future of a task submitted to a {@link KWorkerExecutor}: a {@link RunnableScheduledFuture} whose
 * task runs on its worker's thread, plus what {@link java.util.concurrent.Future#cancel} cannot offer,
 * a cancel that waits until the task no longer runs.
 *
 * <p>{@code cancel(mayInterruptIfRunning)} keeps the {@code Future} contract: it answers at once, and
 * {@code cancel(true)} interrupts a run in progress before it returns. A run in progress goes on after
 * {@code cancel}, though, and may still use what the task uses: close a resource only once the stage of
 * {@link #cancelSync()} has completed.
 *
 * @param <V> the result type
 */
public interface KWorkerFuture<V> extends RunnableScheduledFuture<V> {

  /**
   * Cancels the task, as {@code cancel(false)} does, and completes once no run of it is in progress: at
   * once if it is not running, else when the run returns. A cancelled periodic task arms no next run,
   * so once the stage completes the task never runs again. Never interrupts.
   *
   * <p>Called from inside this task's own run, the stage fails at once with an
   * {@link IllegalStateException}: it could only complete after the caller returns.
   *
   * @return a stage with true iff this call cancelled the task (false if it had completed or been
   *     cancelled before), completed when no run of it is in progress
   */
  CompletionStage<Boolean> cancelSync();

  /**
   * {@link #cancelSync()}, then, if the run still goes on after {@code grace}, its thread is interrupted
   * (only while this run lasts); a zero grace interrupts at once, a grace of 100 years or more never. The
   * stage still completes only when the run has returned.
   *
   * @param grace how long the run may go on before it is interrupted
   * @return as {@link #cancelSync()}
   * @throws NullPointerException if {@code grace} is null
   * @throws IllegalArgumentException if {@code grace} is negative
   */
  CompletionStage<Boolean> cancelSync(Duration grace);
}
