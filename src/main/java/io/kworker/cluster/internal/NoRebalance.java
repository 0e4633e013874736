package io.kworker.cluster.internal;

import akka.actor.ActorRef;
import akka.cluster.sharding.ShardCoordinator;
import akka.dispatch.Futures;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import scala.collection.immutable.IndexedSeq;
import scala.concurrent.Future;

/**
 * Allocates a new shard to the region with the fewest shards and never moves one: shards move only when
 * their node leaves or dies, so adding a node does not make armed works lost (v1 has no persistence).
 *
 * <p>INTERNAL API.
 */
public final class NoRebalance extends ShardCoordinator.AbstractShardAllocationStrategy {
  @Override
  public Future<ActorRef> allocateShard(ActorRef requester, String shardId,
      Map<ActorRef, IndexedSeq<String>> current) {
    ActorRef least = current.entrySet().stream()
        .min(Comparator.<Map.Entry<ActorRef, IndexedSeq<String>>>comparingInt(e -> e.getValue().size())
            .thenComparing(e -> e.getKey().path().toString()))
        .map(Map.Entry::getKey)
        .orElse(requester);
    return Futures.successful(least);
  }

  @Override
  public Future<Set<String>> rebalance(Map<ActorRef, IndexedSeq<String>> current, Set<String> inProgress) {
    return Futures.successful(Set.of());
  }
}
