package io.kworker;

import java.util.Objects;
import java.util.Optional;

/**
 * A work: a named function that a {@link KWorker} runs on its execution thread, the kernel's
 * {@code struct kthread_work}.
 *
 * <p>A work is an identity. It is pending at most once (queueing a pending work gives {@code false}),
 * runs at most once at a time, and is bound to the worker it was first queued on: it serves one worker
 * at a time, and can move to another only after that worker is destroyed. Works are created with the
 * static factories; users do not implement this interface.
 */
public sealed interface Work permits WorkImpl, DelayedWork {

  /**
   * A work that runs {@code fn}: a lambda without arguments or a method reference, which may throw
   * checked exceptions ({@code Work.of("write", () -> Files.write(path, bytes))},
   * {@code Work.of("flush", connection::flush)}). What it throws is logged and counted by the worker,
   * which goes on.
   *
   * @param name the work's name, in every log line and error about it
   * @param fn what the work runs
   * @return a new work, bound to no worker yet
   * @throws NullPointerException if either argument is null
   */
  static Work of(String name, WorkRunnable fn) {
    return new WorkImpl(name, Objects.requireNonNull(fn, "work function"));
  }

  /**
   * A work that calls {@code fn} with itself, as the kernel calls {@code func(work)}, so that the
   * function can requeue its own work ({@code Work.of("poll", w -> { ...; worker.queue(w); })}).
   *
   * @param name the work's name, in every log line and error about it
   * @param fn what the work runs, given the work
   * @return a new work, bound to no worker yet
   * @throws NullPointerException if either argument is null
   */
  static Work of(String name, WorkFunction<? super Work> fn) {
    return new WorkImpl(name, Objects.requireNonNull(fn, "work function"));
  }

  /** {@return the name given at creation; it appears in every log line and error about this work} */
  String name();

  /** {@return the worker this work is bound to (the one it was last queued on), if any} */
  Optional<KWorker> worker();

  /**
   * Whether a cancel waits for this run: a long work may check it and return early. Something the kernel
   * cannot offer.
   *
   * @return true when called from inside this work's own function while a cancel (with or without a
   *     grace period) or a {@code disableSync} waits for this run to return; false anywhere else
   */
  boolean cancelRequested();
}
