package io.kworker.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import com.typesafe.config.ConfigFactory;
import io.kworker.testing.Await;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Artery TLS with mutual authentication, as the README's production configuration sets it: a node with
 * the cluster's key store joins and runs works; a node with a key store of its own (which trusts the
 * cluster's certificate as well as its own) cannot join, and its calls reach no worker.
 */
class TlsTest {
  private static final String PASSWORD = "kworker-test";
  private final List<ActorSystem<Void>> systems = new ArrayList<>();
  private final AtomicInteger runs = new AtomicInteger();

  @AfterEach
  void stop() {
    systems.forEach(ActorSystem::terminate);
    systems.forEach(s -> Await.result(s.getWhenTerminated()));
  }

  /** A key store of src/test/resources/tls (see its README), as a file. */
  private static Path store(String name) {
    try {
      return Path.of(TlsTest.class.getResource("/tls/" + name + ".p12").toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private ActorSystem<Void> node(String keyStore, String trustStore) {
    String hocon = """
        akka.loglevel = "ERROR"
        akka.actor { provider = cluster, serialize-messages = on }
        akka.remote.artery {
          transport = tls-tcp
          canonical { hostname = "127.0.0.1", port = %d }
          ssl.config-ssl-engine {
            key-store = "%s", trust-store = "%s"
            key-store-password = "%s", key-password = "%s", trust-store-password = "%s"
            protocol = "TLSv1.3", enabled-algorithms = ["TLS_AES_128_GCM_SHA256"]
            require-mutual-authentication = on, hostname-verification = off
          }
        }
        akka.cluster.jmx.multi-mbeans-in-same-jvm = on
        akka.cluster.downing-provider-class = "akka.cluster.sbr.SplitBrainResolverProvider"
        akka.coordinated-shutdown { run-by-actor-system-terminate = off, run-by-jvm-shutdown-hook = off }
        kworker.cluster.ask-timeout = 3s
        """.formatted(ClusterNodes.freePort(), store(keyStore), store(trustStore),
        PASSWORD, PASSWORD, PASSWORD);
    ActorSystem<Void> s = ActorSystem.create(Behaviors.empty(), ClusterNodes.SYSTEM,
        ConfigFactory.parseString(hocon).withFallback(ConfigFactory.load()).resolve());
    systems.add(s);
    ClusterKWorkers.get(s).register("count", String.class, (ctx, p) -> runs.incrementAndGet());
    return s;
  }

  private static long members(ActorSystem<?> s) {
    return StreamSupport.stream(Cluster.get(s).state().getMembers().spliterator(), false).count();
  }

  @Test
  void aNodeWithoutTheClustersKeyStoreCannotJoinNorRunWorks() {
    ActorSystem<Void> first = node("cluster", "cluster-trust");
    ActorSystem<Void> second = node("cluster", "cluster-trust");
    var seed = Cluster.get(first).selfMember().address();
    Cluster.get(first).manager().tell(Join.create(seed));
    Cluster.get(second).manager().tell(Join.create(seed));
    Await.until("two members Up over TLS", () -> StreamSupport.stream(Cluster.get(first).state().getMembers()
        .spliterator(), false).filter(m -> m.status() == MemberStatus.up()).count() == 2);
    ClusterWorker legit = ClusterKWorkers.get(second).worker("secured");
    assertTrue(Await.result(legit.queue(WorkSpec.of("w", "count", null))));
    Await.result(legit.flush());
    assertEquals(1, runs.get());
    ActorSystem<Void> intruder = node("intruder", "intruder-trust");
    Cluster.get(intruder).manager().tell(Join.create(seed));
    // its calls reach no worker: no coordinator answers a node that is not a member
    Throwable e = Await.failure(ClusterKWorkers.get(intruder).worker("secured").queue(WorkSpec.of("x", "count", null)));
    assertInstanceOf(TimeoutException.class, e);
    assertTrue(e.getMessage().contains("outcome unknown"), e.getMessage());
    assertEquals(2, members(first), "the intruder never became a member");
    assertTrue(members(intruder) <= 1, "the intruder sees no cluster");
    assertEquals(1, runs.get(), "no work ran for the intruder");
    assertTrue(Cluster.get(intruder).selfMember().status() != MemberStatus.up());
  }
}
