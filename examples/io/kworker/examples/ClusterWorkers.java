/*
 * A named worker across an Akka cluster: three nodes in this JVM (loopback Artery, every message
 * serialized), a worker that lives on one of them, cancelSync from another, then the hosting node
 * leaves gracefully.
 *
 * The worker "exporter" writes batches to a connection of the node that hosts it. Node C queues a long
 * batch and a self-re-arming delayed "flush-timer"; node A then calls cancelSync on both, and the
 * connection is closed only once they have returned: no write ever hits a closed connection. Then the hosting node
 * leaves (CoordinatedShutdown, as on SIGTERM): its hand-off fence runs the ready batches, reports the
 * armed ones as lost (v1 keeps no state across nodes), and the worker answers from its new home.
 *
 * Run: mvn -q test-compile exec:java -Dexec.mainClass=io.kworker.examples.ClusterWorkers [-Dexec.args="batchMs"]
 */
package io.kworker.examples;

import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import com.typesafe.config.ConfigFactory;
import io.kworker.cluster.ClusterKWorkers;
import io.kworker.cluster.ClusterWorker;
import io.kworker.cluster.WorkSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.StreamSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public final class ClusterWorkers {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterWorkers.class);

  /** A payload: a record travels as CBOR and is read back into this type on the hosting node. */
  public record Batch(String name, int millis) {}

  /** A connection of one node: refuses writes once closed. */
  static final class Connection {
    final String node;
    volatile boolean closed;

    Connection(String node) {
      this.node = node;
    }

    void write(Batch batch) throws InterruptedException {
      Thread.sleep(batch.millis()); // the I/O
      if (closed) {
        violations.add(batch + " written on " + node + " after its connection closed");
      }
      LOG.info("{} wrote {}", node, batch.name());
    }
  }

  private static final Map<String, Connection> connections = new ConcurrentHashMap<>();
  private static final List<String> violations = new CopyOnWriteArrayList<>();
  private static final List<String> notes = new CopyOnWriteArrayList<>();

  public static void main(String[] args) throws Exception {
    int batchMs = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    List<ActorSystem<Void>> nodes = new ArrayList<>();
    try {
      for (String name : List.of("A", "B", "C")) {
        nodes.add(startNode(name));
      }
      var seed = Cluster.get(nodes.get(0)).selfMember().address();
      nodes.forEach(n -> Cluster.get(n).manager().tell(Join.create(seed)));
      for (ActorSystem<Void> n : nodes) {
        awaitUp(n, 3);
      }
      // @start region=cluster-cancel
      ClusterWorker fromC = ClusterKWorkers.get(nodes.get(2)).worker("exporter");
      ClusterWorker fromA = ClusterKWorkers.get(nodes.get(0)).worker("exporter");
      fromC.queue(WorkSpec.of("batch", "export", new Batch("orders", batchMs))).toCompletableFuture().join();
      fromC.queueDelayed(WorkSpec.of("flush-timer", "rearm", new Batch("tick", 1)), Duration.ofMillis(50))
          .toCompletableFuture().join();
      // On node A: once both answer, neither work is pending, armed or running on its node.
      fromA.cancelSync("flush-timer").toCompletableFuture().join();
      boolean batchWasPending = fromA.cancelSync("batch").toCompletableFuture().join();
      // @end region=cluster-cancel
      String host = hostOf(fromA);
      connections.get(host).closed = true;
      LOG.info("worker [exporter] lives on node {}; its connection closed after cancelSync (batch was {})", host,
          batchWasPending ? "still pending: never ran" : "running: it finished first");

      // The hosting node leaves: armed works are reported lost, ready ones run there first.
      ClusterWorker fromLive = ClusterKWorkers.get(nodes.get(host.equals("A") ? 1 : 0)).worker("exporter");
      fromLive.queue(WorkSpec.of("ready", "note", new Batch("ready", 0))).toCompletableFuture().join();
      fromLive.queueDelayed(WorkSpec.of("retry", "note", new Batch("retry", 0)), Duration.ofHours(1))
          .toCompletableFuture().join();
      ActorSystem<Void> leaving = nodes.get(List.of("A", "B", "C").indexOf(host));
      CoordinatedShutdown.get(leaving).runAll(CoordinatedShutdown.unknownReason()).toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
      nodes.remove(leaving);
      String newHost = hostOf(fromLive);
      LOG.info("node {} left; worker [exporter] now answers from node {}", host, newHost);
      if (newHost.equals(host) || !notes.equals(List.of("ready@" + host))) {
        throw new IllegalStateException("the worker did not move, or its ready work did not run first: " + notes);
      }
      if (!violations.isEmpty()) {
        throw new IllegalStateException(violations.toString());
      }
    } finally {
      nodes.forEach(ActorSystem::terminate);
      for (ActorSystem<Void> n : nodes) {
        n.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }
  }

  private static ActorSystem<Void> startNode(String name) {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "Workers", ConfigFactory.parseString("""
        akka.loglevel = "ERROR"
        akka.actor { provider = cluster, serialize-messages = on }
        akka.remote.artery.canonical { hostname = "127.0.0.1", port = 0 }
        akka.cluster {
          min-nr-of-members = 2   # the smallest cluster it runs with: the hosting node leaves
          jmx.multi-mbeans-in-same-jvm = on
          downing-provider-class = "akka.cluster.sbr.SplitBrainResolverProvider"
        }
        akka.coordinated-shutdown { run-by-actor-system-terminate = off, run-by-jvm-shutdown-hook = off }
        """).withFallback(ConfigFactory.load()));
    Connection connection = new Connection(name);
    connections.put(name, connection);
    // Every node registers every handler before it joins: a worker may move to any node.
    // @start region=cluster-register
    ClusterKWorkers.get(system)                                   // on every node, before it joins
        .register("export", Batch.class, (ctx, batch) -> connection.write(batch))
        .register("rearm", Batch.class, (ctx, batch) -> {
          connection.write(batch);
          ctx.queueSelfDelayed(Duration.ofMillis(50));            // re-arm itself, no network hop
        });
    // @end region=cluster-register
    ClusterKWorkers.get(system)
        .register("note", Batch.class, (ctx, batch) -> notes.add(batch.name() + "@" + name))
        .register("where", String.class, (ctx, p) -> connections.put("host:" + ctx.workId(), connection));
    return system;
  }

  /** The node that hosts the worker now: a probe work records it. */
  private static String hostOf(ClusterWorker worker) {
    String probe = "where-" + System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      try {
        worker.queue(WorkSpec.of(probe, "where", null)).toCompletableFuture().join();
        break;
      } catch (CompletionException e) {
        // While a worker moves (here: after its node left) calls may time out, "outcome unknown".
        // Queueing the same id again is harmless: a pending work is not queued twice.
        if (!(e.getCause() instanceof TimeoutException) || attempt == 6) {
          throw e;
        }
        LOG.info("no answer yet ({}); calling again", e.getCause().getMessage());
      }
    }
    worker.flush(probe).toCompletableFuture().join();
    return connections.get("host:" + probe).node;
  }

  private static void awaitUp(ActorSystem<?> system, int members) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (StreamSupport.stream(Cluster.get(system).state().getMembers().spliterator(), false)
        .filter(m -> m.status() == MemberStatus.up()).count() < members) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("cluster did not form within 30 s");
      }
      Thread.sleep(50); // polling the membership, which has no completion stage to wait on
    }
  }
}
