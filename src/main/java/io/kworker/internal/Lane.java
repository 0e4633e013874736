package io.kworker.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's execution thread: the kthread that runs works, one at a time, in the order the actor
 * handed them over.
 *
 * <p>INTERNAL API.
 *
 * <p>A single-producer, single-consumer linked queue of {@link Ticket}s (the kernel's
 * {@code work_list}): the worker actor appends, and a batch loop on the executor takes from the head.
 * A batch runs on a dedicated thread (the default), on a new virtual thread ({@link VirtualThreads}),
 * or on a shared dispatcher; on the last two it yields the thread after {@code batch} works. At most one batch runs at a time ({@link #scheduled}), so works of
 * one worker never overlap and run in FIFO order. The lane touches no worker state but the tickets, and
 * it tells the actor only about the instances that it watches once their run's façade calls are served
 * (the actor settles the others itself), or whose run made protocol commands.
 *
 * <p>The actor unlinks a revoked instance from the queue ({@link #revoked}), so that a cancelled work and
 * what it captured can be collected while a long run holds the lane; it never unlinks the tail (the next
 * push does) nor a watched ticket (a flush waiting for it keeps its place in the queue).
 *
 * <p>The lane survives any throwable in its own bookkeeping (an OutOfMemoryError on the way out of a
 * work, say): a claimed instance is always finished, its {@link Over} is retried until it is delivered, and the
 * thread goes on with the next work; the failure is logged once per episode.
 */
final class Lane implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(io.kworker.KWorker.class);
  private static final VarHandle SCHEDULED;
  private static final VarHandle HEAD;
  private static final VarHandle RUNNER;
  /** The lane's own steps, for {@link #trouble}: indexes into {@link #STEPS}, made at class init. */
  private static final int SET_UP = 0;
  private static final int AFTER_WORK = 1;
  private static final int TELL_OVER = 2;
  private static final int YIELD = 3;
  private static final int BATCH_LOOP = 4;
  private static final int RESTART = 5;
  private static final String[] STEPS = {"setting up work", "its bookkeeping after work",
      "telling the actor work is over", "handing its thread back", "its batch loop", "restarting its batch"};
  /** The lane whose batch runs on this thread, for threads that are not a {@link DedicatedThread.Kthread}. */
  private static final ThreadLocal<Lane> DRAINING = new ThreadLocal<>();

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      SCHEDULED = lookup.findVarHandle(Lane.class, "scheduled", int.class);
      HEAD = lookup.findVarHandle(Lane.class, "head", Ticket.class);
      RUNNER = lookup.findVarHandle(Lane.class, "runner", Thread.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final WorkerHandle handle;
  private final Executor executor;
  private final int batch;
  private final WorkerStats stats;
  private final boolean timings;
  private final MdcGuard mdc;
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  /** Actor side: the last ticket appended. */
  private Ticket tail;
  /** Actor side: the tail was revoked, so the next push unlinks it. */
  private boolean tailRevoked;
  /**
   * Actor side: a push won the batch; {@link #submitDue} submits it once the answers of the call that
   * pushed are out, so that the caller's wake-up does not queue behind the lane's thread (an unpark, a
   * thread start or a task submission: on 2 cores it cost a remote queue a third of an echo's round trip).
   */
  private boolean submitDue;
  /** Lane side: the last ticket taken (initially a stub); published for {@link #unfinished}. */
  private Ticket head;
  /** Lane side: the instance running now, or null. Read by others only on the runner's own thread. */
  private Ticket current;
  /** The thread of the batch in progress, or null. */
  private volatile Thread runner;
  /** 1 while a batch is due ({@link #submitDue}), submitted or running. */
  private volatile int scheduled;
  private volatile boolean closed;
  /**
   * Runs that created protocol commands the actor has not heard the end of, each with the commands not
   * matched yet (guarded by {@code this}; the volatile count lets the actor skip the lock when none).
   */
  private final java.util.List<Commands> commanders = new java.util.ArrayList<>(0);
  private volatile int commanderCount;
  /**
   * Lane side: the first failure of the lane's own bookkeeping not logged yet, what it was doing and for
   * which work. Recorded without allocating (see {@link #trouble}), logged once the log line can be made.
   */
  private Throwable trouble;
  private int troubleStep;
  private KthreadWork troubleWork;

  Lane(WorkerHandle handle, Executor executor, int batch) {
    this.handle = handle;
    this.executor = executor;
    this.batch = batch;
    this.stats = handle.stats();
    this.timings = stats.timings;
    this.mdc = new MdcGuard(handle.instrumentation.mdc(), handle.logName());
    this.head = this.tail = new Ticket(null, Ticket.FINISHED);
  }

  /** Completes once the lane has closed and returned from its last work. */
  CompletableFuture<Void> stopped() {
    return stopped;
  }

  /** Completes once the lane has stopped and its thread, if the worker's own, runs nothing more. */
  CompletableFuture<Void> terminated() {
    return executor instanceof DedicatedThread thread ? stopped.thenCombine(thread.ended(), (a, b) -> null)
        : stopped;
  }

  /**
   * Actor: appends an instance (or a barrier) at the tail. The actor must call {@link #submitDue} after
   * the push's call is answered (WorkerBehavior does after every call it serves and every message), or
   * a lane that was idle never starts.
   */
  void push(Ticket t) {
    assert t.next() == null && t.prev == null : "pushed twice: " + t;
    Ticket last = tail;
    t.prev = last;
    last.setNext(t);
    tail = t;
    if (tailRevoked) { // the actor's own flag: no read of a ticket the lane may be claiming
      tailRevoked = false;
      skip(last); // it could not be unlinked while it was the tail
    }
    if (scheduled == 0 && SCHEDULED.compareAndSet(this, 0, 1)) {
      submitDue = true;
    }
  }

  /** Actor: submits the batch a push won, if any. */
  void submitDue() {
    if (submitDue) {
      submitDue = false;
      try {
        submit();
      } catch (Throwable e) {
        scheduled = 0; // nothing runs: close() must still complete `stopped`, and a later push retries
        throw e;
      }
    }
  }

  /**
   * Actor: {@code t}, just revoked, will never run: it lets go of its work (so that the work, and what
   * it captured, can be collected while the lane is busy) and leaves the queue unless it is the tail.
   */
  void revoked(Ticket t) {
    t.forgetWork();
    if (t != tail) {
      skip(t);
    } else {
      tailRevoked = true;
    }
  }

  /**
   * Actor: unlinks a revoked ticket that is not the tail, unless the lane has reached it already or a
   * flush waits for it. The ticket keeps its own link, so a lane standing on it still finds its way on.
   */
  private void skip(Ticket t) {
    Ticket p = t.prev;
    Ticket n = t.next();
    if (p == null || n == null || n == t || t.isWatched()) {
      return;
    }
    if (p.casNext(t, n)) {
      n.prev = p;
    }
    t.prev = null;
  }

  private void submit() {
    try {
      executor.execute(this);
    } catch (RejectedExecutionException e) {
      // the dispatcher is shutting down with the actor system; the actor's PostStop answers everyone
      closed = true;
      stopped.complete(null);
    }
  }

  /** Actor: stops taking tickets after the one running now, and lets a dedicated thread end. */
  void close() {
    closed = true;
    if (submitDue) { // a push won the batch but it was never submitted: none is in progress
      submitDue = false;
      stopped.complete(null);
    } else if (SCHEDULED.compareAndSet(this, 0, 1)) {
      stopped.complete(null); // no batch in progress; one that is will complete it on its way out
    }
    if (executor instanceof DedicatedThread thread) {
      thread.shutdown();
    }
  }

  /** Actor: interrupts the lane's thread if {@code t} is still running, never a later instance. */
  void interrupt(Ticket t) {
    t.interruptWhileRunning(runner);
  }

  /**
   * Actor: the tickets from the one taken last up to {@code end} (or the tail), oldest first. Racy but
   * safe: the lane may move on meanwhile; a ticket it has passed restarts the walk from its head.
   */
  void unfinished(Ticket end, Collection<Ticket> into) {
    Ticket t = (Ticket) HEAD.getAcquire(this);
    while (t != null) {
      into.add(t);
      if (t == end) {
        return;
      }
      Ticket n = t.next();
      t = n == t ? (Ticket) HEAD.getAcquire(this) : n;
    }
  }

  // ---------------------------------------------------------------- protocol commands made by runs

  /** The lane whose batch runs on the calling thread, or null. */
  static Lane onCallerThread() {
    Thread t = Thread.currentThread();
    return t instanceof DedicatedThread.Kthread k ? k.lane : DRAINING.get();
  }

  /**
   * Any thread, from a protocol command's constructor: if the caller is a work running on a lane, the
   * command counts as a call of that run, as a façade call does: the run is not over until the actor has
   * heard that every command it created has been sent ({@link WorkerHandle#runOver}, sent by the lane
   * after the run, so behind those commands in the actor's mailbox).
   */
  static void commandCreated(Object command) {
    Lane lane = onCallerThread();
    Ticket t = lane == null ? null : lane.current;
    if (t != null) {
      lane.addCommand(t, command);
    }
  }

  /**
   * One run's protocol commands that the actor has not matched to a request yet, oldest first. At most
   * {@link #MAX_COMMANDS}: a run that makes more without sending them here (to other workers, say) lets
   * the oldest go, so a long run cannot grow the list without bound; those no longer count as its calls.
   */
  private record Commands(Ticket run, java.util.ArrayDeque<Object> made) {}

  private static final int MAX_COMMANDS = 1024;

  private synchronized void addCommand(Ticket t, Object command) {
    Commands mine = null;
    for (Commands c : commanders) {
      if (c.run() == t) {
        mine = c;
      }
    }
    if (mine == null) {
      mine = new Commands(t, new java.util.ArrayDeque<>(2)); // allocation first: a failure marks nothing
      commanders.add(mine);
      t.markCommanded();
      t.addCall(); // released by the actor on the lane's RunOver
      commanderCount = commanders.size();
    }
    if (mine.made().size() == MAX_COMMANDS) {
      mine.made().removeFirst();
    }
    mine.made().addLast(command);
  }

  /** Actor: the run on this lane that created {@code command}, if it was created inside one. */
  Ticket commander(Object command) {
    if (commanderCount == 0) {
      return null;
    }
    synchronized (this) {
      for (Commands c : commanders) {
        for (java.util.Iterator<Object> it = c.made().iterator(); it.hasNext(); ) {
          if (it.next() == command) { // identity: records are equal by value
            it.remove();
            return c.run();
          }
        }
      }
    }
    return null;
  }

  /**
   * Actor: the newest run of {@code w} whose RunOver is not served yet, so that still counts as running
   * although the work has been queued (and has run) again since: a façade call can overtake a run's
   * commands, which go through the mailbox.
   */
  Ticket commandedRunOf(KthreadWork w) {
    if (commanderCount == 0) {
      return null;
    }
    synchronized (this) {
      for (int i = commanders.size() - 1; i >= 0; i--) {
        Ticket t = commanders.get(i).run();
        if (t.work == w && t.ongoing()) {
          return t;
        }
      }
    }
    return null;
  }

  /**
   * Actor, on RunOver: forgets the run's commands (those not matched went elsewhere, or nowhere); false
   * if this was known already (a repeated message).
   */
  synchronized boolean commandsOver(Ticket t) {
    for (int i = 0; i < commanders.size(); i++) {
      if (commanders.get(i).run() == t) {
        commanders.remove(i);
        commanderCount = commanders.size();
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- the batch loop

  @Override
  public void run() {
    Thread me = Thread.currentThread();
    runner = me;
    boolean own = me instanceof DedicatedThread.Kthread;
    if (own) {
      ((DedicatedThread.Kthread) me).lane = this;
    } else {
      DRAINING.set(this);
    }
    boolean done = false;
    Map<String, String> outerMdc = null;
    try {
      outerMdc = mdc.enter();
      runBatch();
      done = true;
    } catch (Throwable e) {
      trouble(BATCH_LOOP, null, e); // the loop catches everything per work; this is the loop itself
    } finally {
      if (!own) {
        DRAINING.remove();
      }
      try {
        mdc.exit(outerMdc); // not the field: the next batch may have entered already
      } catch (Throwable e) {
        trouble(BATCH_LOOP, null, e);
      }
      // unless the next batch has started: a virtual thread ends with its batch, and should not stay reachable
      RUNNER.compareAndSet(this, me, null);
      if (!done) {
        resume();
      }
    }
  }

  /** After a batch that failed in its own loop: run again, on a fresh start of the executor. */
  private void resume() {
    if (closed) {
      stopped.complete(null);
      return;
    }
    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    try {
      submit();
    } catch (Throwable e) {
      trouble(RESTART, null, e);
    }
  }

  /** Runs tickets from the head until the queue is empty, or, on a shared dispatcher, a batch is done. */
  private void runBatch() {
    int ran = 0;
    for (;;) {
      if (closed) {
        stopped.complete(null);
        return;
      }
      Ticket t = head.next();
      if (t == null) {
        scheduled = 0;
        if (closed) { // close() raced with us: whoever wins `scheduled` completes `stopped`
          if (SCHEDULED.compareAndSet(this, 0, 1)) {
            stopped.complete(null);
          }
          return;
        }
        // Dekker with push(): recheck after publishing idleness, so no append is left unserved.
        if (head.next() == null || !SCHEDULED.compareAndSet(this, 0, 1)) {
          return;
        }
        continue;
      }
      Ticket past = head;
      HEAD.setRelease(this, t);
      past.unlink();
      runOne(t);
      if (++ran == batch && yieldThread()) { // JDI mark [ran]: the CancelSync*Tests hold the lane here
        return;
      }
    }
  }

  /** Hands a shared thread back after a batch; `scheduled` stays 1. False: go on here instead. */
  private boolean yieldThread() {
    try {
      submit();
      return true;
    } catch (Throwable e) {
      trouble(YIELD, null, e);
      return false;
    }
  }

  private void runOne(Ticket t) {
    assert runner == Thread.currentThread() : "a lane's batch runs on one thread at a time";
    boolean watched;
    if (!t.claim()) {
      watched = t.isWatched(); // a revoked instance still marks a flush barrier's place
    } else {
      try {
        if (t.work != null) {
          run(t);
        }
      } catch (Throwable e) {
        trouble(AFTER_WORK, t.work, e); // run() catches its own; this is a catch block that failed
      }
      watched = t.finish(); // allocates nothing, so a claimed instance is always finished
      Thread.interrupted(); // an interrupt aimed at this run must not reach the next one
    }
    if (t.commanded() || (watched && commanderCount > 0)) {
      // through the mailbox, behind the commands of this run or of an earlier one that the actor may
      // not have served yet (a drain barrier must not overtake a chained Queue command)
      deliver(t, true);
    } else if (watched) {
      deliver(t, false);
    }
  }

  private void run(Ticket t) {
    KthreadWork work = t.work;
    current = t;
    long start = 0;
    try {
      mdc.before(work);
      if (timings) {
        start = System.nanoTime();
      }
    } catch (Throwable e) {
      trouble(SET_UP, work, e); // the work still runs
    }
    try {
      work.run();
    } catch (Throwable e) {
      try {
        stats.failed();
        handle.workFailed(work, e);
      } catch (Throwable logging) {
        // even a throwable that cannot be logged must not end the lane
      }
    } finally {
      current = null;
    }
    try {
      if (timings) {
        stats.ran(start - t.queuedAt, System.nanoTime() - start);
      } else {
        stats.ran();
      }
      mdc.after(); // what the work put in the MDC must not reach the next one
      logTrouble();
    } catch (Throwable e) {
      trouble(AFTER_WORK, work, e);
    }
  }

  /**
   * Tells the actor that {@code t} is over: an {@link Over} through the inbox ({@link #tellOver}, unless
   * calls of its run are still to serve), or
   * through the mailbox, behind protocol commands that runs sent from this thread (handled alike if told
   * twice). A step that fails is retried until it succeeds: a lost Over would leave its waiters hanging.
   */
  private void deliver(Ticket t, boolean commands) {
    if (!commands) {
      tellOver(t);
      return;
    }
    for (int attempt = 0; ; attempt++) {
      try {
        handle.overThroughMailbox(t);
        logTrouble();
        return;
      } catch (Throwable e) {
        if (!pause(attempt, t, e)) {
          return;
        }
      }
    }
  }

  /**
   * A watched instance is over (finished or skipped): its Over goes into the inbox, and the façade callers
   * waiting for it are answered from here.
   *
   * <p>Not while calls its run made are still to serve (a self-requeue, say): then the actor settles the
   * run when it serves the last one. The lane must not take the waiters then, for a cancel the actor is
   * parking on the run now would find them taken and answer at once, before the requeue it must refuse.
   *
   * <p>If that answers every waiter, the Over goes in without waking the actor: what is left for the
   * actor (the canceling count, the parked set) can only be observed by a call served after the Over,
   * or by a protocol command, which takes what is in the inbox first. So a cancelSync of a running work costs one
   * thread wake-up (lane to caller), as a {@code Future.get} does, not two.
   *
   * <p>It allocates before it takes the waiters, and every step after the Over is linked is retried on
   * its own, so that an OutOfMemoryError loses no waiter and links no Over twice.
   */
  private void tellOver(Ticket t) {
    if (t.ongoing()) {
      return; // the actor settles it when it serves the run's last call (WorkerBehavior.serve)
    }
    Over over;
    List<Request> waiters;
    for (int attempt = 0; ; attempt++) {
      try {
        over = new Over(t, null);
        waiters = t.takeWaiters();
        break;
      } catch (Throwable e) {
        if (!pause(attempt, t, e)) {
          return;
        }
      }
    }
    // no waiters (the destroy barrier, whose destroyers are the actor's, or waiters the actor took first):
    // the actor must see it now
    boolean answered = !waiters.isEmpty();
    for (int i = 0; answered && i < waiters.size(); i++) {
      answered = waiters.get(i).completesEarly();
    }
    Inbox inbox = handle.inbox;
    over.waiters = waiters; // published to the actor by the link
    int taken = answered ? inbox.enqueueLazily(over) : inbox.enqueue(over);
    for (int i = 0, attempt = 0; i < waiters.size(); ) {
      try {
        if (taken == Inbox.REFUSED) {
          handle.answerClosed(waiters.get(i));
        } else {
          waiters.get(i).completeEarly(); // the Over is linked in: their next call comes after it
        }
        i++;
      } catch (Throwable e) {
        if (!pause(attempt++, t, e)) {
          return;
        }
      }
    }
    for (int attempt = 0; taken == Inbox.WAKE; attempt++) {
      try {
        handle.wake(); // after the answers: the waiting caller should not wait for the actor's dispatcher
        break;
      } catch (Throwable e) {
        if (!pause(attempt, t, e)) {
          return;
        }
      }
    }
    logTrouble();
  }

  /** After a failed step of telling the actor: backs off, and says whether to try again. */
  private boolean pause(int attempt, Ticket t, Throwable e) {
    trouble(TELL_OVER, t.work, e);
    logTrouble(); // if there is memory for it again, say so now: the retries may go on for a while
    if (closed && attempt > 100) {
      return false; // the worker is gone: its PostStop has answered the waiters
    }
    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Math.min(100, 1L << Math.min(attempt, 7))));
    return true;
  }

  /**
   * Records a failure of the lane's own bookkeeping, to be logged by {@link #logTrouble}. It allocates
   * nothing and names no string constant (the first use of one allocates it): under an
   * OutOfMemoryError a catch block that allocates throws again, past the steps that must still run.
   */
  private void trouble(int step, KthreadWork work, Throwable e) {
    if (trouble == null) {
      trouble = e;
      troubleStep = step;
      troubleWork = work;
    }
  }

  /** After a step that succeeded, or while retrying one: logs the recorded failure, if it can now. */
  private void logTrouble() {
    if (trouble == null) {
      return;
    }
    try {
      LOG.error("Worker [{}] failed in {} [{}]; its thread goes on", handle.logName(), STEPS[troubleStep],
          troubleWork == null ? "-" : troubleWork.logName(), trouble);
      trouble = null;
      troubleWork = null;
    } catch (Throwable stillFailing) {
      // keep it for the next try
    }
  }


  /**
   * The instance running on the calling thread, if that thread is this lane's, else null. No thread
   * local: only the runner itself can see itself as the runner, and it reads its own writes of
   * {@link #current}.
   */
  Ticket runningOnCallerThread() {
    return runner == Thread.currentThread() ? current : null;
  }
}
