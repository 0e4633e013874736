package io.kworker.internal;

import akka.Done;
import akka.actor.typed.Behavior;
import akka.actor.typed.ExtensibleBehavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.Signal;
import akka.actor.typed.TypedActorContext;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import io.kworker.DestroyReport;
import io.kworker.KWorker;
import io.kworker.KWorker.Command;
import io.kworker.Work;
import io.kworker.WorkState;
import io.kworker.WorkStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker actor: the single owner of every work's queueing state. Its mailbox (with the façade's
 * {@link Inbox}) takes the place of the kernel's {@code worker->lock}.
 *
 * <p>INTERNAL API.
 *
 * <pre>
 * Per-work state (fields of {@link WorkCore}, touched only by this actor)
 *   last/older  the newest instance handed to the {@link Lane} and the one before it that may still run
 *   timer       the armed timer, or null                  (kernel: node on delayed_work_list)
 *   canceling   cancels waiting for the running instance  (kernel: work->canceling)
 *   disabled    the workqueue's disable count
 *
 * Derived states
 *   queued   = last is QUEUED                 (kernel: node on work_list)
 *   armed    = timer != null
 *   pending  = queued || armed                (kernel: !list_empty(&work->node))
 *   running  = last or older is RUNNING, or FINISHED with calls its run made still unserved
 *                                             (kernel: worker->current_work == work)
 *   blocked  = pending || canceling > 0 || disabled > 0 || (draining && the call is not chained)
 *
 * Transitions (message -> effect)
 *   queue / queueDelayed(0)    !blocked: new QUEUED ticket at the lane's tail; true. blocked: false
 *   queueDelayed(d > 0)        !blocked: arm a timer; true. blocked: false
 *   timer expiry               token current: disarm; dropped if canceling, disabled or draining,
 *                              else queued at the tail. Stale token: ignored
 *   modDelayed(d)              canceling, disabled or draining-from-outside: true, nothing changes.
 *                              Else disarm or revoke the pending instance (true iff there was one),
 *                              then arm (or queue at the tail if d = 0)
 *   cancel                     disarm and revoke; true iff something was removed
 *   cancelSync / disableSync   the same, then if running: canceling++ (cancelSync only), watch the
 *                              running ticket; when it is over the lane answers façade callers at
 *                              once and queues a report in the inbox, behind the run's own calls;
 *                              serving the report does canceling-- before any later call is served.
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
 *   3. A request is answered exactly once: at once, or by the lane's report on the ticket it watches,
 *      or in PostStop (after the lane has returned from its last work).
 *   4. A run is over only when the lane has returned from it and the actor has served every call it
 *      made on this worker: a self-requeue made before returning counts before the return, as the
 *      kernel's synchronous kthread_queue_work does. A façade call counts from the call; a protocol
 *      command from its creation on the run's thread until the lane's RunOver, which the lane tells
 *      after the run, behind the commands the run told. Hence no call made from inside a run waits
 *      on the lane (it could only be answered after that run is over): it fails at once with an
 *      IllegalStateException instead.
 *   5. A cancel decides whether the work runs only after it has revoked the queued instance: a revoke
 *      that loses to the lane's claim leaves an instance that is running, and the cancel waits for it.
 * </pre>
 */
public final class WorkerBehavior extends ExtensibleBehavior<Command> {
  private static final Logger LOG = LoggerFactory.getLogger(KWorker.class);
  private static final int MAX_DISABLE = 1 << 16;
  /** How many names a log line about many works shows. */
  private static final int LOGGED_NAMES = 5;

  private final ActorContext<Command> context;
  private final WorkerHandle handle;
  private final Lane lane;
  private final int inboxBatch;
  private final WorkerStats stats;
  private final Timers timers;
  /** The worker's JMX bean, or null. */
  private final WorkerMBean mbean;
  /** Tickets with parked requests, to answer them if the actor stops first. */
  private Object watched; // null, one Ticket, or a Set of them: most waits are one at a time, and 100k idle workers add up
  /** Head of the list of armed works' timers (the kernel's delayed_work_list). */
  private Timer armed;
  /** How many timers are on that list. */
  private int armedCount;
  /** Drains in progress; while > 0 only chained queueing is accepted. */
  private int draining;
  /** Instances handed to the lane so far: a drain round that saw no new one is the last. */
  private long dispatched;
  /** Set once destroy is accepted; from then on queueing is refused. */
  private Ticket destroyBarrier;
  /** Set when the destroy barrier came out of the lane: the actor stops after the current message. */
  private boolean stopping;
  private List<Request> destroyers = List.of();
  /** Requests with an armed grace or deadline timer, to cancel them all if the actor stops. */
  private List<Request> timed = List.of();
  private DestroyReport destroyReport;

  private WorkerBehavior(ActorContext<Command> context, WorkerHandle handle, Settings settings) {
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

  /** The worker actor serving {@code handle}; whoever spawns it sets the handle's ref first. */
  public static Behavior<Command> create(WorkerHandle handle, Settings settings) {
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
  public Behavior<Command> receive(TypedActorContext<Command> ctx, Command m) {
    if (m == Wake.INSTANCE) {
      return onWake();
    } else if (m instanceof Timer tm) {
      return onTimer(tm);
    } else if (m instanceof RunOver o) {
      return onRunOver(o.ticket());
    } else if (m instanceof GetHandle g) {
      return onGetHandle(g);
    }
    return onProtocol(m);
  }

  @Override
  public Behavior<Command> receiveSignal(TypedActorContext<Command> ctx, Signal signal) {
    return signal instanceof PostStop ? onPostStop() : Behaviors.unhandled();
  }

  // ---------------------------------------------------------------- messages

  private Behavior<Command> onWake() {
    for (int i = 0; i < inboxBatch; i++) {
      Request r = handle.inbox.poll();
      if (r == null) {
        if (handle.inbox.sleep()) {
          return this;
        }
        continue;
      }
      serve(r);
      if (stopping) {
        return Behaviors.stopped(); // the destroy barrier came out of the lane
      }
    }
    context.getSelf().tell(Wake.INSTANCE); // more to come: let other messages in first
    return this;
  }

  private Behavior<Command> onProtocol(Command command) {
    handle.inbox.drainTo(this::serve); // façade calls the sender made before this command go first
    Request r = Protocol.toRequest(command);
    if (r == null) {
      LOG.warn("Worker [{}] ignores unknown command {}", handle.logName(), command);
    } else {
      r.caller = lane.commander(command); // a command a run of this worker created is a call of that run
      serve(r);
    }
    return stopping ? Behaviors.stopped() : this;
  }

  /**
   * The lane is past {@code t}, and every protocol command that runs sent from its thread before is
   * served: the commands of {@code t}'s own run, which then is over (invariant 4), or of an earlier run,
   * which a barrier's answer must not overtake. The lane made no report, so the waiters are on the ticket.
   */
  private Behavior<Command> onRunOver(Ticket t) {
    handle.inbox.drainTo(this::serve); // the run's façade calls, too
    if (lane.commandsOver(t)) {
      t.callServed();
    }
    if (!t.isRunning() && t.isWatched()) {
      settle(t, t.takeWaiters());
    }
    return stopping ? Behaviors.stopped() : this;
  }

  private Behavior<Command> onGetHandle(GetHandle m) {
    m.future().complete(handle);
    return this;
  }

  /** The lane's report: every call the run made was served before it (the inbox is FIFO). */
  private void onReport(Ticket t) {
    List<Request> waiters = t.reported;
    t.reported = null;
    settle(t, waiters);
  }

  /**
   * Answers those waiting for an instance that is over: finished (with every call its run made
   * served), skipped, or a barrier reached. Façade callers may have had their answer from the lane
   * already; answering again is a no-op for them.
   */
  private void settle(Ticket t, List<Request> waiters) {
    unwatch(t);
    for (Request r : waiters) {
      if (r.op == Op.CANCEL_SYNC) {
        r.work.canceling--;
        cancelTimer(r);
      }
      if (r.op == Op.DRAIN) {
        drainRound(r);
      } else {
        r.succeed(r.settledValue());
      }
    }
    if (t == destroyBarrier) {
      stopping = true;
    }
  }

  private Behavior<Command> onTimer(Timer tm) {
    Object subject = tm.subject;
    boolean stale = subject == null // cancelled: its expiry was on its way already
        || (subject instanceof WorkCore w && (w.timer != tm || w.boundHandle() != handle));
    if (stale) {
      LOG.trace("Worker [{}] ignores a stale timer", handle.logName());
    } else if (timers.expired(tm)) { // else re-armed for the rest of a delay longer than one step
      if (subject instanceof Ticket running) {
        tm.subject = null;
        interrupt(running); // a cancel's grace period is over
      } else if (subject instanceof Request destroy) {
        onDestroyDeadline(destroy);
      } else {
        onExpiry((WorkCore) subject);
      }
    }
    return stopping ? Behaviors.stopped() : this;
  }

  private void onExpiry(WorkCore w) {
    disarm(w);
    if (w.canceling > 0 || w.disabled > 0) {
      countRefused(w);
      LOG.debug("Worker [{}] drops the expiry of work [{}]: a cancel or disable is in progress",
          handle.logName(), w.logName());
    } else if (draining > 0) {
      LOG.info("Worker [{}] drops the expiry of work [{}]: the worker is draining", handle.logName(),
          w.logName());
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

  // ---------------------------------------------------------------- requests

  private void serve(Request r) {
    try {
      serveOne(r);
    } catch (RuntimeException e) {
      // a bug or a refusal from below (the scheduler, say) must cost one call, not the worker
      LOG.error("Worker [{}] failed to serve {}", handle.logName(), r, e);
      r.fail(e);
    }
    if (r.countedCall && r.caller.callServed() && r.caller.isWatched()) {
      // the last call of a run that was over: whoever waited for it may go on (unless the lane
      // reported it, and so took its waiters, in which case its report settles them)
      settle(r.caller, r.caller.takeWaiters());
    }
  }

  private void serveOne(Request r) {
    switch (r.op) {
      case QUEUE -> {
        if (admitQueueing(r)) {
          queue(r, 0);
        }
      }
      case QUEUE_DELAYED -> {
        if (admitQueueing(r)) {
          queue(r, r.nanos);
        }
      }
      case MOD_DELAYED -> {
        if (admitQueueing(r)) {
          mod(r);
        }
      }
      case ENABLE_AND_QUEUE -> {
        if (admitQueueing(r)) {
          enable(r, true);
        }
      }
      case CANCEL, CANCEL_SYNC -> {
        if (boundHere(r)) {
          cancel(r, r.op == Op.CANCEL_SYNC);
        }
      }
      case DISABLE, DISABLE_SYNC -> {
        if (bind(r)) {
          disable(r, r.op == Op.DISABLE_SYNC);
        }
      }
      case ENABLE -> {
        if (bind(r)) {
          enable(r, false);
        }
      }
      case FLUSH_WORK -> {
        if (boundHere(r)) {
          flushWork(r);
        }
      }
      case FLUSH_DELAYED -> {
        if (boundHere(r)) {
          flushDelayed(r);
        }
      }
      case STATE -> {
        if (boundHere(r)) {
          r.succeed(status(r.work));
        }
      }
      case FLUSH_WORKER -> flushWorker(r);
      case DRAIN -> drain(r);
      case DESTROY, DESTROY_REPORT -> destroy(r);
      case REPORT -> onReport(r.report);
    }
    if (r.removed) { // set by cancel, cancelSync, disable and disableSync
      stats.cancelled();
    }
  }

  /** Queueing calls: refused once destroy is accepted; bind the work to this worker. */
  private boolean admitQueueing(Request r) {
    if (destroyBarrier != null) {
      r.fail(new RejectedExecutionException("worker [" + handle.logName() + "] is being destroyed; "
          + opName(r) + " of work [" + r.work.logName() + "] refused"));
      return false;
    }
    return bind(r);
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

  /** Calls that need no binding: a work never queued here is idle as far as this worker knows. */
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
    switch (r.op) {
      case STATE -> r.succeed(WorkStatus.idle((Work) r.work));
      case FLUSH_WORK -> r.succeed(Done.getInstance());
      default -> r.succeed(Boolean.FALSE);
    }
    return false;
  }

  private void queue(Request r, long delayNanos) {
    WorkCore w = r.work;
    if (blocked(w, r)) {
      countRefused(w);
      r.succeed(Boolean.FALSE);
      return;
    }
    if (delayNanos <= 0) {
      dispatch(w);
    } else {
      arm(w, delayNanos);
    }
    r.succeed(Boolean.TRUE);
  }

  /** The kernel's kthread_mod_delayed_work after the 2021 fixes; the answer is a reference count. */
  private void mod(Request r) {
    WorkCore w = r.work;
    if (w.canceling > 0 || w.disabled > 0 || refusedByDrain(r)) {
      countRefused(w);
      r.succeed(Boolean.TRUE); // the other party wins; the number of pending instances is unchanged
      return;
    }
    boolean wasPending = removePending(w);
    if (r.nanos <= 0) {
      dispatch(w);
    } else {
      arm(w, r.nanos);
    }
    r.succeed(wasPending);
  }

  private void cancel(Request r, boolean sync) {
    WorkCore w = r.work;
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
    Ticket running = sync ? running(w) : null;
    if (running == null || !park(running, r, true)) {
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

  private void disable(Request r, boolean sync) {
    WorkCore w = r.work;
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
    Ticket running = sync ? running(w) : null;
    if (running == null || !park(running, r, true)) {
      r.succeed(r.removed);
    }
  }

  /** enable (answers whether the count reached zero) and enableAndQueue (then queues). */
  private void enable(Request r, boolean andQueue) {
    WorkCore w = r.work;
    if (w.disabled == 0) {
      r.fail(new IllegalStateException("work [" + w.logName() + "] on worker [" + handle.logName()
          + "] is not disabled; " + opName(r) + " would underflow its disable count"));
      return;
    }
    boolean reachedZero = --w.disabled == 0;
    if (!andQueue) {
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

  private void flushWork(Request r) {
    Ticket target = queuedOrRunning(r.work);
    if (target != null && callerWouldWait(r)) {
      return;
    }
    if (target == null || !park(target, r, false)) {
      r.succeed(Done.getInstance());
    }
  }

  /** The workqueue's flush_delayed_work: an armed timer fires now, then the work is flushed. */
  private void flushDelayed(Request r) {
    WorkCore w = r.work;
    boolean armedNow = w.timer != null;
    Ticket target = armedNow ? null : queuedOrRunning(w);
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
    r.removed = target != null; // "waited": what it answers even if the worker stops meanwhile
    if (target == null || !park(target, r, false)) {
      r.succeed(r.removed);
    }
  }

  private void flushWorker(Request r) {
    if (!callerWouldWait(r)) {
      lane.push(barrier(r));
    }
  }

  private void drain(Request r) {
    if (!callerWouldWait(r)) {
      draining++;
      lane.push(drainBarrier(r));
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

  private void destroy(Request r) {
    if (callerWouldWait(r)) {
      return;
    }
    boolean report = r.op == Op.DESTROY_REPORT;
    if (report && r.nanos > 0 && r.nanos != Durations.NEVER) {
      Timer deadline = timers.newTimer(r, context.getSelf());
      timers.arm(deadline, r.nanos); // first: arming is the one step that can fail
      timed(r, deadline);
    }
    if (destroyers.isEmpty()) {
      destroyers = new ArrayList<>(1);
    }
    destroyers.add(r);
    if (destroyBarrier == null) {
      int n = armedCount;
      List<String> names = disarmAll();
      if (n > 0) {
        LOG.warn("Worker [{}] is destroyed while {} delayed work(s) are armed: their timers are cancelled "
            + "and they will not run: {}", handle.logName(), n, names);
      }
      destroyBarrier = new Ticket(null, Ticket.WATCHED);
      watch(destroyBarrier);
      lane.push(destroyBarrier);
    } // else a destroy is under way; this one completes with it (or at its own deadline)
    if (report && r.nanos == 0) {
      onDestroyDeadline(r);
    }
  }

  /**
   * The deadline of destroy(Duration) passed: discard what did not start and stop, naming what still
   * runs. With nothing running and nothing to discard, the lane reaches the barrier at once: no report.
   */
  private void onDestroyDeadline(Request r) {
    cancelTimer(r);
    if (destroyBarrier == null || !watching(destroyBarrier) || stopping) {
      return; // finished in time
    }
    Set<Ticket> unfinished = new java.util.LinkedHashSet<>();
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
        handle.logName(), logNames(running, running.size()), logNames(discarded, discarded.size()));
    destroyReport = new DestroyReport(false, running, discarded);
    stopping = true;
  }

  private Behavior<Command> onPostStop() {
    if (mbean != null) {
      mbean.unregister();
    }
    List<Request> late = handle.inbox.close();
    lane.close();
    int n = armedCount;
    List<String> armedNames = disarmAll();
    if (n > 0) {
      LOG.warn("Worker [{}] stopped while {} delayed work(s) were armed: they will not run: {}",
          handle.logName(), n, armedNames);
    }
    Set<Ticket> left = new java.util.LinkedHashSet<>();
    lane.unfinished(null, left);
    List<Work> dropped = new ArrayList<>();
    Ticket stillRunning = null;
    for (Ticket t : left) {
      if (t.work == null) {
        continue;
      }
      if (t.revoke()) {
        stats.cancelled();
        dropped.add((Work) t.work);
      } else if (t.phase() == Ticket.RUNNING) {
        stillRunning = t; // claimed by the lane: it runs to its end
      }
    }
    if (!dropped.isEmpty()) {
      LOG.warn("Worker [{}] stopped while {} work(s) were queued: they will not run: {}", handle.logName(),
          dropped.size(), logNames(dropped, dropped.size()));
    }
    for (Request r : List.copyOf(timed)) {
      cancelTimer(r); // including waiters the lane took and will answer itself
    }
    // Done with the works' fields: from here on they may move to another worker (once the lane has
    // returned too), and only then is anyone told that this worker is gone.
    handle.markClosed(stillRunning);
    for (Request r : destroyers) {
      cancelTimer(r);
      if (r.op == Op.DESTROY_REPORT && destroyReport != null) {
        r.succeed(destroyReport); // the deadline passed: answer now, not when the stuck work returns
      } else {
        handle.answerClosed(r);
      }
    }
    for (Ticket t : watchedTickets()) {
      t.takeWaiters().forEach(this::answerStopped); // those the lane took are in its report, in `late`
    }
    for (Request r : late) {
      if (r.op == Op.REPORT) {
        r.report.reported.forEach(this::cancelTimer);
      }
      handle.answerClosed(r);
    }
    LOG.debug("Worker [{}] stopped", handle.logName());
    return this;
  }

  private void answerStopped(Request r) {
    cancelTimer(r);
    handle.answerClosed(r);
  }

  /** Disarms every armed work (destroy, stop); the first few names, for one log line. */
  private List<String> disarmAll() {
    List<String> names = new ArrayList<>();
    int n = armedCount;
    for (Timer tm = armed; tm != null; tm = armed) {
      WorkCore w = (WorkCore) tm.subject;
      if (names.size() < LOGGED_NAMES) {
        names.add(w.logName());
      }
      countCancelled(disarm(w));
    }
    if (n > LOGGED_NAMES) {
      names.add("... " + (n - LOGGED_NAMES) + " more");
    }
    return names;
  }

  /** The first few names of {@code works}, for one log line about many. */
  private static List<String> logNames(List<Work> works, int n) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < Math.min(n, LOGGED_NAMES); i++) {
      names.add(((WorkCore) works.get(i)).logName());
    }
    if (n > LOGGED_NAMES) {
      names.add("... " + (n - LOGGED_NAMES) + " more");
    }
    return names;
  }

  // ---------------------------------------------------------------- helpers

  private boolean blocked(WorkCore w, Request r) {
    return pending(w) || w.canceling > 0 || w.disabled > 0 || refusedByDrain(r);
  }

  /** While draining only chained queueing (from a work running on this worker) is accepted. */
  private boolean refusedByDrain(Request r) {
    if (draining == 0 || r.caller != null) {
      return false;
    }
    LOG.info("Worker [{}] is draining: {} of work [{}] from outside its works is refused", handle.logName(),
        opName(r), r.work.logName());
    return true;
  }

  /**
   * Invariant 4: a call made by a work of this worker that would wait for the lane while that work
   * runs fails at once (the kernel deadlocks here).
   */
  private boolean callerWouldWait(Request r) {
    if (r.caller == null || !r.caller.isRunning()) {
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

  private static boolean pending(WorkCore w) {
    return w.timer != null || (w.last != null && w.last.isQueued());
  }

  private Ticket running(WorkCore w) {
    if (w.last != null && w.last.isRunning()) {
      return w.last;
    }
    if (w.older != null && w.older.isRunning()) {
      return w.older;
    }
    return lane.commandedRunOf(w); // a run with commands still to serve, no longer last or older
  }

  private Ticket queuedOrRunning(WorkCore w) {
    return w.last != null && w.last.isQueued() ? w.last : running(w);
  }

  /** Hands a new instance to the lane (invariant 1: the work is not pending). */
  private Ticket dispatch(WorkCore w) {
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
  private boolean removePending(WorkCore w) {
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

  private void arm(WorkCore w, long delayNanos) {
    Timer tm = timers.newTimer(w, context.getSelf());
    timers.arm(tm, delayNanos); // first: if it throws, nothing has changed
    w.timer = tm;
    tm.next = armed;
    if (armed != null) {
      armed.prev = tm;
    }
    armed = tm;
    armedCount++;
  }

  private boolean disarm(WorkCore w) {
    Timer tm = w.timer;
    if (tm == null) {
      return false;
    }
    timers.cancel(tm); // an expiry already on its way is dropped by onTimer: its subject is null
    if (tm.prev != null) {
      tm.prev.next = tm.next;
    } else {
      armed = tm.next;
    }
    if (tm.next != null) {
      tm.next.prev = tm.prev;
    }
    tm.prev = tm.next = null;
    tm.subject = null;
    w.timer = null;
    armedCount--;
    return true;
  }

  /** Parks {@code r} until the lane reports {@code t}; false if {@code t} is already done. */
  private boolean park(Ticket t, Request r, boolean cancel) {
    if (!t.watch(cancel) || !t.addWaiter(r)) {
      return false; // over already (or the lane has just taken the waiters on its way out)
    }
    watch(t);
    return true;
  }

  private Ticket barrier(Request r) {
    Ticket b = new Ticket(null, Ticket.WATCHED);
    b.addWaiter(r);
    watch(b);
    return b;
  }

  @SuppressWarnings("unchecked")
  private void watch(Ticket t) {
    if (watched == null) {
      watched = t;
    } else if (watched instanceof Ticket only) {
      if (only != t) {
        Set<Ticket> set = new HashSet<>();
        set.add(only);
        set.add(t);
        watched = set;
      }
    } else {
      ((Set<Ticket>) watched).add(t);
    }
  }

  private void unwatch(Ticket t) {
    if (watched == t) {
      watched = null;
    } else if (watched instanceof Set<?> set && set.remove(t) && set.isEmpty()) {
      watched = null; // back to the idle footprint
    }
  }

  private boolean watching(Ticket t) {
    return watched == t || (watched instanceof Set<?> set && set.contains(t));
  }

  @SuppressWarnings("unchecked")
  private Collection<Ticket> watchedTickets() {
    if (watched == null) {
      return List.of();
    }
    return watched instanceof Ticket only ? List.of(only) : (Set<Ticket>) watched;
  }

  private Ticket drainBarrier(Request drain) {
    drain.mark = dispatched;
    return barrier(drain);
  }

  private WorkStatus status(WorkCore w) {
    boolean running = running(w) != null;
    WorkState state;
    if (w.timer != null) {
      state = running ? WorkState.RUNNING_AND_ARMED : WorkState.ARMED;
    } else if (w.last != null && w.last.isQueued()) {
      state = running ? WorkState.RUNNING_AND_PENDING : WorkState.PENDING;
    } else {
      state = running ? WorkState.RUNNING : WorkState.IDLE;
    }
    return new WorkStatus((Work) w, state, w.canceling, w.disabled);
  }

  private static String opName(Request r) {
    return r.op.methodName();
  }

  // ---------------------------------------------------------------- stats

  /** Stats: a queueing refused (or an expiry dropped) while a cancel of {@code w} is in progress. */
  private void countRefused(WorkCore w) {
    if (w.canceling > 0) {
      stats.refusedWhileCanceling();
    }
  }

  /** Stats: {@code removed} says a pending instance was taken out before it ran. */
  private boolean countCancelled(boolean removed) {
    if (removed) {
      stats.cancelled();
    }
    return removed;
  }
}
