package io.kworker;

import java.util.function.Consumer;

final class DelayedWorkImpl extends FunctionWork<DelayedWork> implements DelayedWork {
  DelayedWorkImpl(String name, Consumer<? super DelayedWork> fn) {
    super(name, fn);
  }
}
