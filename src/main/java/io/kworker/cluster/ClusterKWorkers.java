package io.kworker.cluster;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.cluster.sharding.typed.ClusterShardingSettings;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import com.typesafe.config.Config;
import io.kworker.cluster.internal.ClusterSettings;
import io.kworker.cluster.internal.Handler;
import io.kworker.cluster.internal.Msg;
import io.kworker.cluster.internal.NoRebalance;
import io.kworker.cluster.internal.Node;
import io.kworker.cluster.internal.RemoteWorker;
import io.kworker.cluster.internal.WorkerEntity;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Named workers across an Akka cluster, an Akka extension: {@code ClusterKWorkers.get(system)}.
 *
 * <p>Each named worker is one entity of Cluster Sharding (entity type {@code kworker}, entity id = the
 * worker's name), which wraps a local {@link io.kworker.KWorker}: every kernel rule and return value is
 * the local worker's. A work crossing nodes is a {@link WorkSpec}: an id, the name of a handler and a
 * payload. On every node, before it joins the cluster:
 *
 * <pre>{@code
 * ClusterKWorkers workers = ClusterKWorkers.get(system)
 *     .register("email.send", Email.class, (ctx, email) -> mailer.send(email));
 * // ... join the cluster; then, from any node:
 * ClusterWorker outbox = workers.worker("outbox");
 * outbox.queue(WorkSpec.of("welcome-42", "email.send", new Email("a@b.c", "Hi")));
 * outbox.cancelSync("welcome-42"); // true/false once it is not pending, armed or running
 * }</pre>
 *
 * <p>{@link #get} starts sharding for {@code kworker} on this node with automatic passivation off and,
 * unless {@code kworker.cluster.rebalance = on}, an allocation strategy that never moves a shard. It
 * fails when {@code akka.actor.provider} is not {@code cluster}, and when the hand-off deadline
 * {@code kworker.cluster.handoff.deadline} is not below Akka's own hand-off limits; it logs a warning
 * when no downing provider is configured (then no node is ever removed after a crash and its workers
 * never move). Requires {@code akka-cluster-sharding-typed} and {@code akka-serialization-jackson}
 * (2.6.21), which kworker declares optional.
 */
public final class ClusterKWorkers implements Extension {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterKWorkers.class);
  /** The entity type of every kworker worker. */
  static final EntityTypeKey<Msg> TYPE_KEY = EntityTypeKey.create(Msg.class, "kworker");

  /** The extension's id, for {@code akka.actor.typed.extensions}. */
  public static final class Id extends ExtensionId<ClusterKWorkers> {
    private static final Id INSTANCE = new Id();

    private Id() {}

    @Override
    public ClusterKWorkers createExtension(ActorSystem<?> system) {
      return new ClusterKWorkers(system);
    }
  }

  private final ActorSystem<?> system;
  private final Node node;

  private ClusterKWorkers(ActorSystem<?> system) {
    Config config = system.settings().config();
    String provider = config.getString("akka.actor.provider");
    if (!provider.equals("cluster") && !provider.endsWith("ClusterActorRefProvider")) {
      throw new IllegalStateException("ClusterKWorkers needs akka.actor.provider = cluster (actor system ["
          + system.name() + "] has [" + provider + "])");
    }
    this.system = system;
    this.node = new Node(system, ClusterSettings.from(config));
    if (config.getString("akka.cluster.downing-provider-class").isEmpty()) {
      LOG.warn("Actor system [{}] has no downing provider (akka.cluster.downing-provider-class): a crashed node"
          + " is never removed, so its kworker workers never move. Set it to"
          + " akka.cluster.sbr.SplitBrainResolverProvider", system.name());
    }
    Entity<Msg, ?> entity = Entity.of(TYPE_KEY, ctx -> WorkerEntity.create(ctx.getEntityId(), node))
        .withStopMessage(Msg.HandOff.INSTANCE)
        .withSettings(ClusterShardingSettings.create(system).withNoPassivationStrategy());
    if (!node.settings().rebalance()) {
      entity = entity.withAllocationStrategy(new NoRebalance());
    }
    ClusterSharding.get(system).init(entity);
  }

  /**
   * {@return this actor system's extension} The first call starts sharding for {@code kworker} on this
   * node.
   *
   * @param system the actor system, a node of the cluster
   */
  public static ClusterKWorkers get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  /**
   * Registers {@code fn} as the handler named {@code handler}: the node runs it for every work naming
   * it, with the payload read into {@code payloadType}. Register every handler on every node before the
   * node joins the cluster (a worker may move to any node). Registering a name again replaces it.
   *
   * @param <P> the payload's type
   * @param handler the handler's name, which works name
   * @param payloadType the class the payload is read into
   * @param fn what runs each work naming the handler
   * @return this, for chaining
   */
  public <P> ClusterKWorkers register(String handler, Class<P> payloadType, WorkHandler<P> fn) {
    Objects.requireNonNull(handler, "handler name");
    if (handler.isEmpty()) {
      throw new IllegalArgumentException("handler name is empty");
    }
    node.register(new Handler<>(handler, Objects.requireNonNull(payloadType, "payload type"),
        Objects.requireNonNull(fn, "handler function")));
    return this;
  }

  /**
   * {@return the worker named {@code name}, usable from any node, hosting or not} No I/O: the worker is
   * created on its node by its first call.
   *
   * @param name the worker's name (its entity id)
   */
  public ClusterWorker worker(String name) {
    Objects.requireNonNull(name, "worker name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("worker name is empty");
    }
    return new RemoteWorker(name, ClusterSharding.get(system).entityRefFor(TYPE_KEY, name), node);
  }
}
