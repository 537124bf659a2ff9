package chat.scale;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;

/**
 * {@code java -jar scale/target/scale-all.jar run [options]} starts a cluster of node JVMs and measures it
 * ({@link Coordinator}); {@code node} is how the coordinator starts each member ({@link ScaleNode}).
 */
public final class ScaleMain {
  private ScaleMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("node")) {
      ScaleNode.main(args);
    } else if (args.length > 0 && args[0].equals("run")) {
      JsonObject result = Coordinator.run(Settings.parse(Arrays.copyOfRange(args, 1, args.length)));
      System.out.println(result.encodePrettily());
      System.exit(result.containsKey("broke") ? 1 : 0);
    } else {
      System.err.println("usage: scale run [" + Settings.USAGE + "] | scale node");
      System.exit(2);
    }
  }
}
