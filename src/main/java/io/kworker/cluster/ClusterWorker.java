package io.kworker.cluster;

import akka.Done;
import io.kworker.WorkState;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * A named worker of the cluster, usable from any node, whether it hosts the worker or not. Each call is
 * one message to the worker's sharded entity, wherever it lives; calls made from one node reach it in
 * the order they were made. The worker applies the local {@link io.kworker.KWorker}'s rules, so every
 * return value is the kernel's (see the methods of the same names there).
 *
 * <p>Errors fail the stage: an unknown handler on the hosting node ({@link UnknownHandlerException}), a
 * work id used with another handler ({@link WorkBindingException}), a worker that moved while a wait
 * was in progress ({@link WorkerRelocatedException}). A call that gets no answer in time fails with a
 * {@link java.util.concurrent.TimeoutException} whose message says "outcome unknown": the call may or
 * may not have taken effect, and it never turns into {@code true} or {@code false}.
 *
 * <p>As with the local worker, non-async dependent actions ({@code thenApply}, {@code whenComplete}, ...)
 * run on the thread that completes the stage: an Akka thread of the calling node, the one that delivers
 * the answer (or the scheduler's, on a timeout). Use the {@code *Async} variants for anything slow or
 * blocking.
 *
 * <p>v1 keeps the worker's state in memory on its hosting node: a crash of that node loses its pending
 * and armed works; a graceful leave runs the ready ones and reports the armed ones as lost (see the
 * README, "Across a cluster"). After {@link #destroy()} completes, a later call creates a fresh, empty
 * worker of the same name: without persistence there is no tombstone.
 */
public interface ClusterWorker {
  /** {@return the worker's name (its entity id)} */
  String name();

  /**
   * {@code kthread_queue_work}.
   *
   * @param spec the work
   * @return true if newly queued, false if it was pending or is being cancelled
   */
  CompletionStage<Boolean> queue(WorkSpec spec);

  /**
   * {@code kthread_queue_delayed_work}: arms the work to be queued after {@code delay}.
   *
   * @param spec the work
   * @param delay at least zero
   * @return as {@link #queue}
   */
  CompletionStage<Boolean> queueDelayed(WorkSpec spec, Duration delay);

  /**
   * {@code kthread_mod_delayed_work}: (re)arms the work.
   *
   * @param spec the work
   * @param delay at least zero
   * @return true if it was pending before
   */
  CompletionStage<Boolean> modDelayed(WorkSpec spec, Duration delay);

  /**
   * Cancels the work without waiting.
   *
   * @param workId the work's id
   * @return true if it was pending (queued or armed)
   */
  CompletionStage<Boolean> cancel(String workId);

  /**
   * {@code kthread_cancel_delayed_work_sync}: cancels the work and completes once, on the hosting node,
   * it is not pending, not armed and not running; true if it was pending. Waits up to
   * {@code kworker.cluster.wait-timeout}.
   *
   * @param workId the work's id
   * @return true if it was pending
   */
  CompletionStage<Boolean> cancelSync(String workId);

  /**
   * {@link #cancelSync(String)}, waiting up to {@code timeout} for the answer.
   *
   * @param workId the work's id
   * @param timeout how long to wait for the answer
   * @return true if it was pending
   */
  CompletionStage<Boolean> cancelSync(String workId, Duration timeout);

  /**
   * {@code kthread_flush_work}.
   *
   * @param workId the work's id
   * @return completes when the instance queued or running now has run
   */
  CompletionStage<Done> flush(String workId);

  /**
   * {@code kthread_flush_worker}.
   *
   * @return completes when every work queued before the call has run
   */
  CompletionStage<Done> flush();

  /**
   * {@return where the work stands on the hosting node; {@link WorkState#IDLE} for an id never used}
   *
   * @param workId the work's id
   */
  CompletionStage<WorkState> state(String workId);

  /**
   * {@code kthread_destroy_worker}: armed works are cancelled, queued ones run, then the worker ends.
   * A later call creates a fresh, empty worker of the same name (no tombstone without persistence).
   *
   * @return completes when the worker has ended
   */
  CompletionStage<Done> destroy();
}
