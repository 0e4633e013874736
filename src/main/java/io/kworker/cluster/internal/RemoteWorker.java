package io.kworker.cluster.internal;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import io.kworker.WorkState;
import io.kworker.cluster.ClusterWorker;
import io.kworker.cluster.UnknownHandlerException;
import io.kworker.cluster.WorkBindingException;
import io.kworker.cluster.WorkSpec;
import io.kworker.cluster.WorkerRelocatedException;
import io.kworker.internal.Op;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The {@link ClusterWorker} façade: one ask to the worker's entity per call, its {@link Msg.Reply}
 * turned into the value or the exception.
 *
 * <p>INTERNAL API.
 */
public final class RemoteWorker implements ClusterWorker {
  private final String name;
  private final EntityRef<Msg> ref;
  private final Node node;

  public RemoteWorker(String name, EntityRef<Msg> ref, Node node) {
    this.name = name;
    this.ref = ref;
    this.node = node;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public CompletionStage<Boolean> queue(WorkSpec spec) {
    return queue(Msg.QueueOp.QUEUE, spec, 0L);
  }

  @Override
  public CompletionStage<Boolean> queueDelayed(WorkSpec spec, Duration delay) {
    return queue(Msg.QueueOp.QUEUE_DELAYED, spec, Op.QUEUE_DELAYED.nanos(delay(spec, delay)));
  }

  @Override
  public CompletionStage<Boolean> modDelayed(WorkSpec spec, Duration delay) {
    return queue(Msg.QueueOp.MOD_DELAYED, spec, Op.MOD_DELAYED.nanos(delay(spec, delay)));
  }

  private static Duration delay(WorkSpec spec, Duration delay) {
    Objects.requireNonNull(spec, "work spec");
    return delay;
  }

  private CompletionStage<Boolean> queue(Msg.QueueOp op, WorkSpec spec, long delayNanos) {
    Objects.requireNonNull(spec, "work spec");
    var payload = spec.payload() == null ? null : node.cbor.tree(spec.payload());
    return ask(call(op, spec.id()), node.settings.askTimeout(),
        r -> new Msg.Queue(op, spec.id(), spec.handler(), payload, delayNanos, r), Msg.Reply::value);
  }

  @Override
  public CompletionStage<Boolean> cancel(String workId) {
    return ask("cancel of work [" + id(workId) + "]", node.settings.askTimeout(),
        r -> new Msg.Cancel(workId, false, r), Msg.Reply::value);
  }

  @Override
  public CompletionStage<Boolean> cancelSync(String workId) {
    return cancelSync(workId, node.settings.waitTimeout());
  }

  @Override
  public CompletionStage<Boolean> cancelSync(String workId, Duration timeout) {
    String call = "cancelSync of work [" + id(workId) + "]";
    Objects.requireNonNull(timeout, "timeout");
    refuseWaitOnItself(call, workId);
    return ask(call, timeout, r -> new Msg.Cancel(workId, true, r), Msg.Reply::value);
  }

  @Override
  public CompletionStage<Done> flush(String workId) {
    String call = "flush of work [" + id(workId) + "]";
    refuseWaitOnItself(call, workId);
    return ask(call, node.settings.waitTimeout(), r -> new Msg.Flush(workId, r), r -> Done.getInstance());
  }

  @Override
  public CompletionStage<Done> flush() {
    refuseWaitOnItself("flush of the worker", null);
    return ask("flush of the worker", node.settings.waitTimeout(), r -> new Msg.Flush(null, r),
        r -> Done.getInstance());
  }

  @Override
  public CompletionStage<WorkState> state(String workId) {
    return ask("state of work [" + id(workId) + "]", node.settings.askTimeout(), r -> new Msg.State(workId, r),
        r -> WorkState.valueOf(r.text()));
  }

  @Override
  public CompletionStage<Done> destroy() {
    refuseWaitOnItself("destroy", null);
    return ask("destroy", node.settings.waitTimeout(), Msg.Destroy::new, r -> Done.getInstance());
  }

  private static String id(String workId) {
    return Objects.requireNonNull(workId, "work id");
  }

  private static String call(Msg.QueueOp op, String id) {
    String method = switch (op) {
      case QUEUE -> "queue";
      case QUEUE_DELAYED -> "queueDelayed";
      case MOD_DELAYED -> "modDelayed";
    };
    return method + " of work [" + id + "]";
  }

  /**
   * A wait from inside a run of this worker on what could only end after that run (the work itself, or
   * the whole worker) fails at once, as the local worker's does, instead of timing out.
   */
  private void refuseWaitOnItself(String call, String workId) {
    WorkerEntity.Context running = WorkerEntity.current(name);
    if (running != null && (workId == null || workId.equals(running.binding.id))) {
      throw new IllegalStateException(call + " on worker [" + name + "] from inside the run of work ["
          + running.binding.id + "] would wait for that run itself");
    }
  }

  private <T> CompletionStage<T> ask(String call, Duration timeout,
      akka.japi.function.Function<ActorRef<Msg.Reply>, Msg> message, Function<Msg.Reply, T> value) {
    CompletableFuture<T> result = new CompletableFuture<>();
    // Akka's stage (Scala's converter) runs even a non-async callback on CompletableFuture's default
    // executor: a hop to the common pool, or, with 2 CPUs or fewer, a new thread per answer, which cost as
    // much as the network. Ours runs on the thread that completes the ask, as the core's stages do.
    ref.<Msg.Reply>ask(message, timeout).whenCompleteAsync((reply, e) -> {
      if (e != null) {
        Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        result.completeExceptionally(t instanceof TimeoutException
            ? timeout(call, timeout, t)
            : t);
      } else if (reply.outcome() == Msg.Outcome.VALUE) {
        result.complete(value.apply(reply));
      } else {
        result.completeExceptionally(exception(reply));
      }
    }, Runnable::run);
    return result;
  }

  private TimeoutException timeout(String call, Duration timeout, Throwable cause) {
    TimeoutException t = new TimeoutException(call + " on worker [" + name + "] got no answer within " + timeout
        + ": outcome unknown (the call may or may not have taken effect on the worker's node)");
    t.initCause(cause);
    return t;
  }

  private static RuntimeException exception(Msg.Reply r) {
    return switch (r.outcome()) {
      case UNKNOWN_HANDLER -> new UnknownHandlerException(r.text());
      case BINDING -> new WorkBindingException(r.text());
      case RELOCATED -> new WorkerRelocatedException(r.text(), false);
      case RELOCATED_RUNNING -> new WorkerRelocatedException(r.text(), true);
      case REJECTED -> new RejectedExecutionException(r.text());
      case BAD_ARGUMENT -> new IllegalArgumentException(r.text());
      case ILLEGAL_STATE, VALUE -> new IllegalStateException(r.text());
    };
  }
}
