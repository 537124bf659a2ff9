package chat.scale;

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
      System.exit(Coordinator.run(Settings.parse(Arrays.copyOfRange(args, 1, args.length))) ? 0 : 1);
    } else {
      System.err.println("usage: scale run [" + Settings.USAGE + "] | scale node");
      System.exit(2);
    }
  }
}
