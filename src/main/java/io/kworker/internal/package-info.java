/**
 * INTERNAL API: no compatibility promise (the module {@code io.kworker} does not export this package).
 *
 * <p>A map of the runtime: who calls whom, and which thread owns what.
 *
 * <pre>
 *  caller (any thread)                      worker actor (Akka dispatcher)            lane (kworker/&lt;name&gt;)
 *  ───────────────────                      ──────────────────────────────            ───────────────────────
 *  KWorker.queue(w) ─► WorkerHandle.call ─► Inbox ─┐
 *                                                  ├─► WorkerBehavior ── push(Ticket) ─► Lane: claim, run w,
 *  ref.tell(Command) ─► Akka mailbox ──────────────┤     serves Requests                finish
 *                       (Protocol.toRequest)       │     by their Op row                   │
 *                                                  │                                       │
 *  TimerThread (kworker-timer-&lt;system&gt;) ─ Timer ──►┤◄── Over, via the Inbox ──────────────┤ a watched instance
 *    (or Akka's scheduler under ManualTime)        │    (behind the run's façade calls)    │ is over
 *                                                  └◄── Over, via the mailbox ─────────────┘ (behind the run's
 *                                                       (Lane.commandCreated)               protocol commands)
 * </pre>
 *
 * <ul>
 *   <li>{@link io.kworker.internal.WorkerBehavior}, the actor, owns every work's queueing state (the
 *       fields of {@link io.kworker.internal.KthreadWork}), the armed works, the parked waiters and the
 *       worker's lifecycle; its header states the per-work state machine, the lifecycle and the
 *       invariants. It does what a row of {@link io.kworker.internal.Op} says.
 *   <li>{@link io.kworker.internal.Lane}, the execution thread, owns the head of its queue and the
 *       instance it runs; it touches no worker state but the {@link io.kworker.internal.Ticket}s.
 *   <li>A {@link io.kworker.internal.Ticket} is the one thing the two share: a compare-and-set state
 *       (queued, running, finished, revoked) that decides whether a cancel or the lane's claim wins.
 *   <li>{@link io.kworker.internal.Inbox} is the façade's way in (closable, so no call is lost when the
 *       actor stops; {@link io.kworker.internal.WorkerHandle#answerClosed} answers after that), and the
 *       mailbox the protocol's; {@link io.kworker.internal.TimerThread} holds armed works until their
 *       deadline; {@link io.kworker.internal.SystemShared} holds what an actor system's workers share.
 * </ul>
 */
package io.kworker.internal;
