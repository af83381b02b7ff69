package dev.bunker.functions;

import com.microsoft.azure.functions.ExecutionContext;
import java.util.logging.Logger;

/** What the host hands a timer function. */
final class TestContext implements ExecutionContext {
  @Override
  public Logger getLogger() {
    return Logger.getLogger("test");
  }

  @Override
  public String getInvocationId() {
    return "test";
  }

  @Override
  public String getFunctionName() {
    return "test";
  }
}
