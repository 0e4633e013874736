package io.kworker.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.MemberStatus;
import akka.cluster.sharding.ShardRegion;
import akka.cluster.sharding.typed.GetClusterShardingStats;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.kworker.testing.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;
import java.util.stream.StreamSupport;

/**
 * N actor systems in this JVM, one cluster over loopback Artery on free ports, every message really
 * serialized ({@code serialize-messages = on}), with fast failure detection and the Split Brain Resolver.
 * Each node gets {@link ClusterKWorkers} and its handlers before it joins, plus a {@code where} handler
 * that tells which node hosts a worker. {@code terminate()} is a crash here; {@link #leave} is the
 * graceful way out.
 */
final class ClusterNodes implements AutoCloseable {
  static final String SYSTEM = "KCluster";
  private static final String BASE = """
      akka {
        loglevel = "ERROR"
        actor { provider = cluster, serialize-messages = on }
        remote.artery { transport = tcp, canonical.hostname = "127.0.0.1" }
        cluster {
          jmx.multi-mbeans-in-same-jvm = on
          downing-provider-class = "akka.cluster.sbr.SplitBrainResolverProvider"
          split-brain-resolver.stable-after = 2s
          failure-detector { heartbeat-interval = 200ms, acceptable-heartbeat-pause = 1s }
          sharding { number-of-shards = 60, retry-interval = 200ms }
          # a cluster of one JVM forms in about a second instead of several
          gossip-interval = 200ms
          leader-actions-interval = 200ms
          periodic-tasks-initial-delay = 100ms
        }
        coordinated-shutdown { run-by-actor-system-terminate = off, run-by-jvm-shutdown-hook = off, exit-jvm = off }
      }
      """;

  static final long LEAVE_SECONDS = 3 * Await.LONG_SECONDS;
  private final List<ActorSystem<Void>> nodes = new ArrayList<>();
  private final List<ClusterKWorkers> workers = new ArrayList<>();
  /** worker name -> index of the node that ran its last "where" probe. */
  private final Map<String, Integer> where = new ConcurrentHashMap<>();

  private ClusterNodes() {}

  /**
   * Starts {@code n} nodes with {@code hocon} over the base configuration, calls {@code register} with
   * each node's index and extension before it joins, and returns once all are Up and every node's
   * shard region is known to the coordinator (so shards spread over all of them).
   */
  static ClusterNodes start(int n, String hocon, BiConsumer<Integer, ClusterKWorkers> register) {
    return start(n, i -> hocon, register);
  }

  /** The same, with each node's configuration from {@code hocon}, by node index. */
  static ClusterNodes start(int n, IntFunction<String> hocon, BiConsumer<Integer, ClusterKWorkers> register) {
    ClusterNodes c = new ClusterNodes();
    try {
      for (int i = 0; i < n; i++) {
        // no min-nr-of-members: a shard coordinator that starts anew (its node left or crashed) would allocate
        // nothing while fewer regions remain; this method waits for all n regions before any allocation
        Config config = ConfigFactory.parseString(hocon.apply(i))
            .withFallback(ConfigFactory.parseString("akka.remote.artery.canonical.port = " + freePort()))
            .withFallback(ConfigFactory.parseString(BASE))
            .withFallback(ConfigFactory.parseResources("application-test.conf"))
            .withFallback(ConfigFactory.load())
            .resolve();
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), SYSTEM, config);
        c.nodes.add(system);
        int index = i;
        ClusterKWorkers w = ClusterKWorkers.get(system)
            .register("where", String.class, (ctx, p) -> c.where.put(ctx.worker(), index));
        register.accept(i, w);
        c.workers.add(w);
      }
      var first = Cluster.get(c.nodes.get(0)).selfMember().address();
      for (ActorSystem<Void> s : c.nodes) {
        Cluster.get(s).manager().tell(Join.create(first));
      }
      for (ActorSystem<Void> s : c.nodes) {
        Await.until("all " + n + " members Up on " + s.address(), () -> up(s) == n);
      }
      Await.until("all " + n + " shard regions registered", () -> c.regions(0) == n);
      return c;
    } catch (RuntimeException | Error e) {
      c.close();
      throw e;
    }
  }

  private static long up(ActorSystem<?> s) {
    return StreamSupport.stream(Cluster.get(s).state().getMembers().spliterator(), false)
        .filter(m -> m.status() == MemberStatus.up()).count();
  }

  private int regions(int node) {
    ActorSystem<Void> s = nodes.get(node);
    ShardRegion.ClusterShardingStats stats = Await.result(AskPattern.ask(ClusterSharding.get(s).shardState(),
        r -> new GetClusterShardingStats(ClusterKWorkers.TYPE_KEY, Duration.ofSeconds(3), r),
        Duration.ofSeconds(5), s.scheduler()));
    return stats.getRegions().size();
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  ActorSystem<Void> node(int i) {
    return nodes.get(i);
  }

  ClusterKWorkers workers(int i) {
    return workers.get(i);
  }

  /** Node i's address as host:port, as kworker's messages name it. */
  String address(int i) {
    var a = Cluster.get(nodes.get(i)).selfMember().address();
    return a.getHost().orElseThrow() + ":" + a.getPort().orElseThrow();
  }

  /** The index of the node hosting worker {@code name} now (creating the worker if needed). */
  int host(String name) {
    ClusterWorker w = workers.get(0).worker(name);
    where.remove(name);
    // after a node left, the shard coordinator may be moving with it: calls time out until it has
    Await.until("worker [" + name + "] answers", () -> {
      try {
        Await.result(w.queue(WorkSpec.of("where", "where", null)));
        return true;
      } catch (AssertionError e) {
        if (e.getCause() instanceof TimeoutException) {
          return false;
        }
        throw e;
      }
    });
    Await.result(w.flush("where"));
    Integer i = where.get(name);
    assertTrue(i != null, "the where probe of worker [" + name + "] did not run");
    return i;
  }

  /** A fresh worker name whose worker lives on node {@code node}. */
  String nameOn(int node, String prefix) {
    for (int i = 0; i < 500; i++) {
      String name = prefix + "-" + i;
      if (host(name) == node) {
        return name;
      }
    }
    throw new AssertionError("no worker name starting with " + prefix + " landed on node " + node);
  }

  /** Node i leaves gracefully (CoordinatedShutdown, as on SIGTERM); returns when its system has ended. */
  void leave(int i) {
    ActorSystem<Void> s = nodes.get(i);
    try {
      // a leave takes what Akka's shutdown phases take (their timeouts add up to tens of seconds)
      CoordinatedShutdown.get(s).runAll(CoordinatedShutdown.unknownReason()).toCompletableFuture()
          .get(LEAVE_SECONDS, TimeUnit.SECONDS);
      s.getWhenTerminated().toCompletableFuture().get(LEAVE_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("node " + i + " did not leave within " + LEAVE_SECONDS + " s", e);
    }
  }

  @Override
  public void close() {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).terminate();
    }
    for (ActorSystem<Void> s : nodes) {
      Await.result(s.getWhenTerminated());
    }
  }
}
