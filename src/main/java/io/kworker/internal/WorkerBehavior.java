package io.kworker.internal;

import akka.Done;
import akka.actor.DeadLetterSuppression;
import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.Behavior;
import akka.actor.typed.ExtensibleBehavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.Signal;
import akka.actor.typed.TypedActorContext;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import io.kworker.DestroyReport;
import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.WorkState;
import io.kworker.WorkStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker actor: the single owner of every work's queueing state. Its mailbox (with the façade's
 * {@link Inbox}) takes the place of the kernel's {@code worker->lock}.
 *
 * <p>INTERNAL API.
 *
 * <pre>
 * Per-work state (fields of {@link KthreadWork}, touched only by this actor)
 *   last/older  the newest instance handed to the {@link Lane} and the one before it that may still run
 *   timer       the armed timer, or null                  (kernel: node on delayed_work_list)
 *   canceling   cancels waiting for the running instance  (kernel: work->canceling)
 *   disabled    the workqueue's disable count
 *
 * Derived states
 *   queued   = last is QUEUED                 (kernel: node on work_list)
 *   armed    = timer != null
 *   pending  = queued || armed                (kernel: work->node on either list)
 *   running  = an instance's run is ongoing: RUNNING, or FINISHED with calls its run made still unserved
 *                                             (kernel: worker->current_work == work)
 *   blocked  = pending || canceling > 0 || disabled > 0 || (draining and the call is not chained)
 *
 * Transitions (the effects of {@link Op}'s rows)
 *   queue / queueDelayed(0)    !blocked: new QUEUED ticket at the lane's tail; true. blocked: false
 *   queueDelayed(d > 0)        !blocked: arm a timer; true. blocked: false
 *   timer expiry               token current: disarm; dropped if canceling, disabled or draining,
 *                              else queued at the tail. Stale token: ignored
 *   modDelayed(d)              canceling, disabled or draining-from-outside: true, nothing changes.
 *                              Else disarm or revoke the pending instance (true iff there was one),
 *                              then arm (or queue at the tail if d = 0)
 *   cancel                     disarm and revoke; true iff something was removed
 *   cancelSync / disableSync   the same, then if running: canceling++ (cancelSync only), watch the
 *                              running ticket; once it is over (invariant 4), canceling-- and the
 *                              answer, unless an older run of the work still has protocol commands
 *                              to serve (later façade calls overtake them): then it waits for that
 *                              run too, and so on.
 *                              The actor settles a run whose calls it serves after the return,
 *                              as it serves the last; the lane one with none left: it puts an
 *                              {@link Over} in the inbox and answers façade callers at once, or, if
 *                              the run sent protocol commands, an Over in the mailbox behind them.
 *                              Serving the Over does canceling-- before any later call is served.
 *                              A grace of 0 interrupts the run at once, a finite one when its timer
 *                              fires (armed before anything changes), NEVER not at all
 *   flush(work)                watch the queued instance, else the running one, else answer at once
 *   flush() / drain / destroy  a barrier ticket at the tail (drain repeats it until no work was queued
 *                              since the barrier); destroy then closes the lane and stops the actor.
 *                              destroy(deadline): at the deadline (0: at once), discard what has not
 *                              started and stop, naming what still runs
 *
 * Invariants
 *   1. A work has at most one QUEUED ticket and at most one RUNNING ticket, and never a QUEUED ticket
 *      and an armed timer together (pending is one state, as the kernel's one list node).
 *   2. While canceling > 0 or disabled > 0 the work is neither queued nor armed, and nothing queues it.
 *   3. A request is answered exactly once: at once, or when the tickets it waits for (one after the
 *      other) are over, or in PostStop (then by {@link WorkerHandle#answerClosed}).
 *   4. A run is over only when the lane has returned from it and the actor has served every call it
 *      made on this worker: a self-requeue made before returning counts before the return, as the
 *      kernel's synchronous kthread_queue_work does. Whoever sees the run over settles it: the lane
 *      after its return if no call is left to serve, else the actor as it serves the last one (and a
 *      call the closed inbox refused leaves its waiters to PostStop). A façade call counts from the
 *      call; a protocol command from its creation on the run's thread until the lane's Over through
 *      the mailbox, which the lane tells after the run, behind the commands the run told. Hence no
 *      call made from inside a run waits on the lane (it could only be answered after that run is
 *      over): it fails at once with an IllegalStateException instead.
 *   5. A cancel decides whether the work runs only after it has revoked the queued instance: a revoke
 *      that loses to the lane's claim leaves an instance that is running, and the cancel waits for it.
 *
 * Worker lifecycle ({@link #state}, ordered; the handle's view of the last two: closed, lane stopped)
 *   OPEN        serves every call.
 *   DESTROYING  a destroy was accepted and its barrier is in the lane: queueing calls fail
 *               (RejectedExecutionException), armed timers are gone, every other call is served; a
 *               later destroy joins this one (with its own deadline, if any).
 *               An instance dropped on the worker's own account (disarmed here, discarded at a deadline
 *               or in PostStop, an expiry dropped by a drain) or a queueing refused by DESTROYING or
 *               later tells its work: {@link KthreadWork#dropped}.
 *   STOPPING    the barrier came out of the lane, or a destroy deadline passed (destroyReport): the actor
 *               stops after the message it is serving, and serves nothing more.
 *   STOPPED     PostStop has run (straight from OPEN if the parent stopped or the system terminated):
 *               the inbox is closed, and {@link WorkerHandle#answerClosed} answers every call, at once
 *               unless it waits for the run the lane is still in ({@link Op.WaitsOn}).
 *   CLOSED      STOPPED, and the lane has returned from its last work: the works may move to another
 *               worker (KthreadWork.bindTo).
 * </pre>
 */
public final class WorkerBehavior extends ExtensibleBehavior<Object> {
  private static final Logger LOG = LoggerFactory.getLogger(KWorker.class);
  private static final int MAX_DISABLE = 1 << 16;

  static final int OPEN = 0;
  static final int DESTROYING = 1;
  static final int STOPPING = 2;
  static final int STOPPED = 3;

  /** Tells the worker actor that its {@link Inbox} has entries. */
  static final class Wake implements DeadLetterSuppression, NoSerializationVerificationNeeded {
    static final Wake INSTANCE = new Wake();

    private Wake() {}
  }

  /** Asks a worker actor for its handle, so that a façade can be put over a spawned ref. */
  public record GetHandle(CompletableFuture<WorkerHandle> future) implements NoSerializationVerificationNeeded {}

  private final ActorContext<Object> context;
  private final WorkerHandle handle;
  private final Lane lane;
  private final int inboxBatch;
  private final WorkerStats stats;
  private final Timers timers;
  /** The worker's JMX bean, or null. */
  private final WorkerMBean mbean;
  /** The lifecycle state: OPEN, DESTROYING, STOPPING, STOPPED. */
  private int state = OPEN;
  /** Tickets with parked requests, to answer them if the actor stops first. */
  private final TicketSet parked = new TicketSet();
  /** The armed works (the kernel's delayed_work_list). */
  private final ArmedWorks armed = new ArmedWorks();
  /** Drains in progress; while > 0 only chained queueing is accepted. */
  private int draining;
  /** Instances handed to the lane so far: a drain round that saw no new one is the last. */
  private long dispatched;
  /** From DESTROYING on: the destroy's barrier, and the destroys to answer once the actor stops. */
  private Ticket destroyBarrier;
  private List<Request> destroyers = List.of();
  /** Set when a destroy deadline passed: what the destroys with a deadline answer. */
  private DestroyReport destroyReport;
  /** The armed works the destroy disarmed, for its reports. */
  private List<Work> disarmed = List.of();
  /** Requests with an armed grace or deadline timer, to cancel them all if the actor stops. */
  private List<Request> timed = List.of();

  private WorkerBehavior(ActorContext<Object> context, WorkerHandle handle, Settings settings) {
    this.context = context;
    this.handle = handle;
    this.inboxBatch = settings.inboxBatch();
    this.stats = handle.stats();
    this.timers = Timers.of(context.getSystem());
    this.lane = new Lane(handle,
        settings.laneExecutor(context.getSystem(), handle.logName()), settings.laneBatch());
    handle.started(lane);
    this.mbean = handle.instrumentation.jmxFor(settings)
        ? WorkerMBean.register(handle, context.getSystem(), context.getSelf().path().toString(),
            settings.execution())
        : null;
  }

  /**
   * The worker actor serving {@code handle}; whoever spawns it sets the handle's ref first. Its messages
   * are the public {@link KWorker.Command}s and the internal ones here; the public face of it is this
   * behavior narrowed to {@code Command}, so that nobody else can send it the internal ones.
   */
  public static Behavior<Object> create(WorkerHandle handle, Settings settings) {
    return Behaviors.setup(context -> {
      if (handle.ref() == null) {
        handle.setRef(context.getSelf());
      } else if (!handle.ref().equals(context.getSelf())) {
        throw new IllegalStateException("the behavior of worker [" + handle.logName()
            + "] is already running as " + handle.ref() + "; spawn KWorker.behavior(name) again instead");
      }
      try {
        return new WorkerBehavior(context, handle, settings);
      } catch (RuntimeException e) {
        handle.failedToStart(e); // no PostStop will come: answer the calls here
        throw e;
      }
    });
  }

  // A plain ExtensibleBehavior rather than AbstractBehavior: a receive builder costs about 300 bytes
  // per actor, which is a sixth of an idle worker.
  @Override
  public Behavior<Object> receive(TypedActorContext<Object> ctx, Object m) {
    try {
      return receive(m);
    } finally {
      lane.submitDue(); // the lane's thread wakes after this message's answers (Lane.push)
    }
  }

  private Behavior<Object> receive(Object m) {
    if (m == Wake.INSTANCE) {
      onWake();
    } else if (m instanceof Timer tm) {
      onTimer(tm);
    } else if (m instanceof KWorker.Command c) {
      onCommand(c);
    } else if (m instanceof Over o) {
      handle.inbox.takeEarlier(this::serve); // the run's façade calls, and any earlier ones, first
      onOver(o);
    } else if (m instanceof GetHandle g) {
      g.future().complete(handle);
    } else {
      LOG.warn("Worker [{}] ignores unknown message {}", handle.logName(), m);
    }
    return state == STOPPING ? Behaviors.stopped() : this; // JDI mark [handled]: CancelSyncLateCommandTest
  }

  @Override
  public Behavior<Object> receiveSignal(TypedActorContext<Object> ctx, Signal signal) {
    return signal instanceof PostStop ? onPostStop() : Behaviors.unhandled();
  }

  // ---------------------------------------------------------------- messages

  private void onWake() {
    for (int i = 0; i < inboxBatch; i++) {
      Inbox.Entry e = handle.inbox.poll();
      if (e == null) {
        if (handle.inbox.sleep()) {
          return; // JDI mark [idle]: DeferredWakeTest holds the actor here
        }
        continue;
      }
      serve(e);
      lane.submitDue(); // this call is answered: the lane need not wait for the rest of the batch
      if (state == STOPPING) { // JDI mark [served]: CancelSyncLateCommandTest holds the actor here
        return; // the destroy barrier came out of the lane
      }
    }
    context.getSelf().tell(Wake.INSTANCE); // more to come: let other messages in first
  }

  private void onCommand(KWorker.Command command) {
    handle.inbox.takeEarlier(this::serve); // façade calls the sender made before this command go first
    Request r = Protocol.toRequest(command);
    r.caller = lane.commander(command); // a command a run of this worker created is a call of that run
    serve(r);
  }

  private void serve(Inbox.Entry e) {
    if (e instanceof Request r) {
      serve(r);
    } else {
      onOver((Over) e);
    }
  }

  /**
   * The lane is past a watched instance: through the inbox, every call its run made was served before
   * (the lane saw none left to serve), and the lane took the waiters; through the mailbox, every protocol
   * command that runs sent from its thread before was served, and the waiters are still on the ticket.
   */
  private void onOver(Over o) {
    Ticket t = o.ticket;
    if (o.waiters != null) {
      settle(t, o.waiters);
      return;
    }
    if (lane.commandsOver(t)) {
      t.callServed(); // the run's one count for all its commands (invariant 4)
    }
    if (!t.ongoing() && t.isWatched()) {
      settle(t, t.takeWaiters());
    }
  }

  private void onTimer(Timer tm) {
    Object subject = tm.subject;
    boolean stale = subject == null // cancelled: its expiry was on its way already
        || (subject instanceof KthreadWork w && (w.timer != tm || w.boundHandle() != handle));
    if (stale) {
      LOG.trace("Worker [{}] ignores a stale timer", handle.logName());
    } else if (timers.expired(tm)) { // else re-armed for the rest of a delay longer than one step
      if (subject instanceof Ticket running) {
        tm.subject = null;
        interrupt(running); // a cancel's grace period is over
      } else if (subject instanceof Request destroy) {
        onDestroyDeadline(destroy);
      } else {
        onExpiry((KthreadWork) subject);
      }
    }
  }

  private void onExpiry(KthreadWork w) {
    disarm(w);
    if (w.canceling > 0 || w.disabled > 0) {
      countRefused(w);
      LOG.debug("Worker [{}] drops the expiry of work [{}]: a cancel or disable is in progress",
          handle.logName(), w.logName());
    } else if (draining > 0) {
      LOG.info("Worker [{}] drops the expiry of work [{}]: the worker is draining", handle.logName(),
          w.logName());
      w.notifyDropped(true, handle.logName());
    } else {
      dispatch(w);
    }
  }

  private void interrupt(Ticket running) {
    if (running.phase() == Ticket.RUNNING) {
      LOG.info("Worker [{}] interrupts work [{}]: its cancel grace period is over", handle.logName(),
          running.work.logName());
      lane.interrupt(running);
    }
  }

  // ---------------------------------------------------------------- serving a call

  private void serve(Request r) {
    try {
      if (admit(r)) {
        r.op.effect.accept(this, r);
      }
    } catch (RuntimeException e) {
      // a bug or a refusal from below (the scheduler, say) must cost one call, not the worker
      LOG.error("Worker [{}] failed to serve {}", handle.logName(), r, e);
      r.fail(e);
    }
    if (r.removed) { // a cancel or disable took a pending instance out
      stats.cancelled();
    }
    if (r.countedCall && r.caller.callServed() && r.caller.isWatched()) {
      // the last call of a run that was over: whoever waited for it may go on (unless the lane
      // made its Over, and so took its waiters, in which case that settles them)
      settle(r.caller, r.caller.takeWaiters());
    }
  }

  /** The row's admission: whether the call gets to its effect; if not, it is answered here. */
  private boolean admit(Request r) {
    switch (r.op.admission) {
      case QUEUEING:
        if (state >= DESTROYING) {
          r.fail(handle.refused(r, "is being destroyed"));
          r.work.notifyDropped(false, handle.logName());
          return false;
        }
        return bind(r);
      case BINDS:
        return bind(r);
      case BOUND:
        return boundHere(r);
      default:
        return true;
    }
  }

  private boolean bind(Request r) {
    if (r.work.bindTo(handle)) {
      return true;
    }
    WorkerHandle other = r.work.boundHandle();
    r.fail(new IllegalArgumentException("work [" + r.work.logName() + "] is bound to worker ["
        + other.logName() + "], which is alive; a work serves one worker at a time, so "
        + opName(r) + " on worker [" + handle.logName() + "] is refused (destroy [" + other.logName()
        + "] first, or use another Work)"));
    return false;
  }

  /** A work never queued here (or whose worker is gone) is idle as far as this worker knows. */
  private boolean boundHere(Request r) {
    WorkerHandle b = r.work.boundHandle();
    if (b == handle) {
      return true;
    }
    if (b != null && !b.isClosed()) {
      r.fail(new IllegalArgumentException("work [" + r.work.logName() + "] is bound to worker ["
          + b.logName() + "], not to worker [" + handle.logName() + "]; " + opName(r) + " must go to worker ["
          + b.logName() + "]"));
      return false;
    }
    r.succeed(r.op.idleAnswer(r));
    return false;
  }

  // ---------------------------------------------------------------- effects, one per row of Op

  /** queue and queueDelayed (a zero delay queues at the tail at once). */
  void queue(Request r) {
    KthreadWork w = r.work;
    if (blocked(w, r)) {
      countRefused(w);
      r.succeed(Boolean.FALSE);
      return;
    }
    if (r.nanos <= 0) {
      dispatch(w);
    } else {
      arm(w, r.nanos, r.deadline);
    }
    r.succeed(Boolean.TRUE);
  }

  /** The kernel's kthread_mod_delayed_work after the 2021 fixes; the answer is a reference count. */
  void mod(Request r) {
    KthreadWork w = r.work;
    if (w.canceling > 0 || w.disabled > 0 || refusedByDrain(r)) {
      countRefused(w);
      r.succeed(Boolean.TRUE); // the other party wins; the number of pending instances is unchanged
      return;
    }
    boolean wasPending = removePending(w);
    if (r.nanos <= 0) {
      dispatch(w);
    } else {
      arm(w, r.nanos, r.deadline);
    }
    r.succeed(wasPending);
  }

  /** cancel and cancelSync (which then waits for the running instance, see the header). */
  void cancel(Request r) {
    KthreadWork w = r.work;
    boolean sync = r.op == Op.CANCEL_SYNC;
    if (sync && waitsForItself(r)) {
      return;
    }
    // The grace timer first: arming is the one step that can fail, and then nothing has changed.
    Timer grace = null;
    if (sync && r.nanos > 0 && r.nanos != Durations.NEVER) {
      grace = timers.newTimer(null, context.getSelf());
      timers.arm(grace, r.nanos);
    }
    r.removed = removePending(w);
    // Only after the removal: a revoke that lost to the lane's claim leaves a running instance.
    Ticket running = sync ? parkOnARun(r) : null;
    if (running == null) {
      if (grace != null) {
        timers.cancel(grace);
      }
      r.succeed(r.removed);
      return;
    }
    // Reply only once the running instance is finished: that is what makes the cancel "sync".
    w.canceling++;
    if (grace != null) {
      grace.subject = running;
      timed(r, grace);
    } else if (r.nanos == 0) {
      interrupt(running);
    }
  }

  /** disable and disableSync. */
  void disable(Request r) {
    KthreadWork w = r.work;
    boolean sync = r.op == Op.DISABLE_SYNC;
    if (sync && waitsForItself(r)) {
      return;
    }
    if (w.disabled == MAX_DISABLE) {
      r.fail(new IllegalStateException("work [" + w.logName() + "] on worker [" + handle.logName()
          + "] is already disabled " + MAX_DISABLE + " times; the count would overflow"));
      return;
    }
    w.disabled++;
    r.removed = removePending(w);
    if (!sync || parkOnARun(r) == null) {
      r.succeed(r.removed);
    }
  }

  /** enable (answers whether the count reached zero) and enableAndQueue (then queues). */
  void enable(Request r) {
    KthreadWork w = r.work;
    if (w.disabled == 0) {
      r.fail(new IllegalStateException("work [" + w.logName() + "] on worker [" + handle.logName()
          + "] is not disabled; " + opName(r) + " would underflow its disable count"));
      return;
    }
    boolean reachedZero = --w.disabled == 0;
    if (r.op == Op.ENABLE) {
      r.succeed(reachedZero);
    } else if (refusedByDrain(r)) {
      r.succeed(Boolean.FALSE); // enabled, as the workqueue's enable_work, but the queueing is refused
    } else {
      if (reachedZero && !blocked(w, r)) {
        dispatch(w);
      }
      r.succeed(reachedZero);
    }
  }

  void flushWork(Request r) {
    Ticket target = queuedOrOngoing(r.work);
    if (target != null && callerWouldWait(r)) {
      return;
    }
    if (target == null || !park(target, r, false)) {
      r.succeed(Done.getInstance());
    }
  }

  /** The workqueue's flush_delayed_work: an armed timer fires now, then the work is flushed. */
  void flushDelayed(Request r) {
    KthreadWork w = r.work;
    boolean armedNow = w.timer != null;
    Ticket target = armedNow ? null : queuedOrOngoing(w);
    if ((armedNow || target != null) && callerWouldWait(r)) {
      return;
    }
    if (armedNow) {
      if (refusedByDrain(r)) {
        r.succeed(Boolean.FALSE); // the timer stays armed: nothing is lost
        return;
      }
      disarm(w);
      target = dispatch(w);
    }
    r.waited = target != null; // what it answers even if the worker stops meanwhile
    if (target == null || !park(target, r, false)) {
      r.succeed(r.waited);
    }
  }

  void status(Request r) {
    KthreadWork w = r.work;
    boolean running = ongoing(w) != null;
    WorkState state;
    if (w.timer != null) {
      state = running ? WorkState.RUNNING_AND_ARMED : WorkState.ARMED;
    } else if (w.last != null && w.last.isQueued()) {
      state = running ? WorkState.RUNNING_AND_PENDING : WorkState.PENDING;
    } else {
      state = running ? WorkState.RUNNING : WorkState.IDLE;
    }
    Optional<Duration> expiresIn = w.timer == null ? Optional.empty()
        : Optional.of(Duration.ofNanos(Math.max(0, w.timer.deadline - System.nanoTime())));
    r.succeed(new WorkStatus((Work) w, state, w.canceling, w.disabled, expiresIn));
  }

  void flushWorker(Request r) {
    if (!callerWouldWait(r)) {
      lane.push(barrier(r));
    }
  }

  void drain(Request r) {
    if (!callerWouldWait(r)) {
      draining++;
      lane.push(drainBarrier(r));
    }
  }

  /** destroy and destroy(deadline): OPEN to DESTROYING, or joins the destroy under way. */
  void destroy(Request r) {
    if (callerWouldWait(r)) {
      return;
    }
    boolean deadline = r.op == Op.DESTROY_REPORT && r.nanos != Durations.NEVER;
    if (deadline && r.nanos > 0) {
      Timer tm = timers.newTimer(r, context.getSelf());
      timers.arm(tm, r.nanos); // first: arming is the one step that can fail
      timed(r, tm);
    }
    if (destroyers.isEmpty()) {
      destroyers = new ArrayList<>(1);
    }
    destroyers.add(r);
    if (state == OPEN) {
      int n = armed.size();
      if (n > 0) {
        LOG.warn("Worker [{}] is destroyed while {} delayed work(s) are armed: their timers are cancelled "
            + "and they will not run: {}", handle.logName(), n, armed.names());
      }
      disarmed = disarmAll();
      destroyBarrier = new Ticket(null, Ticket.WATCHED);
      parked.add(destroyBarrier);
      lane.push(destroyBarrier);
      state = DESTROYING;
      for (Work w : disarmed) {
        ((KthreadWork) w).notifyDropped(true, handle.logName());
      }
    }
    if (deadline && r.nanos == 0) {
      onDestroyDeadline(r);
    }
  }

  // ---------------------------------------------------------------- settling

  /**
   * Answers those waiting for an instance that is over: finished (with every call its run made
   * served), skipped, or a barrier reached. Façade callers may have had their answer from the lane
   * already; answering again is a no-op for them.
   */
  private void settle(Ticket t, List<Request> waiters) {
    parked.remove(t);
    for (Request r : waiters) {
      boolean syncCancel = r.op == Op.CANCEL_SYNC || r.op == Op.DISABLE_SYNC;
      if (syncCancel && lane.commandedRunOf(r.work) != null && parkOnARun(r) != null) {
        continue; // an older run of the work still has commands to serve: canceling stays up
      }
      if (r.op == Op.CANCEL_SYNC) {
        assert r.work.canceling > 0 : "canceling underflow on " + r;
        r.work.canceling--;
        cancelTimer(r);
      }
      if (r.op == Op.DRAIN) {
        drainRound(r);
      } else {
        r.succeed(r.op.settledAnswer(r));
      }
    }
    if (t == destroyBarrier && state == DESTROYING) {
      state = STOPPING;
    }
  }

  /** A drain barrier came out of the lane: done if nothing was queued since it went in. */
  private void drainRound(Request r) {
    if (r.mark == dispatched) {
      draining--;
      r.succeed(Done.getInstance());
      return;
    }
    if (++r.rounds == 10 || r.rounds % 100 == 0) {
      LOG.warn("Worker [{}] is still draining after {} rounds: its works keep queueing chained works",
          handle.logName(), r.rounds);
    }
    lane.push(drainBarrier(r));
  }

  // ---------------------------------------------------------------- stopping

  /**
   * The deadline of destroy(Duration) passed: DESTROYING to STOPPING, discarding what did not start and
   * naming what still runs. With nothing running and nothing to discard, the lane reaches the barrier at
   * once: no report.
   */
  private void onDestroyDeadline(Request r) {
    cancelTimer(r);
    if (state != DESTROYING || !parked.contains(destroyBarrier)) {
      return; // finished in time
    }
    Set<Ticket> unfinished = new LinkedHashSet<>();
    lane.unfinished(destroyBarrier, unfinished);
    List<Work> running = new ArrayList<>();
    List<Work> discarded = new ArrayList<>();
    for (Ticket t : unfinished) {
      if (t.work == null) {
        continue;
      }
      if (t.revoke()) {
        stats.cancelled();
        discarded.add((Work) t.work);
      } else if (t.phase() == Ticket.RUNNING) {
        running.add((Work) t.work);
      }
    }
    if (running.isEmpty() && discarded.isEmpty()) {
      return;
    }
    LOG.warn("Worker [{}] missed its destroy deadline: still running {}, discarded without running {}",
        handle.logName(), Names.firstFew(running), Names.firstFew(discarded));
    destroyReport = new DestroyReport(false, running, discarded, disarmed);
    state = STOPPING;
    for (Work w : discarded) {
      ((KthreadWork) w).notifyDropped(true, handle.logName());
    }
  }

  /**
   * To STOPPED. In this order: nothing new gets in, nothing more runs, nothing stays armed, the works'
   * fields are done with, and only then is anyone told that the worker is gone.
   */
  private Behavior<Object> onPostStop() {
    state = STOPPED;
    // 1. No more JMX, and no more calls: the inbox refuses from now on (late callers answer themselves).
    if (mbean != null) {
      mbean.unregister();
    }
    List<Inbox.Entry> late = handle.inbox.close();
    // 2. The lane takes no ticket after the one it runs now; a dedicated thread ends after it.
    lane.close();
    // 3. Armed works are disarmed, one log line for all of them.
    List<Work> dropped = List.of();
    if (armed.size() > 0) {
      LOG.warn("Worker [{}] stopped while {} delayed work(s) were armed: they will not run: {}",
          handle.logName(), armed.size(), armed.names());
      dropped = disarmAll();
    }
    // 4. Queued works are revoked (one log line), and the one the lane still runs, if any, is named.
    Set<Ticket> left = new LinkedHashSet<>();
    lane.unfinished(null, left);
    List<Work> revoked = new ArrayList<>();
    Ticket stillRunning = null;
    for (Ticket t : left) {
      if (t.work == null) {
        continue;
      }
      if (t.revoke()) {
        stats.cancelled();
        revoked.add((Work) t.work);
      } else if (t.phase() == Ticket.RUNNING) {
        stillRunning = t; // claimed by the lane: it runs to its end
      }
    }
    if (!revoked.isEmpty()) {
      LOG.warn("Worker [{}] stopped while {} work(s) were queued: they will not run: {}", handle.logName(),
          revoked.size(), Names.firstFew(revoked));
    }
    // 5. No grace or deadline timer outlives the actor (waiters the lane took included).
    for (Request r : List.copyOf(timed)) {
      cancelTimer(r);
    }
    // 6. Done with the works' fields: from here on they may move to another worker, once the lane has
    //    returned too. The handle learns what the lane still runs, for the calls answered from now on.
    handle.markClosed(stillRunning);
    // 7. The works dropped here learn it, then the destroys: the report if their deadline passed, else
    //    when the lane has returned.
    for (Work w : dropped) {
      ((KthreadWork) w).notifyDropped(true, handle.logName());
    }
    for (Work w : revoked) {
      ((KthreadWork) w).notifyDropped(true, handle.logName());
    }
    for (Request r : destroyers) {
      r.disarmed = disarmed;
      if (r.op == Op.DESTROY_REPORT && destroyReport != null) {
        r.succeed(destroyReport); // the deadline passed: answer now, not when the stuck work returns
      } else {
        handle.answerClosed(r);
      }
    }
    // 8. The parked calls, and 9. those that got into the inbox before it closed.
    for (Ticket t : parked.toList()) {
      t.takeWaiters().forEach(handle::answerClosed); // those the lane took are in its Over, in `late`
    }
    for (Inbox.Entry e : late) {
      handle.answerClosed(e);
    }
    LOG.debug("Worker [{}] stopped", handle.logName());
    return this;
  }

  /** Disarms every armed work; the works, in the order the list had them. */
  private List<Work> disarmAll() {
    List<Work> works = new ArrayList<>(armed.size());
    for (Timer tm = armed.first(); tm != null; tm = armed.first()) {
      KthreadWork w = (KthreadWork) tm.subject;
      countCancelled(disarm(w));
      works.add((Work) w);
    }
    return works;
  }

  // ---------------------------------------------------------------- helpers

  private boolean blocked(KthreadWork w, Request r) {
    return pending(w) || w.canceling > 0 || w.disabled > 0 || refusedByDrain(r);
  }

  /** While draining only chained queueing (from a work running on this worker) is accepted. */
  private boolean refusedByDrain(Request r) {
    if (draining == 0 || r.caller != null) {
      return false;
    }
    LOG.info("Worker [{}] is draining: {} of work [{}] from outside its works is refused", handle.logName(),
        opName(r), r.work.logName());
    if (!pending(r.work)) { // a refused mod leaves a pending instance as it was
      r.work.notifyDropped(false, handle.logName());
    }
    return true;
  }

  /**
   * Invariant 4: a call made by a work of this worker that would wait for the lane while that work
   * runs fails at once (the kernel deadlocks here).
   */
  private boolean callerWouldWait(Request r) {
    if (r.caller == null || !r.caller.ongoing()) {
      return false;
    }
    String target = r.work == null ? "" : " of work [" + r.work.logName() + "]";
    r.fail(new IllegalStateException(opName(r) + target + " was called from inside work ["
        + r.caller.work.logName() + "] running on worker [" + handle.logName()
        + "]; it could only complete after that work returns, so it would wait for itself"));
    return true;
  }

  /**
   * A cancel-sync or disable-sync of the caller's own running work. While the caller runs, the lane
   * is busy with it, so no other instance can start: the caller's work is the only one it could wait on.
   */
  private boolean waitsForItself(Request r) {
    return r.caller != null && r.caller.work == r.work && callerWouldWait(r);
  }

  private static boolean pending(KthreadWork w) {
    return w.timer != null || (w.last != null && w.last.isQueued());
  }

  private Ticket ongoing(KthreadWork w) {
    if (w.last != null && w.last.ongoing()) {
      return w.last;
    }
    if (w.older != null && w.older.ongoing()) {
      return w.older;
    }
    return lane.commandedRunOf(w); // a run with commands still to serve, no longer last or older
  }

  private Ticket queuedOrOngoing(KthreadWork w) {
    return w.last != null && w.last.isQueued() ? w.last : ongoing(w);
  }

  /** Hands a new instance to the lane (invariant 1: the work is not pending). */
  private Ticket dispatch(KthreadWork w) {
    assert !pending(w) : "invariant 1: work [" + w + "] is pending already";
    Ticket t = new Ticket(w, Ticket.QUEUED);
    if (stats.timings) {
      t.queuedAt = System.nanoTime();
    }
    stats.queued();
    if (w.last != null && w.last.phase() != Ticket.REVOKED) {
      w.older = w.last; // a revoked one never runs; keep the instance that may
    }
    w.last = t;
    dispatched++;
    lane.push(t);
    return t;
  }

  /** Takes out the armed timer or the queued instance; true iff there was one. */
  private boolean removePending(KthreadWork w) {
    if (disarm(w)) {
      return true;
    }
    if (w.last != null && w.last.revoke()) {
      lane.revoked(w.last); // so that the work, and what it holds, is not kept by the lane's queue
      w.last = null; // an unlinked ticket keeps its link on: the work must not pin what follows it
      return true;
    }
    return false;
  }

  /** Arms {@code w} for {@code delayNanos}, or until {@code at} if the caller reckoned it (else 0). */
  private void arm(KthreadWork w, long delayNanos, long at) {
    assert !pending(w) && w.canceling == 0 && w.disabled == 0 : "invariants 1 and 2: " + w;
    Timer tm = timers.newTimer(w, context.getSelf());
    timers.arm(tm, delayNanos, at); // first: if it throws, nothing has changed
    w.timer = tm;
    armed.add(tm);
  }

  private boolean disarm(KthreadWork w) {
    Timer tm = w.timer;
    if (tm == null) {
      return false;
    }
    timers.cancel(tm); // an expiry already on its way is dropped by onTimer: its subject is null
    armed.remove(tm);
    tm.subject = null;
    w.timer = null;
    return true;
  }

  /** {@code r} (a cancel-sync or a destroy) waits for {@code tm}, until it is answered or the actor stops. */
  private void timed(Request r, Timer tm) {
    r.timer = tm;
    if (timed.isEmpty()) {
      timed = new ArrayList<>(1);
    }
    timed.add(r);
  }

  /** A cancel-sync or destroy that is answered no longer needs its timer. */
  private void cancelTimer(Request r) {
    Timer tm = r.timer;
    if (tm != null) {
      r.timer = null;
      tm.subject = null;
      timers.cancel(tm);
      timed.remove(r);
    }
  }

  /**
   * Parks a cancelSync or disableSync on a run of its work that is not over, if any. A run's protocol
   * commands go through the mailbox and façade calls can overtake them ({@link Lane#commandedRunOf}), so
   * a newer run can be over while an older one still has a requeue to serve: the call then waits for
   * each such run in turn ({@link #settle} parks it again). The kernel's requeue took effect before its
   * run returned, and the cancel removed it; here it comes after, and the waiting cancel refuses it:
   * either way the work is not pending once the cancel answers.
   */
  private Ticket parkOnARun(Request r) {
    KthreadWork w = r.work;
    Ticket t = ongoing(w);
    if (t == null || park(t, r, true)) {
      return t;
    }
    // over between ongoing() and watch(); an older run may still have commands to serve
    Ticket commanded = lane.commandedRunOf(w);
    return commanded != null && commanded != t && park(commanded, r, true) ? commanded : null;
  }

  /** Parks {@code r} until the lane says {@code t} is over; false if {@code t} is already done. */
  private boolean park(Ticket t, Request r, boolean cancel) {
    if (!t.watch(cancel)) {
      return false; // over already
    }
    if (!t.addWaiter(r)) { // JDI mark [watched]: CancelSyncRequeueRaceTest holds the actor here
      return false; // the lane has just taken the waiters: the run ended with every call served
    }
    parked.add(t);
    return true;
  }

  private Ticket barrier(Request r) {
    Ticket b = new Ticket(null, Ticket.WATCHED);
    b.addWaiter(r);
    parked.add(b);
    return b;
  }

  private Ticket drainBarrier(Request drain) {
    drain.mark = dispatched;
    return barrier(drain);
  }

  private static String opName(Request r) {
    return r.op.methodName();
  }

  /** Stats: a queueing refused (or an expiry dropped) while a cancel of {@code w} is in progress. */
  private void countRefused(KthreadWork w) {
    if (w.canceling > 0) {
      stats.refusedWhileCanceling();
    }
  }

  /** Stats: {@code removed} says a pending instance was taken out before it ran. */
  private void countCancelled(boolean removed) {
    if (removed) {
      stats.cancelled();
    }
  }
}
