package io.kworker.cluster.internal;

import akka.actor.ClassicActorSystemProvider;
import akka.serialization.jackson.JacksonObjectMapperProvider;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * Akka's Jackson object mapper for the binding {@code jackson-cbor}: the one place kworker touches
 * Jackson. Payloads go through it twice: into a tree on the calling node, out of it into the handler's
 * registered type on the node that runs the work.
 *
 * <p>INTERNAL API.
 */
public final class Cbor {
  private final ObjectMapper mapper;

  private Cbor(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** The system's mapper (Akka creates it once per binding and system). */
  public static Cbor of(ClassicActorSystemProvider system) {
    return new Cbor(JacksonObjectMapperProvider.get(system)
        .getOrCreate("jackson-cbor", Optional.of(new CBORFactory())));
  }

  byte[] write(Object o) {
    try {
      return mapper.writeValueAsBytes(o);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot serialize " + o.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  <T> T read(byte[] bytes, Class<T> type) {
    try {
      return mapper.readValue(bytes, type);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  /** The payload as a tree, or an IllegalArgumentException saying why it cannot travel. */
  public JsonNode tree(Object payload) {
    try {
      return mapper.valueToTree(payload);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("payload of type " + payload.getClass().getName()
          + " cannot be written as JSON: " + e.getMessage(), e);
    }
  }

  /** The tree read into {@code type} (null for a null payload). */
  <P> P value(JsonNode tree, Class<P> type) throws JsonProcessingException {
    return tree == null || tree.isNull() ? null : mapper.treeToValue(tree, type);
  }
}
