/**
 * kworker: the Linux kernel's kthread worker for Akka Typed. The module exports its API package,
 * {@code io.kworker}, and nothing else: {@code io.kworker.internal} is not readable from other modules
 * (on the class path, where most Akka applications run, its types say {@code INTERNAL API}).
 */
module io.kworker {
  exports io.kworker;

  requires transitive akka.actor.typed;
  requires transitive akka.actor;
  requires scala.library;
  requires typesafe.config;
  requires org.slf4j;
  requires java.management;
}
