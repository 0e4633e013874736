/**
 * INTERNAL API: no compatibility promise.
 *
 * <p>{@link io.kworker.internal.WorkerBehavior} is the worker actor; its header states the per-work
 * state machine and its invariants. {@link io.kworker.internal.Lane} is the execution thread and
 * {@link io.kworker.internal.Ticket} the revocable queued instance the two share.
 * {@link io.kworker.internal.TimerThread} holds armed delayed works until their deadline.
 */
package io.kworker.internal;
