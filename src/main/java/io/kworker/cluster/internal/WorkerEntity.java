package io.kworker.cluster.internal;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import io.kworker.DelayedWork;
import io.kworker.DestroyReport;
import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.WorkState;
import io.kworker.cluster.WorkContext;
import io.kworker.cluster.internal.Msg.Outcome;
import io.kworker.cluster.internal.Msg.Reply;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sharded entity of one named worker: a thin shell around a core {@link KWorker}, its child, which
 * keeps every kernel rule, return value and race fix. The shell adds what crossing nodes needs.
 *
 * <pre>
 * State (this actor's only, except where marked)
 *   core      the core worker, created at the first call and dropped when a destroy completes (the next
 *             call creates a fresh one: there is no tombstone without persistence)
 *   works     work id -> Binding (handler, core DelayedWork, latest payload), for the core's lifetime
 *   fencing   the hand-off fence has begun: queueing calls are refused, other calls still served
 *   waiters   calls whose answer waits on the core (cancelSync, flush, destroy); any still unanswered
 *             when the actor stops is answered WorkerRelocated, never success
 *   running   (written by the execution thread) the binding whose handler runs now, for the fence's
 *             cooperative stop and the interrupt in PostStop
 *
 * A call                  checked (handler known, id bound to the same handler, payload readable) before
 *                         anything changes, then the core call; its stage answers the caller directly.
 * Payload                 the latest queueing call's payload is the one the next run reads, as a kernel
 *                         caller writes the struct around its work before kthread_queue_work.
 * Hand-off (HandOff)      fencing = true; armed works are disarmed and logged as lost (WARN, with ids);
 *                         the core's bounded destroy runs the ready works in order; at deadline -
 *                         stop-grace the running work is asked to stop (cancelRequested), stop-grace / 2
 *                         later interrupted; at the deadline the entity stops, logging a run still alive
 *                         as a zombie (ERROR): it may overlap the worker's next home.
 * PostStop                interrupts a run still alive (a crash-free stop without a fence: a downed node,
 *                         a system terminate), answers the unanswered waiters.
 * </pre>
 *
 * <p>INTERNAL API.
 */
public final class WorkerEntity extends AbstractBehavior<Msg> {
  private static final Logger LOG = LoggerFactory.getLogger("io.kworker.cluster.Worker");
  /** The context of the handler running on this thread, to refuse a wait on itself. */
  private static final ThreadLocal<Context> CURRENT = new ThreadLocal<>();
  private static final Duration NEVER = ChronoUnit.FOREVER.getDuration();

  private final String name;
  private final Node node;
  private final TimerScheduler<Msg> timers;
  private KWorker core;
  private final Map<String, Binding> works = new HashMap<>();
  private boolean fencing;
  private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();
  private volatile Binding running;
  /** Set when the fence asks the running work to stop, and in PostStop. */
  private volatile boolean stopRequested;

  private WorkerEntity(ActorContext<Msg> context, TimerScheduler<Msg> timers, String name, Node node) {
    super(context);
    this.timers = timers;
    this.name = name;
    this.node = node;
  }

  /** The behavior of the entity named {@code name} on this node. */
  public static Behavior<Msg> create(String name, Node node) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(t -> new WorkerEntity(ctx, t, name, node)));
  }

  /** The running handler's context if this thread runs a work of worker {@code worker}, else null. */
  static Context current(String worker) {
    Context c = CURRENT.get();
    return c != null && c.binding.owner.name.equals(worker) ? c : null;
  }

  @Override
  public Receive<Msg> createReceive() {
    return newReceiveBuilder()
        .onMessage(Msg.Queue.class, this::onQueue)
        .onMessage(Msg.Cancel.class, this::onCancel)
        .onMessage(Msg.Flush.class, this::onFlush)
        .onMessage(Msg.State.class, this::onState)
        .onMessage(Msg.Destroy.class, this::onDestroy)
        .onMessage(Msg.Step.class, this::onStep)
        .onMessageEquals(Msg.HandOff.INSTANCE, this::onHandOff)
        .onSignal(PostStop.class, s -> onPostStop())
        .build();
  }

  // ------------------------------------------------------------------ calls

  private Behavior<Msg> onQueue(Msg.Queue q) {
    if (fencing) {
      q.replyTo().tell(Reply.error(Outcome.RELOCATED, "worker [" + name + "] is leaving node ["
          + node.address() + "]: " + q.op().name().toLowerCase() + " of work [" + q.id()
          + "] was not taken; call again to reach its next home"));
      return this;
    }
    Handler<?> handler = node.handler(q.handler());
    if (handler == null) {
      q.replyTo().tell(Reply.error(Outcome.UNKNOWN_HANDLER, "handler [" + q.handler()
          + "] is not registered on node [" + node.address() + "], which hosts worker [" + name + "] (work ["
          + q.id() + "]): register every handler on every node before it joins the cluster"));
      return this;
    }
    Binding b = works.get(q.id());
    if (b != null && !b.handler.name().equals(handler.name())) {
      q.replyTo().tell(Reply.error(Outcome.BINDING, "work [" + q.id() + "] of worker [" + name
          + "] is bound to handler [" + b.handler.name() + "]; refused handler [" + handler.name()
          + "]: a work id keeps the handler of its first use"));
      return this;
    }
    Object payload;
    try {
      payload = node.cbor.value(q.payload(), handler.payloadType());
    } catch (Exception e) {
      q.replyTo().tell(Reply.error(Outcome.BAD_ARGUMENT, "the payload of work [" + q.id() + "] of worker ["
          + name + "] cannot be read as " + handler.payloadType().getName() + ", the type handler ["
          + handler.name() + "] takes: " + e.getMessage()));
      return this;
    }
    KWorker core = core();
    if (b == null) {
      b = new Binding(this, core, q.id(), handler);
      works.put(q.id(), b);
    }
    b.payload = payload;
    Duration delay = q.delayNanos() == Long.MAX_VALUE ? NEVER : Duration.ofNanos(q.delayNanos());
    CompletionStage<Boolean> answer = switch (q.op()) {
      case QUEUE -> core.queue(b.work);
      case QUEUE_DELAYED -> core.queueDelayed(b.work, delay);
      case MOD_DELAYED -> core.modDelayed(b.work, delay);
    };
    answer.whenComplete((v, e) -> q.replyTo().tell(e == null ? Reply.of(v) : error(e)));
    return this;
  }

  private Behavior<Msg> onCancel(Msg.Cancel c) {
    Binding b = works.get(c.id());
    if (b == null) {
      c.replyTo().tell(Reply.FALSE); // never queued here: not pending
    } else if (c.sync()) {
      new Waiter(this, c.replyTo(), "cancelSync of work [" + c.id() + "]").await(b.core.cancelSync(b.work));
    } else {
      b.core.cancel(b.work).whenComplete((v, e) -> c.replyTo().tell(e == null ? Reply.of(v) : error(e)));
    }
    return this;
  }

  private Behavior<Msg> onFlush(Msg.Flush f) {
    if (f.id() == null) {
      if (core == null) {
        f.replyTo().tell(Reply.DONE);
      } else {
        new Waiter(this, f.replyTo(), "flush of the worker").await(core.flush());
      }
      return this;
    }
    Binding b = works.get(f.id());
    if (b == null) {
      f.replyTo().tell(Reply.DONE);
    } else {
      new Waiter(this, f.replyTo(), "flush of work [" + f.id() + "]").await(b.core.flush(b.work));
    }
    return this;
  }

  private Behavior<Msg> onState(Msg.State s) {
    Binding b = works.get(s.id());
    if (b == null) {
      s.replyTo().tell(new Reply(Outcome.VALUE, false, WorkState.IDLE.name()));
    } else {
      b.core.state(b.work).whenComplete((v, e) ->
          s.replyTo().tell(e == null ? new Reply(Outcome.VALUE, false, v.name()) : error(e)));
    }
    return this;
  }

  private Behavior<Msg> onDestroy(Msg.Destroy d) {
    if (core == null) {
      d.replyTo().tell(Reply.DONE);
      return this;
    }
    KWorker destroyed = core;
    Waiter w = new Waiter(this, d.replyTo(), "destroy");
    destroyed.destroy().whenComplete((v, e) -> getContext().getSelf().tell(new Msg.Step(() -> {
      if (core == destroyed) { // the next call creates a fresh worker
        core = null;
        works.clear();
      }
      w.answer(e == null ? Reply.DONE : error(e));
    })));
    return this;
  }

  private Behavior<Msg> onStep(Msg.Step s) {
    s.action().run();
    return fencing && core == null ? Behaviors.stopped() : this;
  }

  private KWorker core() {
    if (core == null) {
      core = KWorker.spawn(getContext(), name);
    }
    return core;
  }

  // ------------------------------------------------------------------ hand-off fence

  private Behavior<Msg> onHandOff() {
    if (core == null) {
      return Behaviors.stopped();
    }
    fencing = true;
    KWorker fenced = core;
    long start = System.nanoTime();
    List<CompletableFuture<String>> disarmed = new ArrayList<>();
    for (Binding b : works.values()) {
      disarmed.add(fenced.state(b.work).thenCompose(s -> s == WorkState.ARMED || s == WorkState.RUNNING_AND_ARMED
          ? fenced.cancel(b.work).thenApply(removed -> removed ? b.id : null)
          : CompletableFuture.<String>completedFuture(null)).toCompletableFuture());
    }
    CompletableFuture.allOf(disarmed.toArray(CompletableFuture[]::new)).whenComplete((v, e) ->
        getContext().getSelf().tell(new Msg.Step(() -> {
          List<String> lost = disarmed.stream().map(f -> f.getNow(null)).filter(Objects::nonNull).sorted().toList();
          if (!lost.isEmpty()) {
            LOG.warn("Worker [{}] leaves node [{}]: {} armed work(s) are lost (no persistence in v1): {}", name,
                node.address(), lost.size(), lost);
          }
          drain(fenced, node.settings.handoffDeadline().minusNanos(System.nanoTime() - start));
        })));
    return this;
  }

  /** The fence's second half: the ready works run, the running one is stopped if it outlives its time. */
  private void drain(KWorker fenced, Duration left) {
    Duration grace = node.settings.stopGrace();
    Duration untilStop = left.minus(grace);
    Runnable askToStop = () -> {
      Binding r = running;
      if (r != null) {
        stopRequested = true;
        LOG.warn("Worker [{}] leaving node [{}]: work [{}] still runs; asking it to stop, then interrupting it",
            name, node.address(), r.id);
        r.core.cancelSync(r.work, grace.dividedBy(2));
      }
    };
    if (untilStop.isNegative() || untilStop.isZero()) {
      askToStop.run();
    } else {
      timers.startSingleTimer(new Msg.Step(askToStop), untilStop);
    }
    fenced.destroy(left.isNegative() ? Duration.ZERO : left).whenComplete((report, e) ->
        getContext().getSelf().tell(new Msg.Step(() -> fenced(report))));
  }

  private void fenced(DestroyReport report) {
    if (report != null && !report.discarded().isEmpty()) {
      LOG.warn("Worker [{}] leaves node [{}]: {} ready work(s) had not started by the hand-off deadline and are"
          + " lost: {}", name, node.address(), report.discarded().size(), names(report.discarded()));
    }
    if (report != null && !report.stillRunning().isEmpty()) {
      LOG.error("Worker [{}] leaves node [{}] while work {} still runs after the hand-off deadline and its"
          + " interrupt: it may overlap the worker's next home", name, node.address(), names(report.stillRunning()));
    }
    core = null; // onStep stops the entity
  }

  private static List<String> names(List<Work> works) {
    return works.stream().map(Work::name).toList();
  }

  private Behavior<Msg> onPostStop() {
    stopRequested = true;
    Binding r = running;
    Thread t = r == null ? null : r.thread;
    if (t != null) {
      t.interrupt(); // no fence ran, or it gave up: the run must not outlive its worker quietly
    }
    for (Waiter w : waiters) {
      boolean alive = t != null && t.isAlive() && running == r;
      w.answer(Reply.error(alive ? Outcome.RELOCATED_RUNNING : Outcome.RELOCATED, "worker [" + name + "] left node ["
          + node.address() + "] while " + w.what + " waited" + (alive ? "; work [" + r.id
          + "] was still running there, so the outcome is not a success" : "")));
    }
    return this;
  }

  private static Reply error(Throwable e) {
    Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    Outcome o = t instanceof RejectedExecutionException ? Outcome.REJECTED
        : t instanceof IllegalArgumentException ? Outcome.BAD_ARGUMENT : Outcome.ILLEGAL_STATE;
    return Reply.error(o, String.valueOf(t.getMessage()));
  }

  // ------------------------------------------------------------------ parts

  /** A work id of this entity: its handler, its core work and the payload of its next run. */
  static final class Binding {
    final WorkerEntity owner;
    final KWorker core;
    final String id;
    final Handler<?> handler;
    final DelayedWork work;
    volatile Object payload;
    /** The thread running this work's handler now, or null. */
    volatile Thread thread;

    Binding(WorkerEntity owner, KWorker core, String id, Handler<?> handler) {
      this.owner = owner;
      this.core = core;
      this.id = id;
      this.handler = handler;
      this.work = DelayedWork.of(id, w -> run());
    }

    /** On the execution thread: one run of the handler. */
    @SuppressWarnings("unchecked")
    private void run() {
      Context ctx = new Context(this);
      thread = Thread.currentThread();
      owner.running = this;
      CURRENT.set(ctx);
      try {
        ((Handler<Object>) handler).fn().run(ctx, payload);
      } catch (Exception e) {
        throw sneaky(e); // the core logs and counts it, as any work's
      } finally {
        ctx.over = true;
        CURRENT.remove();
        owner.running = null;
        thread = null;
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> RuntimeException sneaky(Throwable e) throws E {
    throw (E) e;
  }

  /** The {@link WorkContext} of one run. */
  static final class Context implements WorkContext {
    final Binding binding;
    volatile boolean over;

    Context(Binding binding) {
      this.binding = binding;
    }

    private Binding live(String what) {
      if (over) {
        throw new IllegalStateException(what + " of work [" + binding.id + "] of worker ["
            + binding.owner.name + "] called after its run returned: the WorkContext is valid inside the run only");
      }
      return binding;
    }

    @Override
    public String workId() {
      return live("workId").id;
    }

    @Override
    public String worker() {
      return live("worker").owner.name;
    }

    @Override
    public boolean cancelRequested() {
      Binding b = live("cancelRequested");
      return b.work.cancelRequested() || b.owner.stopRequested;
    }

    @Override
    public CompletionStage<Boolean> queueSelf() {
      Binding b = live("queueSelf");
      return b.core.queue(b.work);
    }

    @Override
    public CompletionStage<Boolean> queueSelfDelayed(Duration delay) {
      Binding b = live("queueSelfDelayed");
      return b.core.queueDelayed(b.work, delay);
    }
  }

  /** A caller whose answer waits on the core; answered once, by the core or, if the actor stops, by PostStop. */
  private static final class Waiter {
    final WorkerEntity owner;
    final ActorRef<Reply> replyTo;
    final String what;
    final AtomicBoolean answered = new AtomicBoolean();

    Waiter(WorkerEntity owner, ActorRef<Reply> replyTo, String what) {
      this.owner = owner;
      this.replyTo = replyTo;
      this.what = what;
      owner.waiters.add(this);
    }

    void await(CompletionStage<?> stage) {
      stage.whenComplete((v, e) -> answer(e != null ? error(e)
          : v instanceof Boolean bool ? Reply.of(bool) : Reply.DONE));
    }

    void answer(Reply reply) {
      if (answered.compareAndSet(false, true)) {
        owner.waiters.remove(this);
        replyTo.tell(reply);
      }
    }
  }
}
