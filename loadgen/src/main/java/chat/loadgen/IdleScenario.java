package chat.loadgen;

import io.vertx.core.json.JsonObject;

/**
 * No traffic for {@code duration} seconds: the server processes' CPU at rest (cluster heartbeats, timers,
 * the JIT finishing), which every operation's CPU figure of the same processes also contains.
 */
public final class IdleScenario implements Scenario {
  private final Run run;
  private final int durationSeconds;

  public IdleScenario(Run run, Args args) {
    this.run = run;
    this.durationSeconds = Math.max(1, args.integer("duration", 5));
  }

  @Override
  public JsonObject run() throws InterruptedException {
    ProcStats.CpuWindow cpu = ProcStats.CpuWindow.start(run.processes());
    Thread.sleep(durationSeconds * 1000L);
    return new JsonObject().put("gateways", run.targets()).put("cpu", cpu.toJson());
  }
}
