package io.kworker;

final class DelayedWorkImpl extends FunctionWork<DelayedWork> implements DelayedWork {
  DelayedWorkImpl(String name, WorkFunction<? super DelayedWork> fn) {
    super(name, fn);
  }
}
