package dev.bunker.devhost;

import com.microsoft.azure.functions.OutputBinding;

/** An output binding's value, read by the host after the function returned successfully. */
final class Output<T> implements OutputBinding<T> {
  private volatile T value;

  @Override
  public T getValue() {
    return value;
  }

  @Override
  public void setValue(T value) {
    this.value = value;
  }
}
