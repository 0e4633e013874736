package io.kworker.bench;

import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.MemberStatus;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import akka.pattern.StatusReply;
import io.kworker.cluster.ClusterKWorkers;
import io.kworker.cluster.ClusterWorker;
import io.kworker.cluster.WorkSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

/**
 * docs/performance.md, "Across a cluster": three nodes in one JVM over loopback Artery TCP; the caller on
 * node A, the worker (and the echo entity it is compared with) on node B.
 *
 * <ul>
 *   <li>{@code kworker_queue}: {@code ClusterWorker.queue} of a work with a one-character payload, call
 *       to answer; against {@code raw_askWithStatus}, an {@code EntityRef.askWithStatus} to an echo entity
 *       of a shard region of its own, hosted on B too.
 *   <li>{@code kworker_cancelSyncRunning_fromReturn}: a remote {@code cancelSync} of a running work, from
 *       the handler's return (it spins until it sees the cancel, then 20 µs more) to the caller's answer;
 *       against {@code raw_deferredReply_fromRelease}: the echo entity keeps an ask's {@code replyTo} and
 *       answers it when a thread of node B tells it to (after the same 20 µs), measured from that tell.
 * </ul>
 * With {@code -Dbench.host=0} (in {@code -Dbench.jvm}), the worker and the echo entity are on the caller's
 * own node A: the same paths without the network.
 *
 * <p>Scenarios are interleaved in a random order in each round; the figures are medians over rounds of each
 * round's p50 (and p99).
 *
 * <p>Run: {@code mvn -B -Pjmh test-compile exec:exec@bench -Dbench.main=io.kworker.bench.ClusterRoundTrip -Dbench.args='15 1000 docs/results/cluster/cluster-remote-1.json'}
 */
public final class ClusterRoundTrip {
  /** The echo entity's messages, bound to Akka's jackson-cbor serializer. */
  public interface Echo {}

  public record Ping(int n, ActorRef<StatusReply<Integer>> replyTo) implements Echo {}

  public record Hold(ActorRef<StatusReply<Integer>> replyTo) implements Echo {}

  /** Local only: answer the held ask. */
  record Release() implements Echo, NoSerializationVerificationNeeded {}

  static final EntityTypeKey<Echo> ECHO = EntityTypeKey.create(Echo.class, "echo");
  static final Map<String, Integer> echoHost = new ConcurrentHashMap<>();
  static final Map<String, ActorRef<Echo>> echoRefs = new ConcurrentHashMap<>();
  static final Map<String, Integer> workerHost = new ConcurrentHashMap<>();
  static volatile boolean held;
  static volatile boolean workStarted;
  static volatile long tEnd;

  static Behavior<Echo> echo(String id, int node) {
    return Behaviors.setup(ctx -> {
      echoHost.put(id, node);
      echoRefs.put(id, ctx.getSelf());
      List<ActorRef<StatusReply<Integer>>> holding = new ArrayList<>(1);
      return Behaviors.receive(Echo.class)
          .onMessage(Ping.class, p -> {
            p.replyTo().tell(StatusReply.success(p.n()));
            return Behaviors.same();
          })
          .onMessage(Hold.class, h -> {
            holding.add(h.replyTo());
            held = true;
            return Behaviors.same();
          })
          .onMessage(Release.class, r -> {
            holding.remove(0).tell(StatusReply.success(0));
            return Behaviors.same();
          })
          .build();
    });
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int samples = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    Path out = Path.of(args.length > 2 ? args[2] : "target/cluster.json");
    List<ActorSystem<Void>> nodes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int node = i;
      ActorSystem<Void> s = Bench.system("KBench", """
          akka.actor { provider = cluster, serialization-bindings { "io.kworker.bench.ClusterRoundTrip$Echo" = jackson-cbor } }
          akka.remote.artery { transport = tcp, canonical { hostname = "127.0.0.1", port = 0 } }
          akka.cluster { min-nr-of-members = 3, jmx.multi-mbeans-in-same-jvm = on, sharding.number-of-shards = 60
            downing-provider-class = "akka.cluster.sbr.SplitBrainResolverProvider" }
          akka.coordinated-shutdown { run-by-actor-system-terminate = off, run-by-jvm-shutdown-hook = off }
          """);
      nodes.add(s);
      ClusterSharding.get(s).init(Entity.of(ECHO, ctx -> echo(ctx.getEntityId(), node)));
      ClusterKWorkers.get(s)
          .register("where", String.class, (ctx, p) -> workerHost.put(ctx.worker(), node))
          .register("noop", String.class, (ctx, p) -> { })
          .register("hold", String.class, (ctx, p) -> {
            workStarted = true;
            while (!ctx.cancelRequested()) {
              Thread.onSpinWait();
            }
            CompletionLatency.spin(CompletionLatency.EXTRA_SPIN_NS);
            tEnd = System.nanoTime();
          });
    }
    var seed = Cluster.get(nodes.get(0)).selfMember().address();
    nodes.forEach(n -> Cluster.get(n).manager().tell(Join.create(seed)));
    for (ActorSystem<Void> n : nodes) {
      while (StreamSupport.stream(Cluster.get(n).state().getMembers().spliterator(), false)
          .filter(m -> m.status() == MemberStatus.up()).count() < 3) {
        Thread.sleep(50);
      }
    }
    Thread.sleep(2000); // let every region register before the first shard is allocated
    ActorSystem<Void> a = nodes.get(0);
    int host = Integer.getInteger("bench.host", 1);
    ClusterWorker worker = null;
    for (int i = 0; worker == null; i++) {
      ClusterWorker w = ClusterKWorkers.get(a).worker("bench-" + i);
      Bench.join(w.queue(WorkSpec.of("where", "where", null)));
      Bench.join(w.flush());
      worker = workerHost.get("bench-" + i) == host ? w : null;
    }
    String echoId = null;
    for (int i = 0; echoId == null; i++) {
      EntityRef<Echo> e = ClusterSharding.get(a).entityRefFor(ECHO, "echo-" + i);
      Bench.join(e.<Integer>askWithStatus(r -> new Ping(0, r), Duration.ofSeconds(10)));
      echoId = echoHost.get("echo-" + i) == host ? "echo-" + i : null;
    }
    EntityRef<Echo> echo = ClusterSharding.get(a).entityRefFor(ECHO, echoId);
    ActorRef<Echo> echoOnB = echoRefs.get(echoId);
    ClusterWorker w = worker;
    WorkSpec noop = WorkSpec.of("q", "noop", "x");
    WorkSpec hold = WorkSpec.of("h", "hold", null);

    Map<String, CompletionLatency.Scenario> scenarios = new LinkedHashMap<>();
    scenarios.put("kworker_queue", () -> {
      long t0 = System.nanoTime();
      w.queue(noop).toCompletableFuture().get(10, TimeUnit.SECONDS);
      return System.nanoTime() - t0;
    });
    scenarios.put("raw_askWithStatus", () -> {
      long t0 = System.nanoTime();
      echo.<Integer>askWithStatus(r -> new Ping(1, r), Duration.ofSeconds(10)).toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      return System.nanoTime() - t0;
    });
    scenarios.put("kworker_cancelSyncRunning_fromReturn", () -> {
      workStarted = false;
      Bench.join(w.queue(hold));
      while (!workStarted) {
        Thread.onSpinWait();
      }
      w.cancelSync("h").toCompletableFuture().get(10, TimeUnit.SECONDS);
      return System.nanoTime() - tEnd;
    });
    scenarios.put("raw_deferredReply_fromRelease", () -> {
      held = false;
      var f = echo.<Integer>askWithStatus(Hold::new, Duration.ofSeconds(10)).toCompletableFuture();
      while (!held) {
        Thread.onSpinWait();
      }
      CompletionLatency.spin(CompletionLatency.EXTRA_SPIN_NS);
      tEnd = System.nanoTime();
      echoOnB.tell(new Release());
      f.get(10, TimeUnit.SECONDS);
      return System.nanoTime() - tEnd;
    });

    Results results = new Results();
    Map<String, double[]> p50 = CompletionLatency.rounds("io.kworker.bench.ClusterRoundTrip.", scenarios, rounds,
        k -> k.endsWith("_fromReturn") || k.endsWith("_fromRelease") ? samples / 4 : samples, results);
    System.out.printf("ratio queue / raw ask (p50): %.2f%n",
        Bench.median(p50.get("kworker_queue")) / Bench.median(p50.get("raw_askWithStatus")));
    System.out.printf("ratio cancelSync lag / raw deferred reply lag (p50): %.2f%n",
        Bench.median(p50.get("kworker_cancelSyncRunning_fromReturn"))
            / Bench.median(p50.get("raw_deferredReply_fromRelease")));
    results.write(out);
    for (int i = nodes.size() - 1; i >= 0; i--) {
      Bench.terminate(nodes.get(i));
    }
  }
}
