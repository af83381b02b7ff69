package dev.bunker.devhost;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.TraceContext;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;

/** The {@code ExecutionContext} a function receives: its logger, invocation id, name and W3C trace context. */
record InvocationContext(String invocationId, String functionName, TraceContext traceContext)
    implements ExecutionContext {

  InvocationContext(String invocationId, String functionName) {
    this(invocationId, functionName, newTrace());
  }

  /** A new root trace, as the host starts one per invocation that has no incoming traceparent. */
  private static TraceContext newTrace() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String traceparent =
        String.format("00-%016x%016x-%016x-00", random.nextLong(), random.nextLong(), random.nextLong());
    return new TraceContext() {
      @Override
      public String getTraceparent() {
        return traceparent;
      }

      @Override
      public String getTracestate() {
        return "";
      }

      @Override
      public Map<String, String> getAttributes() {
        return Map.of();
      }
    };
  }

  @Override
  public TraceContext getTraceContext() {
    return traceContext;
  }

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
