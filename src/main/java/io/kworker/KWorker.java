package io.kworker;

import akka.Done;
import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.ActorContext;
import akka.pattern.StatusReply;
import io.kworker.internal.Instrumentation;
import io.kworker.internal.Op;
import io.kworker.internal.Protocol;
import io.kworker.internal.Settings;
import io.kworker.internal.KthreadWork;
import io.kworker.internal.WorkerBehavior;
import io.kworker.internal.WorkerHandle;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A kthread worker: an actor that owns a queue of {@link Work}s and runs them one at a time, in FIFO
 * order, on its own execution thread, with the Linux kernel's semantics for queueing, delayed queueing,
 * flushing and, above all, cancelling and waiting until the work is no longer running.
 *
 * <p>This class is the Java façade: every method returns at once with a {@link CompletionStage} that the
 * worker completes, without blocking any thread. Non-async dependent actions ({@code thenApply},
 * {@code whenComplete}, ...) run on the thread that completes the stage: the worker actor's, or, for a
 * wait that ends with a run of a work, the worker's own thread. Use the {@code *Async} variants for
 * anything slow or blocking. The same operations are available to
 * actors as the {@link Command} protocol. All methods are thread-safe and may be called from inside
 * works, including the work's own function.
 *
 * <p>Every stage completes, normally or exceptionally, even if the worker actor is stopped or the actor
 * system terminates: on a worker that is gone, queueing fails with a
 * {@link java.util.concurrent.RejectedExecutionException}, cancels give {@code false} and flushes
 * complete. A call from inside a work of this worker that could only complete after that work returns
 * (a flush or cancel-sync of itself, {@code flush()}, {@code drain()}, {@code destroy()}) fails at once
 * with an {@link IllegalStateException} instead of deadlocking as the kernel does. A work bound to
 * another live worker is refused with an {@link IllegalArgumentException}; null arguments throw
 * {@link NullPointerException}.
 */
public final class KWorker {
  private static final AtomicLong ACTOR_SEQ = new AtomicLong();
  private final WorkerHandle handle;

  private KWorker(WorkerHandle handle) {
    this.handle = handle;
  }

  // ------------------------------------------------------------------ creation

  /**
   * Starts a worker as a system actor, with the execution thread configured under {@code kworker}
   * (by default a dedicated thread named {@code kworker/<name>}).
   *
   * @param system the actor system
   * @param name any name; it names the thread ({@code kworker/<name>}) and every log line
   * @return the worker's façade
   * @throws UnsupportedOperationException if {@code kworker.execution} is {@code "virtual"} and this JVM
   *     is older than Java 21
   */
  public static KWorker create(ActorSystem<?> system, String name) {
    return create(system, name, Settings.from(system), Instrumentation.from(system), Settings.EXECUTION_KEY);
  }

  /**
   * Starts a worker as a system actor whose works run on {@code execution}: {@code "dedicated"} for a
   * thread of its own, {@code "virtual"} for virtual threads (Java 21+), or the id of a dispatcher (such
   * as {@code "akka.actor.default-blocking-io-dispatcher"}), shared with other workers.
   *
   * @param system the actor system
   * @param name any name; it names the thread and every log line
   * @param execution {@code "dedicated"}, {@code "virtual"} or a dispatcher id
   * @return the worker's façade
   * @throws UnsupportedOperationException if {@code execution} is {@code "virtual"} and this JVM is older
   *     than Java 21
   */
  public static KWorker create(ActorSystem<?> system, String name, String execution) {
    Settings settings = Settings.from(system).withExecution(Objects.requireNonNull(execution, "execution"));
    return create(system, name, settings, Instrumentation.from(system), "execution");
  }

  /**
   * A system-actor worker with explicit settings (used by {@link KWorkers} for configured workers);
   * {@code executionKey} says where its execution was set, for the error if it cannot be had.
   */
  static KWorker create(ActorSystem<?> system, String name, Settings settings, Instrumentation instr,
      String executionKey) {
    Objects.requireNonNull(name, "worker name");
    settings = settings.validate(system, name, executionKey);
    WorkerHandle handle = new WorkerHandle(name, instr);
    handle.setRef(system.systemActorOf(WorkerBehavior.create(handle, settings), actorName(name),
        props(settings)));
    return new KWorker(handle).published();
  }

  /**
   * Starts a worker as a child of the actor owning {@code context}; it stops with its parent.
   *
   * @param context the parent actor's context
   * @param name any name; it names the thread and every log line
   * @return the worker's façade
   * @throws UnsupportedOperationException if {@code kworker.execution} is {@code "virtual"} and this JVM
   *     is older than Java 21
   */
  public static KWorker spawn(ActorContext<?> context, String name) {
    Objects.requireNonNull(name, "worker name");
    Settings settings = Settings.from(context.getSystem())
        .validate(context.getSystem(), name, Settings.EXECUTION_KEY);
    WorkerHandle handle = new WorkerHandle(name, Instrumentation.from(context.getSystem()));
    handle.setRef(context.spawn(WorkerBehavior.create(handle, settings), actorName(name), props(settings)));
    return new KWorker(handle).published();
  }

  /**
   * The worker actor's behavior, for actors that spawn a worker themselves and talk to it with the
   * {@link Command} protocol. Each spawn is a new worker. Use {@link #wrap} to get a façade for it.
   *
   * @param name any name; it names the thread and every log line
   * @return the behavior to spawn
   */
  public static Behavior<Command> behavior(String name) {
    Objects.requireNonNull(name, "worker name");
    Behavior<Object> worker = akka.actor.typed.javadsl.Behaviors.setup(context -> {
      Settings settings = Settings.from(context.getSystem());
      return WorkerBehavior.create(new WorkerHandle(name, Instrumentation.from(context.getSystem())),
          settings);
    });
    return worker.narrow(); // the actor's internal messages stay out of reach
  }

  /**
   * A façade over a worker spawned from {@link #behavior(String)}. Fails with a
   * {@link java.util.concurrent.TimeoutException} if the actor does not answer within
   * {@code kworker.wrap-timeout} (for example because it has stopped).
   *
   * @param system the actor system the worker runs in
   * @param ref the worker actor
   * @return the worker's façade, once the actor has answered
   */
  public static CompletionStage<KWorker> wrap(ActorSystem<?> system, ActorRef<Command> ref) {
    Objects.requireNonNull(ref, "worker ref");
    CompletableFuture<WorkerHandle> handle = new CompletableFuture<>();
    ActorRef<Object> worker = ref.unsafeUpcast();
    worker.tell(new WorkerBehavior.GetHandle(handle));
    long timeout = Settings.from(system).wrapTimeout().toMillis();
    return handle.orTimeout(timeout, TimeUnit.MILLISECONDS).thenApply(KWorker::of);
  }

  /**
   * The actor's name: the worker's name made path-safe, plus a sequence number, so that any name works
   * and a destroyed worker's name is free at once (an actor's own name is released only after it has
   * terminated, a moment after destroy completes).
   */
  private static String actorName(String name) {
    return "kworker-" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "-" + ACTOR_SEQ.incrementAndGet();
  }

  private static Props props(Settings settings) {
    return settings.actorDispatcher().isEmpty()
        ? Props.empty()
        : DispatcherSelector.fromConfig(settings.actorDispatcher());
  }

  private KWorker published() {
    handle.setFacade(this);
    return this;
  }

  static KWorker of(WorkerHandle handle) {
    Object facade = handle.facade();
    return facade != null ? (KWorker) facade : new KWorker(handle).published();
  }

  static Optional<KWorker> boundTo(KthreadWork work) {
    WorkerHandle h = work.boundHandle();
    return h == null ? Optional.empty() : Optional.of(of(h));
  }

  /** {@return the worker actor, for the {@link Command} protocol} */
  public ActorRef<Command> ref() {
    return handle.ref();
  }

  /** {@return the worker's name, used for its actor, its thread and every log line about it} */
  public String name() {
    return handle.name();
  }

  /**
   * {@return the worker's counters and timings since it started} (Timings only with
   * {@code kworker.stats.timings = on}.) Cheap: it reads a few fields and never talks to the actor, so
   * it may be called often, from any thread; the values are not one atomic snapshot.
   */
  public KWorkerStats stats() {
    return handle.statsSnapshot();
  }

  /**
   * A stage that completes, normally, once the worker is gone for good: its actor has stopped and its
   * thread has returned from its last work and runs nothing more (a thread of the worker's own exits
   * then), however the worker ended: {@link #destroy()}, its parent's stop, or the actor system's
   * termination. A work that never returns keeps it from completing.
   *
   * @return a new stage on each call; completing it does not complete the others
   */
  public CompletionStage<Done> whenTerminated() {
    return handle.whenTerminated();
  }

  /** True once the worker actor has stopped (destroyed, stopped with its parent, or system gone). */
  boolean isClosed() {
    return handle.isClosed();
  }

  // ------------------------------------------------------------------ kthread worker API

  /**
   * {@code kthread_queue_work}: queues {@code work} at the tail.
   *
   * @param work the work
   * @return true if newly queued; false if it was already pending (queued or armed), or a cancel or
   *     disable of it is in progress (then nothing is queued)
   */
  public CompletionStage<Boolean> queue(Work work) {
    return call(Op.QUEUE, work);
  }

  /**
   * {@code kthread_queue_delayed_work}: queues {@code work} after {@code delay}; a zero delay queues it at
   * the tail at once. A work whose timer is armed keeps its expiry.
   *
   * @param work the work
   * @param delay at least zero
   * @return as {@link #queue}
   */
  public CompletionStage<Boolean> queueDelayed(DelayedWork work, Duration delay) {
    return call(Op.QUEUE_DELAYED, work, delay);
  }

  /**
   * {@code kthread_mod_delayed_work}: (re)arms {@code work} to run after {@code delay}, whatever its
   * state; a work waiting in the queue is pulled back and re-armed (a zero delay moves it to the tail).
   *
   * @param work the work
   * @param delay at least zero
   * @return false iff the work was idle (or only running) and got queued; true otherwise, including
   *     when a cancel or disable is in progress (then nothing is queued). The result is a reference
   *     count: the number of pending instances changed iff it is false.
   */
  public CompletionStage<Boolean> modDelayed(DelayedWork work, Duration delay) {
    return call(Op.MOD_DELAYED, work, delay);
  }

  /**
   * {@code kthread_flush_work}: completes when the instance of {@code work} that is pending or running
   * now has finished. It waits for the queued instance (and so for whatever runs before it), or, if the
   * work is only running, for that run alone. An idle work, or one whose timer is still armed, completes
   * at once (the kernel hangs on the latter).
   *
   * @param work the work
   * @return completes when that instance has finished
   */
  public CompletionStage<Done> flush(Work work) {
    return call(Op.FLUSH_WORK, work);
  }

  /**
   * {@code kthread_flush_worker}: completes when every work queued before the call, and the running one,
   * has finished. Armed timers are not waited for.
   *
   * @return completes when they have finished
   */
  public CompletionStage<Done> flush() {
    return call(Op.FLUSH_WORKER, null);
  }

  /**
   * {@code kthread_cancel_work_sync} and {@code kthread_cancel_delayed_work_sync} in one: removes a
   * pending instance, cancels the timer, and, if the work is running, completes only after that run
   * returns. Works for self-requeueing works: while a cancel waits, every queueing of the work gives
   * false and its timer expiries are dropped.
   *
   * <p>On completion the work is neither pending, armed nor running, unless someone queued it again
   * after the cancel completed (the kernel's caveat).
   *
   * @param work the work
   * @return true iff this call removed a pending or armed instance; a work that was only running gives
   *     false after the wait. Of many parallel cancels, at most one gives true, and all wait.
   */
  public CompletionStage<Boolean> cancelSync(Work work) {
    return call(Op.CANCEL_SYNC, work, FOREVER);
  }

  /**
   * {@link #cancelSync(Work)} with escalation: if the run still goes on after {@code grace}, the worker's
   * thread is interrupted (only while this run lasts). A zero grace interrupts at once; a grace of 100
   * years or more ({@code ChronoUnit.FOREVER.getDuration()}, say) never does. The stage still completes
   * only when the function has returned. The work sees the request at once through
   * {@link Work#cancelRequested()}.
   *
   * @param work the work
   * @param grace at least zero
   * @return as {@link #cancelSync(Work)}
   */
  public CompletionStage<Boolean> cancelSync(Work work, Duration grace) {
    return call(Op.CANCEL_SYNC, work, grace);
  }

  /**
   * The workqueue's {@code cancel_work}: removes a pending or armed instance without waiting for a
   * running one.
   *
   * @param work the work
   * @return true iff it removed a pending or armed instance
   */
  public CompletionStage<Boolean> cancel(Work work) {
    return call(Op.CANCEL, work);
  }

  /**
   * The workqueue's {@code flush_delayed_work}: an armed timer is cancelled and the work queued at
   * once, then the work is flushed.
   *
   * @param work the work
   * @return true if it waited for an instance, false if the work was idle
   */
  public CompletionStage<Boolean> flushDelayed(DelayedWork work) {
    return call(Op.FLUSH_DELAYED, work);
  }

  /**
   * The workqueue's {@code disable_work}: raises the work's disable count and removes a pending
   * instance. While the count is non-zero every queueing of the work gives false.
   *
   * @param work the work
   * @return true iff it removed a pending or armed instance
   */
  public CompletionStage<Boolean> disable(Work work) {
    return call(Op.DISABLE, work);
  }

  /**
   * {@link #disable(Work)}, then waits for a running instance to return, as {@link #cancelSync}.
   *
   * @param work the work
   * @return as {@link #disable(Work)}, once no instance runs
   */
  public CompletionStage<Boolean> disableSync(Work work) {
    return call(Op.DISABLE_SYNC, work);
  }

  /**
   * The workqueue's {@code enable_work}: lowers the disable count; queues nothing. Fails with an
   * {@link IllegalStateException} if the work is not disabled.
   *
   * @param work the work
   * @return true iff the count reached zero
   */
  public CompletionStage<Boolean> enable(Work work) {
    return call(Op.ENABLE, work);
  }

  /**
   * The workqueue's {@code enable_and_queue_work}: {@link #enable}, then, if the count reached zero,
   * {@link #queue}.
   *
   * @param work the work
   * @return true iff the count reached zero
   */
  public CompletionStage<Boolean> enableAndQueue(Work work) {
    return call(Op.ENABLE_AND_QUEUE, work);
  }

  /**
   * The workqueue's {@code drain_workqueue}: completes when no work is queued. Meanwhile only chained
   * queueing (calls made from inside a work running on this worker) is accepted: every other queueing
   * call gives false and queues nothing ({@link #modDelayed} gives true and changes nothing), and timers
   * that expire are dropped. Armed timers are not waited for.
   *
   * @return completes when no work is queued
   */
  public CompletionStage<Done> drain() {
    return call(Op.DRAIN, null);
  }

  /**
   * {@return where {@code work} stands on this worker, with its canceling and disable counts}
   *
   * @param work the work
   */
  public CompletionStage<WorkStatus> status(Work work) {
    return call(Op.STATE, work);
  }

  /**
   * {@return where {@code work} stands on this worker}
   *
   * @param work the work
   */
  public CompletionStage<WorkState> state(Work work) {
    return status(work).thenApply(WorkStatus::state);
  }

  /**
   * The workqueue's {@code work_pending}.
   *
   * @param work the work
   * @return true if the work is queued or armed
   */
  public CompletionStage<Boolean> pending(Work work) {
    return state(work).thenApply(WorkState::pending);
  }

  /**
   * The workqueue's {@code work_busy}.
   *
   * @param work the work
   * @return true if the work is pending or running
   */
  public CompletionStage<Boolean> busy(Work work) {
    return state(work).thenApply(s -> s != WorkState.IDLE);
  }

  /**
   * {@code kthread_destroy_worker}: from the moment it is accepted every queueing call fails; armed
   * timers are cancelled (each logged as a warning); every work queued before the call runs, in FIFO
   * order; then the execution thread and the actor stop.
   *
   * @return completes when the thread and the actor have stopped
   */
  public CompletionStage<Done> destroy() {
    return call(Op.DESTROY, null);
  }

  /**
   * {@link #destroy()} with a deadline: if queued works have not all run by then, those that have not
   * started are discarded and the stage completes with a report naming them and the one still
   * running, instead of waiting for it. A zero deadline discards at once what has not started; one of
   * 100 years or more is {@link #destroy()}.
   *
   * @param deadline at least zero
   * @return whether every queued work ran in time, and if not the works discarded and the one running
   */
  public CompletionStage<DestroyReport> destroy(Duration deadline) {
    return call(Op.DESTROY_REPORT, null, deadline);
  }

  /** Every façade method: the call as its row of {@link Op} says. */
  private <T> CompletionStage<T> call(Op op, Work work, Duration duration) {
    return call(op, checked(op, work), op.nanos(duration)); // the work, then the duration, as the records
  }

  private <T> CompletionStage<T> call(Op op, Work work) {
    return call(op, checked(op, work), 0L);
  }

  /**
   * A call whose answer nobody waits for ({@link KWorkerExecutor}'s), with the instant its delay ends if
   * the caller reckoned it (else 0); false if the worker was gone already.
   */
  boolean tell(Op op, Work work, long nanos, long at) {
    return handle.tell(op, (KthreadWork) work, nanos, at);
  }

  @SuppressWarnings("unchecked")
  private <T> CompletionStage<T> call(Op op, Work work, long nanos) {
    return (CompletionStage<T>) (CompletionStage<?>) handle.call(op, (KthreadWork) work, nanos);
  }

  private Work checked(Op op, Work work) {
    if (work == null && op.perWork()) {
      throw new NullPointerException("work is null (" + op.methodName() + " on worker [" + handle.logName() + "])");
    }
    return work;
  }

  /** The grace of the kernel's cancel-sync, which never interrupts: as long as a duration can be. */
  static final Duration FOREVER = ChronoUnit.FOREVER.getDuration();

  /** Façades of the same worker are equal. */
  @Override
  public boolean equals(Object o) {
    return o instanceof KWorker other && other.handle == handle;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(handle);
  }

  @Override
  public String toString() {
    return "KWorker[" + handle.logName() + "]";
  }

  // ------------------------------------------------------------------ actor protocol

  /**
   * The worker actor's protocol, for actors that {@code ask} the worker directly. Every command answers
   * its {@code replyTo} with a {@link StatusReply}: a success with the same value the façade method of
   * the same name gives, or an error carrying the same exception. Use {@code askWithStatus}.
   *
   * <p>A command created by a work while it runs on this worker's thread is a call of that run, as a
   * façade call is: the run is over only once the command has been served, so a self-requeue sent while
   * a {@code cancelSync} waits is refused, queueing during {@code drain()} is chained, and a wait on
   * itself ({@code CancelSync} or {@code FlushWork} of the running work, {@code FlushWorker},
   * {@code Drain}, {@code Destroy}) fails at once with an {@link IllegalStateException}.
   *
   * <p>Order: commands one sender sends are served in order, and façade calls a thread made before it
   * sends a command are served before the command. The façade and the protocol are two channels, though:
   * a façade call made after sending a command may be served first.
   *
   * <p>The commands carry works, which are functions: they never leave their JVM, and are exempt from
   * {@code akka.actor.serialize-messages} ({@link NoSerializationVerificationNeeded}). Across nodes, use
   * {@link io.kworker.cluster.ClusterKWorkers}.
   */
  public sealed interface Command extends NoSerializationVerificationNeeded
      permits Queue, QueueDelayed, ModDelayed, FlushWork, FlushWorker, CancelSync, Cancel,
          FlushDelayed, Disable, DisableSync, Enable, EnableAndQueue, Drain, GetStatus, Destroy,
          DestroyWithin {}

  /**
   * See {@link KWorker#queue}.
   *
   * @param work the work
   * @param replyTo gets the answer, a {@link StatusReply}
   */
  public record Queue(Work work, ActorRef<StatusReply<Boolean>> replyTo) implements Command {
    /**
     * Checks the arguments: a null one throws a {@link NullPointerException}.
     *
     * @param work the work
     * @param replyTo gets the answer, a {@link StatusReply}
     */
    public Queue {
      Objects.requireNonNull(work, "work");
      Objects.requireNonNull(replyTo, "replyTo");
      Protocol.created(this);
    }
  }

  /**
   * See {@link KWorker#queueDelayed}.
   *
   * @param work the work
   * @param delay the delay: zero queues at the tail at once
   * @param replyTo gets the answer, a {@link StatusReply}
   */
  public record QueueDelayed(DelayedWork work, Duration delay, ActorRef<StatusReply<Boolean>> replyTo)
      implements Command {
    /**
     * Checks the arguments: a null one throws a {@link NullPointerException}, a negative duration an
     * {@link IllegalArgumentException}.
     *
     * @param work the work
     * @param delay the delay: zero queues at the tail at once
     * @param replyTo gets the answer, a {@link StatusReply}
     */
    public QueueDelayed {
      Objects.requireNonNull(work, "work");
      Op.QUEUE_DELAYED.nanos(delay);
      Objects.requireNonNull(replyTo, "replyTo");
      Protocol.created(this);
    }
  }

  /**
   * See {@link KWorker#modDelayed}.
   *
   * @param work the work
   * @param delay the delay: zero queues at the tail at once
   * @param replyTo gets the answer, a {@link StatusReply}
   */
  public record ModDelayed(DelayedWork work, Duration delay, ActorRef<StatusReply<Boolean>> replyTo)
      implements Command {
    /**
     * Checks the arguments: a null one throws a {@link NullPointerException}, a negative duration an
     * {@link IllegalArgumentException}.
     *
     * @param work the work
     * @param delay the delay: zero queues at the tail at once
     * @param replyTo gets the answer, a {@link StatusReply}
     */
    public ModDelayed {
      Objects.requireNonNull(work, "work");
      Op.MOD_DELAYED.nanos(delay);
      Objects.requireNonNull(replyTo, "replyTo");
      Protocol.created(this);
    }
  }

  /**
   * See {@link KWorker#flush(Work)}.
   *
   * @param work the work
   * @param replyTo gets the answer, a {@link StatusReply}
   */
  public record FlushWork(Work work, ActorRef<StatusReply<Done>> replyTo) implements Command {
    /**
     * Checks the arguments: a null one throws a {@link NullPointerException}.
     *
     * @param work the work
     * @param replyTo gets the answer, a {@link StatusReply}
     */
    public FlushWork {
      Objects.requireNonNull(work, "work");
      Objects.requireNonNull(replyTo, "replyTo");
      Protocol.created(this);
    }
  }

  /**
   * See {@link KWorker#flush()}.
   *
   * @param replyTo gets the answer, a {@link StatusReply}
   */
  public record FlushWorker(ActorRef<StatusReply<Done>> replyTo) implements Command {
    /**
     * Checks the arguments: a null one throws a {@link NullPointerException}.
     *
     * @param replyTo gets the answer, a {@link StatusReply}
     */
    public FlushWorker {
      Objects.requireNonNull(replyTo, "replyTo");
      Protocol.created(this);
    }
  }

  /**
   * See {@link KWorker#cancelSync(Work, Duration)}: a zero grace interrupts at once, one of 100 years or
   * more never does.
   *
   * @param work the work
   * @param grace how long the run may go on before its thread is interrupted: zero interrupts at
   *     once, 100 years or more never
   * @param replyTo gets the answer, a {@link StatusReply}
   */
  public record CancelSync(Work work, Duration grace, ActorRef<StatusReply<Boolean>> replyTo)
      implements Command {
    /**
     * Checks the arguments: a null one throws a {@link NullPointerException}, a negative duration an
     * {@link IllegalArgumentException}.
     *
     * @param work the work
     * @param grace how long the run may go on before its thread is interrupted: zero interrupts at
     *     once, 100 years or more never
     * @param replyTo gets the answer, a {@link StatusReply}
     */
    public CancelSync {
      Objects.requireNonNull(work, "work");
      Op.CANCEL_SYNC.nanos(grace);
      Objects.requireNonNull(replyTo, "replyTo");
      Protocol.created(this);
    }

    /**
     * The kernel-exact cancel-sync ({@link KWorker#cancelSync(Work)}): it never interrupts.
     *
     * @param work the work
     * @param replyTo gets the answer, a {@link StatusReply}
     */
    public CancelSync(Work work, ActorRef<StatusReply<Boolean>> replyTo) {
      this(work, FOREVER, replyTo);
    }
  }

  /**
   * See {@link KWorker#cancel}.
   *
   * @param work the work
   * @param replyTo gets the answer, a {@link StatusReply}
   */
  public record Cancel(Work work, ActorRef<StatusReply<Boolean>> replyTo) implements Command {
    /**
     * Checks the arguments: a null one throws a {@link NullPointerException}.
     *
     * @param work the work
     * @param replyTo gets the answer, a {@link StatusReply}
     */
    public Cancel {
      Objects.requireNonNull(work, "work");
      Objects.requireNonNull(replyTo, "replyTo");
      Protocol.created(this);
    }
  }

  /**
   * See {@link KWorker#flushDelayed}.
   *
   * @param work the work
   * @param replyTo gets the answer, a {@link StatusReply}
   */
  public record FlushDelayed(DelayedWork work, ActorRef<StatusReply<Boolean>> replyTo) implements Command {
    /**
     * Checks the arguments: a null one throws a {@link NullPointerException}.
     *
     * @param work the work
     * @param replyTo gets the answer, a {@link StatusReply}
     */
    public FlushDelayed {
      Objects.requireNonNull(work, "work");
      Objects.requireNonNull(replyTo, "replyTo");
      Protocol.created(this);
    }
  }

  /**
   * See {@link KWorker#disable}.
   *
   * @param work the work
   * @param replyTo gets the answer, a {@link StatusReply}
   */
  public record Disable(Work work, ActorRef<StatusReply<Boolean>> replyTo) implements Command {
    /**
     * Checks the arguments: a null one throws a {@link NullPointerException}.
     *
     * @param work the work
     * @param replyTo gets the answer, a {@link StatusReply}
     */
    public Disable {
      Objects.requireNonNull(work, "work");
      Objects.requireNonNull(replyTo, "replyTo");
      Protocol.created(this);
    }
  }

  /**
   * See {@link KWorker#disableSync}.
   *
   * @param work the work
   * @param replyTo gets the answer, a {@link StatusReply}
   */
  public record DisableSync(Work work, ActorRef<StatusReply<Boolean>> replyTo) implements Command {
    /**
     * Checks the arguments: a null one throws a {@link NullPointerException}.
     *
     * @param work the work
     * @param replyTo gets the answer, a {@link StatusReply}
     */
    public DisableSync {
      Objects.requireNonNull(work, "work");
      Objects.requireNonNull(replyTo, "replyTo");
      Protocol.created(this);
    }
  }

  /**
   * See {@link KWorker#enable}.
   *
   * @param work the work
   * @param replyTo gets the answer, a {@link StatusReply}
   */
  public record Enable(Work work, ActorRef<StatusReply<Boolean>> replyTo) implements Command {
    /**
     * Checks the arguments: a null one throws a {@link NullPointerException}.
     *
     * @param work the work
     * @param replyTo gets the answer, a {@link StatusReply}
     */
    public Enable {
      Objects.requireNonNull(work, "work");
      Objects.requireNonNull(replyTo, "replyTo");
      Protocol.created(this);
    }
  }

  /**
   * See {@link KWorker#enableAndQueue}.
   *
   * @param work the work
   * @param replyTo gets the answer, a {@link StatusReply}
   */
  public record EnableAndQueue(Work work, ActorRef<StatusReply<Boolean>> replyTo) implements Command {
    /**
     * Checks the arguments: a null one throws a {@link NullPointerException}.
     *
     * @param work the work
     * @param replyTo gets the answer, a {@link StatusReply}
     */
    public EnableAndQueue {
      Objects.requireNonNull(work, "work");
      Objects.requireNonNull(replyTo, "replyTo");
      Protocol.created(this);
    }
  }

  /**
   * See {@link KWorker#drain}.
   *
   * @param replyTo gets the answer, a {@link StatusReply}
   */
  public record Drain(ActorRef<StatusReply<Done>> replyTo) implements Command {
    /**
     * Checks the arguments: a null one throws a {@link NullPointerException}.
     *
     * @param replyTo gets the answer, a {@link StatusReply}
     */
    public Drain {
      Objects.requireNonNull(replyTo, "replyTo");
      Protocol.created(this);
    }
  }

  /**
   * See {@link KWorker#status}.
   *
   * @param work the work
   * @param replyTo gets the answer, a {@link StatusReply}
   */
  public record GetStatus(Work work, ActorRef<StatusReply<WorkStatus>> replyTo) implements Command {
    /**
     * Checks the arguments: a null one throws a {@link NullPointerException}.
     *
     * @param work the work
     * @param replyTo gets the answer, a {@link StatusReply}
     */
    public GetStatus {
      Objects.requireNonNull(work, "work");
      Objects.requireNonNull(replyTo, "replyTo");
      Protocol.created(this);
    }
  }

  /**
   * See {@link KWorker#destroy()}.
   *
   * @param replyTo gets the answer, a {@link StatusReply}
   */
  public record Destroy(ActorRef<StatusReply<Done>> replyTo) implements Command {
    /**
     * Checks the arguments: a null one throws a {@link NullPointerException}.
     *
     * @param replyTo gets the answer, a {@link StatusReply}
     */
    public Destroy {
      Objects.requireNonNull(replyTo, "replyTo");
      Protocol.created(this);
    }
  }

  /**
   * See {@link KWorker#destroy(Duration)}.
   *
   * @param deadline how long queued works may take to run
   * @param replyTo gets the answer, a {@link StatusReply}
   */
  public record DestroyWithin(Duration deadline, ActorRef<StatusReply<DestroyReport>> replyTo)
      implements Command {
    /**
     * Checks the arguments: a null one throws a {@link NullPointerException}, a negative duration an
     * {@link IllegalArgumentException}.
     *
     * @param deadline how long queued works may take to run
     * @param replyTo gets the answer, a {@link StatusReply}
     */
    public DestroyWithin {
      Op.DESTROY_REPORT.nanos(deadline);
      Objects.requireNonNull(replyTo, "replyTo");
      Protocol.created(this);
    }
  }
}
