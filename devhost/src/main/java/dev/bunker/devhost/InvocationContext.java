package dev.bunker.devhost;

import com.microsoft.azure.functions.ExecutionContext;
import java.util.logging.Logger;

/** The {@code ExecutionContext} a function receives: its logger, invocation id and name. */
record InvocationContext(String invocationId, String functionName) implements ExecutionContext {
  @Override
  public Logger getLogger() {
    return Logger.getLogger("Function." + functionName);
  }

  @Override
  public String getInvocationId() {
    return invocationId;
  }

  @Override
  public String getFunctionName() {
    return functionName;
  }
}
