package io.kworker.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One queued instance of a work (or a flush barrier, whose work is null) on its way through the lane.
 *
 * <p>INTERNAL API.
 *
 * <p>The worker actor hands instances to the lane eagerly, so that the lane can run works back to back;
 * the ticket keeps a handed-over instance revocable. It is the one piece of state that two threads
 * share, and they settle it with compare-and-set on {@link #state}:
 *
 * <pre>
 *   QUEUED  --lane claims-->   RUNNING --lane returns--> FINISHED
 *   QUEUED  --actor revokes--> REVOKED  (the lane skips it when it gets there)
 * </pre>
 *
 * Two flag bits ride along: WATCHED (the actor waits for this instance, so the lane must tell it when the
 * instance is skipped, or finished with every call of its run served; the actor settles a run that
 * finished with calls left when it serves the last) and CANCEL (a cancel waits for it; the work may
 * read it to return early). Invariant: the phase only moves forward, only the lane moves it out of QUEUED to RUNNING and
 * out of RUNNING, only the actor moves it from QUEUED to REVOKED, and the flags, once set, stay set. So a
 * revoke that succeeds proves the work never started, and a watch set while RUNNING is always seen by the
 * lane's final exchange, which is what makes cancel-sync wait for exactly the run in progress.
 *
 */
final class Ticket {
  static final int QUEUED = 0;
  static final int RUNNING = 1;
  static final int FINISHED = 2;
  static final int REVOKED = 3;
  private static final int PHASE = 3;
  static final int WATCHED = 4;
  static final int CANCEL = 8;
  /** Held by the actor while it interrupts the running instance; finish() waits for it to clear. */
  private static final int INTERRUPTING = 16;
  /** Set by the lane when this run creates a protocol command: the actor must hear when it is over. */
  private static final int COMMANDED = 32;

  private static final VarHandle STATE;
  private static final VarHandle CALLS;
  private static final VarHandle NEXT;
  private static final VarHandle WAITERS;
  private static final Object TAKEN = new Object();

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      STATE = lookup.findVarHandle(Ticket.class, "state", int.class);
      CALLS = lookup.findVarHandle(Ticket.class, "calls", int.class);
      NEXT = lookup.findVarHandle(Ticket.class, "next", Ticket.class);
      WAITERS = lookup.findVarHandle(Ticket.class, "waiters", Object.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * The work, or null for a flush barrier. The actor clears it once a cancel has revoked the instance
   * ({@link #forgetWork}); the lane reads it only after a successful claim, which a revoke rules out.
   */
  KthreadWork work;
  private volatile int state;
  /**
   * Calls this run made on its own worker that the actor has not served yet. The run counts as going on
   * until they are served: a self-requeue made before returning must count before the return does, as
   * in the kernel, where kthread_queue_work completes before the function returns.
   */
  private volatile int calls;
  /** Link in the lane's queue: written by the actor, read by the lane. */
  private volatile Ticket next;
  /**
   * The ticket before this one in the lane's queue, so that the actor can unlink a revoked instance
   * ({@link Lane#revoked}). A hint, written by the actor and cleared by the lane once it has passed this
   * ticket (so that passed tickets do not chain back to the first one): null means "unknown".
   */
  Ticket prev;
  /** System.nanoTime() when the actor handed it to the lane, if timings are on (actor, then lane). */
  long queuedAt;
  /**
   * Requests waiting for this instance to be over: a stack the actor pushes on and that whoever
   * settles the instance takes once, leaving {@link #TAKEN}.
   */
  private volatile Object waiters;

  Ticket(KthreadWork work, int flags) {
    this.work = work;
    STATE.setRelease(this, flags);
  }

  static int phase(int state) {
    return state & PHASE;
  }

  int phase() {
    return state & PHASE;
  }

  boolean isQueued() {
    return phase() == QUEUED;
  }

  /**
   * Whether its run is not over: running, or finished with calls of its run still to serve (see
   * {@link #calls}). A run is over only when both are done (the worker actor's invariant 4).
   */
  boolean ongoing() {
    int s = state;
    return phase(s) == RUNNING || (phase(s) == FINISHED && calls > 0);
  }

  /** The work's own thread, before it offers a call made from inside this run. */
  void addCall() {
    CALLS.getAndAdd(this, 1);
  }

  /** Actor, after serving a call of this run: true if that settled a finished run. */
  boolean callServed() {
    return (int) CALLS.getAndAdd(this, -1) == 1 && phase() == FINISHED;
  }

  boolean cancelRequested() {
    return (state & CANCEL) != 0;
  }

  // ---- lane side ----

  /** Lane: QUEUED to RUNNING; false if the actor revoked it first. */
  boolean claim() {
    for (;;) {
      int s = state;
      if (phase(s) != QUEUED) {
        return false;
      }
      if (STATE.compareAndSet(this, s, (s & ~PHASE) | RUNNING)) {
        return true;
      }
    }
  }

  /** Lane: RUNNING to FINISHED; true if the actor waits for it. */
  boolean finish() {
    assert phase() == RUNNING : "finished without a claim: " + this;
    for (;;) {
      int s = state;
      if ((s & INTERRUPTING) != 0) {
        Thread.yield(); // the interrupt must land before the lane clears it; the actor may be off-CPU
      } else if (STATE.compareAndSet(this, s, (s & ~PHASE) | FINISHED)) {
        return (s & WATCHED) != 0;
      }
    }
  }

  /** Lane, during this run: marks its first protocol command; false if it had one already. */
  boolean markCommanded() {
    return ((int) STATE.getAndBitwiseOr(this, COMMANDED) & COMMANDED) == 0;
  }

  /** Whether this run created protocol commands. */
  boolean commanded() {
    return (state & COMMANDED) != 0;
  }

  /** Actor: interrupts {@code thread} only if this instance is running on it now. */
  void interruptWhileRunning(Thread thread) {
    for (;;) {
      int s = state;
      if (phase(s) != RUNNING || thread == null) {
        return;
      }
      if (STATE.compareAndSet(this, s, s | INTERRUPTING)) {
        break;
      }
    }
    try {
      thread.interrupt();
    } finally {
      STATE.getAndBitwiseAnd(this, ~INTERRUPTING);
    }
  }

  boolean isWatched() {
    return (state & WATCHED) != 0;
  }

  Ticket next() {
    return next;
  }

  /** A volatile store: the lane's idle check reads it after its own volatile store (Dekker). */
  void setNext(Ticket t) {
    next = t;
  }

  /**
   * Lane, once past this ticket: points it at itself, so that a work still holding it (as its last
   * instance) does not keep every later ticket, and the works they ran, reachable. A walker that
   * meets a self-link restarts from the lane's head, as in ConcurrentLinkedQueue.
   */
  void unlink() {
    NEXT.setRelease(this, this);
    prev = null;
  }

  /** Actor: links past {@code skipped}, if the lane has not moved past this ticket yet. */
  boolean casNext(Ticket skipped, Ticket successor) {
    return NEXT.compareAndSet(this, skipped, successor);
  }

  // ---- actor side ----

  /** Actor, after a successful revoke: the instance will never run, so it need not keep its work. */
  void forgetWork() {
    work = null;
  }

  /** Actor: QUEUED to REVOKED; true iff this call took the instance out of the queue. */
  boolean revoke() {
    for (;;) {
      int s = state;
      if (phase(s) != QUEUED) {
        return false;
      }
      if (STATE.compareAndSet(this, s, (s & ~PHASE) | REVOKED)) {
        return true;
      }
    }
  }

  /**
   * Actor: ask to be told when this queued or running instance is finished or skipped, optionally
   * flagging a cancel. False if it is already settled or revoked (nothing to wait for). A run that
   * finishes, or has finished, with calls still to serve is settled by the actor itself when it serves
   * the last, not by the lane's Over.
   */
  boolean watch(boolean cancel) {
    int flags = WATCHED | (cancel ? CANCEL : 0);
    for (;;) {
      int s = state;
      int p = phase(s);
      if (p == REVOKED || (p == FINISHED && calls == 0)) {
        return false;
      }
      if (STATE.compareAndSet(this, s, s | flags)) {
        return true;
      }
    }
  }

  /**
   * Actor: adds a request to be answered when this instance is over. False if the lane has already
   * taken the waiters (the instance is over; the caller answers the request itself).
   */
  boolean addWaiter(Request r) {
    for (;;) {
      Object w = waiters;
      if (w == TAKEN) {
        return false;
      }
      if (WAITERS.compareAndSet(this, w, new Waiter(r, (Waiter) w))) {
        return true;
      }
    }
  }

  /**
   * Takes the waiters, once: the lane when it tells the actor the instance is over, or the actor when it
   * settles; oldest first. It allocates before it takes, so an OutOfMemoryError on the lane's way out loses
   * no waiter.
   */
  List<Request> takeWaiters() {
    for (;;) {
      Object w = waiters;
      if (w == TAKEN) {
        return List.of();
      }
      List<Request> list;
      if (w == null) {
        list = List.of();
      } else {
        list = new ArrayList<>(2);
        for (Waiter n = (Waiter) w; n != null; n = n.next) {
          list.add(n.request);
        }
        Collections.reverse(list);
      }
      if (WAITERS.compareAndSet(this, w, TAKEN)) {
        return list;
      }
    }
  }

  private record Waiter(Request request, Waiter next) {}

  @Override
  public String toString() {
    String[] names = {"queued", "running", "finished", "revoked"};
    KthreadWork w = work;
    return (w != null ? "instance of work [" + w.logName() + "]"
        : phase() == REVOKED ? "cancelled instance" : "flush barrier") + " " + names[phase()];
  }
}
