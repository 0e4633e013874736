package io.kworker.cluster.internal;

import akka.actor.Address;
import akka.actor.typed.ActorSystem;
import akka.cluster.typed.Cluster;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every worker entity of one node shares: the node's handlers, settings and Jackson mapper.
 *
 * <p>INTERNAL API.
 */
public final class Node {
  final ActorSystem<?> system;
  final ClusterSettings settings;
  final Cbor cbor;
  private final Map<String, Handler<?>> handlers = new ConcurrentHashMap<>();

  public Node(ActorSystem<?> system, ClusterSettings settings) {
    this.system = system;
    this.settings = settings;
    this.cbor = Cbor.of(system);
  }

  /** Registers (or replaces) a handler. */
  public void register(Handler<?> handler) {
    handlers.put(handler.name(), handler);
  }

  Handler<?> handler(String name) {
    return handlers.get(name);
  }

  public ClusterSettings settings() {
    return settings;
  }

  public Cbor cbor() {
    return cbor;
  }

  /** This node's address as host:port, as errors and logs name it. */
  public String address() {
    Address a = Cluster.get(system).selfMember().address();
    return a.getHost().orElse("?") + ":" + a.getPort().map(String::valueOf).orElse("?");
  }
}
