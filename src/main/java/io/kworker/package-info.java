/**
 * kworker: the Linux kernel's kthread worker for Akka Typed.
 *
 * <p>A {@link io.kworker.KWorker} is an actor that owns a queue of {@link io.kworker.Work}s and runs
 * them, one at a time and in FIFO order, on its own execution thread. {@link io.kworker.DelayedWork}s
 * can also be queued after a delay. Every operation keeps the kernel's semantics and return values
 * ({@code kthread_queue_work} is {@link io.kworker.KWorker#queue}, {@code kthread_cancel_work_sync} is
 * {@link io.kworker.KWorker#cancelSync}, ...; the README has the full table) and returns a
 * {@link java.util.concurrent.CompletionStage}; the same operations are the actor protocol
 * {@link io.kworker.KWorker.Command}. {@link io.kworker.KWorkerExecutor} puts a worker behind the
 * {@link java.util.concurrent.ScheduledExecutorService} interface; its futures add
 * {@link io.kworker.KWorkerFuture#cancelSync()}.
 *
 * <p>Everything in this package is thread-safe. Types in {@code io.kworker.internal} are not API.
 */
package io.kworker;
