package io.kworker.cluster.internal;

import akka.actor.ExtendedActorSystem;
import akka.serialization.SerializerWithStringManifest;
import java.io.NotSerializableException;
import java.util.Map;

/**
 * Writes kworker's {@link Wire} messages as CBOR with Akka's own Jackson object mapper (the binding
 * {@code jackson-cbor} of {@code akka.serialization.jackson}, so ActorRefs and the Akka modules work as
 * in Akka's {@code JacksonCborSerializer}). The manifest is a one-letter tag from a closed table: no
 * class name is ever read from the wire, so only kworker's own records are instantiated (and, later, a
 * payload only as the type its handler registered).
 *
 * <p>It is declared in kworker's {@code reference.conf}, so Akka creates it in every actor system; its
 * Jackson types stay in {@link Cbor}, loaded at the first message, so an application without the
 * optional cluster dependencies never needs them.
 *
 * <p>INTERNAL API.
 */
public final class WireSerializer extends SerializerWithStringManifest {
  private static final Map<String, Class<?>> TYPES = Map.of(
      "Q", Msg.Queue.class, "C", Msg.Cancel.class, "F", Msg.Flush.class, "S", Msg.State.class,
      "D", Msg.Destroy.class, "R", Msg.Reply.class);
  private static final Map<Class<?>, String> TAGS = Map.of(
      Msg.Queue.class, "Q", Msg.Cancel.class, "C", Msg.Flush.class, "F", Msg.State.class, "S",
      Msg.Destroy.class, "D", Msg.Reply.class, "R");

  private final ExtendedActorSystem system;
  private volatile Cbor cbor;

  /** Created by Akka's serialization extension. */
  public WireSerializer(ExtendedActorSystem system) {
    this.system = system;
  }

  @Override
  public int identifier() {
    return 1_705_011; // any fixed number outside Akka's 0-40
  }

  @Override
  public String manifest(Object o) {
    String tag = TAGS.get(o.getClass());
    if (tag == null) {
      throw new IllegalArgumentException("not a kworker wire message: " + o.getClass().getName());
    }
    return tag;
  }

  @Override
  public byte[] toBinary(Object o) {
    manifest(o);
    return cbor().write(o);
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    Class<?> type = TYPES.get(manifest);
    if (type == null) {
      throw new NotSerializableException("unknown kworker wire manifest [" + manifest + "]");
    }
    return cbor().read(bytes, type);
  }

  private Cbor cbor() {
    Cbor c = cbor;
    if (c == null) {
      cbor = c = Cbor.of(system);
    }
    return c;
  }
}
