package io.kworker.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.typesafe.config.ConfigFactory;
import io.kworker.cluster.internal.Msg;
import io.kworker.cluster.internal.WireSerializer;
import io.kworker.testing.Await;
import io.kworker.testing.ExpectedLogs;
import io.kworker.testing.Gate;
import io.kworker.testing.LogCapture;
import java.io.NotSerializableException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a node checks when cluster mode starts, the wire format, and a cluster of one node. */
class ClusterSetupTest {
  @RegisterExtension
  static final ExpectedLogs LOGS = ExpectedLogs.of("has no downing provider");
  private static final String CLUSTER = """
      akka.loglevel = "ERROR"
      akka.actor.provider = cluster
      akka.actor.serialize-messages = on
      akka.remote.artery.canonical { hostname = "127.0.0.1", port = 0 }
      akka.cluster.jmx.multi-mbeans-in-same-jvm = on
      akka.cluster.downing-provider-class = "akka.cluster.sbr.SplitBrainResolverProvider"
      akka.coordinated-shutdown { run-by-actor-system-terminate = off, run-by-jvm-shutdown-hook = off }
      """;

  private static void withSystem(String hocon, Consumer<ActorSystem<Void>> test) {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "Setup", ConfigFactory.parseString(hocon)
        .withFallback(ConfigFactory.parseString(CLUSTER)).withFallback(ConfigFactory.load()).resolve());
    try {
      test.accept(system);
    } finally {
      system.terminate();
      Await.result(system.getWhenTerminated());
    }
  }

  @Test
  void aHandOffDeadlineNotBelowTheShardRegionPhaseLimitRefusesToStartNamingBothKeys() {
    withSystem("kworker.cluster.handoff.deadline = 9s", system -> {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClusterKWorkers.get(system));
      assertTrue(e.getMessage().contains("akka.coordinated-shutdown.phases.cluster-sharding-shutdown-region.timeout"),
          e.getMessage());
      assertTrue(e.getMessage().contains("akka.cluster.sharding.handoff-timeout"), e.getMessage());
      assertTrue(e.getMessage().contains("kworker.cluster.handoff.deadline"), e.getMessage());
    });
  }

  @Test
  void aHandOffDeadlineNotBelowTheHandOffTimeoutRefusesToStart() {
    withSystem("akka.cluster.sharding.handoff-timeout = 12s", system -> {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClusterKWorkers.get(system));
      assertTrue(e.getMessage().contains("akka.cluster.sharding.handoff-timeout - 5s = PT7S"), e.getMessage());
    });
    withSystem("akka.cluster.sharding.handoff-timeout = 12.5s", system -> ClusterKWorkers.get(system));
  }

  @Test
  void aStopGraceNotBelowTheDeadlineRefusesToStart() {
    withSystem("kworker.cluster.handoff.stop-grace = 7s", system -> {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClusterKWorkers.get(system));
      assertTrue(e.getMessage().contains("kworker.cluster.handoff.stop-grace"), e.getMessage());
    });
  }

  @Test
  void aSystemThatIsNotAClusterNodeIsRefused() {
    withSystem("akka.actor.provider = local", system -> {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> ClusterKWorkers.get(system));
      assertTrue(e.getMessage().contains("akka.actor.provider = cluster"), e.getMessage());
    });
  }

  @Test
  void noDowningProviderIsWarnedAbout() {
    try (LogCapture log = LogCapture.of(ClusterKWorkers.class.getName())) {
      withSystem("akka.cluster.downing-provider-class = \"\"", ClusterKWorkers::get);
      assertEquals(1, log.messages("has no downing provider").size());
    }
  }

  @Test
  void everyWireMessageRoundTripsThroughKworkersSerializerAndNoOtherClassIsReadFromTheWire() {
    withSystem("", system -> {
      Serialization serialization = SerializationExtension.get(system);
      assertFalse(system.settings().config().getBoolean("akka.actor.allow-java-serialization"));
      var replyTo = system.<Msg.Reply>ignoreRef();
      var payload = JsonNodeFactory.instance.objectNode().put("to", "Ada");
      List<Object> messages = List.of(
          new Msg.Queue(Msg.QueueOp.MOD_DELAYED, "id", "h", payload, Long.MAX_VALUE, replyTo),
          new Msg.Cancel("id", true, replyTo), new Msg.Flush(null, replyTo), new Msg.State("id", replyTo),
          new Msg.Destroy(replyTo), new Msg.Reply(Msg.Outcome.RELOCATED_RUNNING, false, "text"));
      for (Object m : messages) {
        assertInstanceOf(WireSerializer.class, serialization.findSerializerFor(m), m.toString());
        byte[] bytes = serialization.serialize(m).get();
        WireSerializer s = (WireSerializer) serialization.findSerializerFor(m);
        assertEquals(m, serialization.deserialize(bytes, s.identifier(), s.manifest(m)).get());
      }
      WireSerializer s = (WireSerializer) serialization.findSerializerFor(messages.get(0));
      assertThrows(NotSerializableException.class, () -> s.fromBinary(new byte[0], "java.util.logging.FileHandler"));
    });
  }

  @Test
  void theWholeApiWorksInAClusterOfOneNode() {
    List<Object> seen = new CopyOnWriteArrayList<>();
    Gate gate = new Gate();
    withSystem("", system -> {
      ClusterKWorkers workers = ClusterKWorkers.get(system)
          .register("map", Map.class, (ctx, p) -> seen.add(p))
          .register("hold", String.class, (ctx, p) -> gate.pass());
      Cluster.get(system).manager().tell(Join.create(Cluster.get(system).selfMember().address()));
      Await.until("Up", () -> Cluster.get(system).selfMember().status() == MemberStatus.up());
      ClusterWorker w = workers.worker("solo");
      assertTrue(Await.result(w.queue(WorkSpec.of("m", "map", Map.of("@class", "java.util.logging.FileHandler")))));
      Await.result(w.flush());
      assertEquals(List.of(Map.of("@class", "java.util.logging.FileHandler")), seen); // a Map, nothing else
      assertTrue(Await.result(w.queue(WorkSpec.of("h", "hold", null))));
      gate.awaitEntered();
      CompletableFuture<Boolean> cancel = w.cancelSync("h").toCompletableFuture();
      assertFalse(Await.result(w.queue(WorkSpec.of("h", "hold", null))));
      assertFalse(cancel.isDone());
      gate.open();
      assertFalse(Await.result(cancel));
      assertTrue(Await.result(w.queueDelayed(WorkSpec.of("m", "map", null), Duration.ofMillis(1))));
      Await.until("the delayed work ran", () -> seen.size() == 2);
      Await.result(w.destroy());
    });
  }

  @Test
  void theShippedProductionConfigurationPassesTheChecksAndKeepsItsPromises() {
    var env = ConfigFactory.parseMap(Map.of("KW_KEYSTORE", "k.p12", "KW_TRUSTSTORE", "t.p12",
        "KW_KEYSTORE_PASSWORD", "p", "KW_KEY_PASSWORD", "p", "KW_TRUSTSTORE_PASSWORD", "p"));
    var shipped = ConfigFactory.parseFile(new java.io.File("conf/cluster-production.conf")).withFallback(env);
    // a key Akka does not know would be ignored without a word: each one it sets is in Akka's reference
    var reference = ConfigFactory.defaultReference();
    List<String> unknown = shipped.resolve().getConfig("akka").entrySet().stream().map(e -> "akka." + e.getKey())
        .filter(key -> !reference.hasPathOrNull(key)).toList();
    assertEquals(List.of(), unknown, "keys of conf/cluster-production.conf unknown to this Akka");
    var config = shipped.withFallback(reference).resolve();
    io.kworker.cluster.internal.ClusterSettings.from(config);
    assertEquals("akka.cluster.sbr.SplitBrainResolverProvider", config.getString("akka.cluster.downing-provider-class"));
    assertTrue(config.getBoolean("akka.coordinated-shutdown.exit-jvm"));
    assertEquals("tls-tcp", config.getString("akka.remote.artery.transport"));
    assertTrue(config.getBoolean("akka.remote.artery.ssl.config-ssl-engine.require-mutual-authentication"));
  }
}
