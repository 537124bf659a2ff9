package chat.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import chat.shared.config.ChatConfig;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StandaloneMainTest {
  @Test
  @DisplayName("The one-process run listens on 127.0.0.1 with dev login unless HOST says otherwise")
  void bindsLoopbackByDefault() throws Exception {
    Map<String, String> env = new HashMap<>(Map.of("OPS_PORT", "9100"));
    StandaloneMain.oneProcess(env);
    ChatConfig config = ChatConfig.from(env);
    assertEquals("127.0.0.1", config.host());
    assertEquals(true, config.devLogin());
    assertEquals(false, config.hasOpsPort());

    Map<String, String> open = new HashMap<>(Map.of("HOST", "0.0.0.0"));
    StandaloneMain.oneProcess(open);
    assertEquals("0.0.0.0", ChatConfig.from(open).host());
    assertEquals("0.0.0.0", ChatConfig.from(Map.of()).host(), "cluster processes keep binding every interface");
  }
}
