/**
 * kworker: the Linux kernel's kthread worker for Akka Typed. The module exports its API packages,
 * {@code io.kworker} and {@code io.kworker.cluster}, and nothing else: the {@code internal} packages are
 * not readable from other modules (on the class path, where most Akka applications run, their types say
 * {@code INTERNAL API}).
 */
module io.kworker {
  exports io.kworker;
  exports io.kworker.cluster;
  // Jackson reads and writes the wire records; Akka creates the serializer
  opens io.kworker.cluster.internal to com.fasterxml.jackson.databind, akka.actor;

  requires transitive akka.actor.typed;
  requires transitive akka.actor;
  requires scala.library;
  requires typesafe.config;
  requires org.slf4j;
  requires java.management;
  // cluster mode only: optional dependencies
  requires static akka.cluster.sharding.typed;
  requires static akka.cluster.sharding;
  requires static akka.cluster.typed;
  requires static akka.cluster;
  requires static akka.remote;
  requires static akka.serialization.jackson;
  requires static com.fasterxml.jackson.databind;
  requires static com.fasterxml.jackson.dataformat.cbor;
}
