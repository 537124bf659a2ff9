package chat.shared.testing;

import chat.shared.config.ChatConfig.BusRouting;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The {@code BUS_ROUTING} a test class starts its system with: a subclass carrying it runs every test of its
 * base class again in that mode (docs/scale.md, "Tests in both modes"). Without it: the default, node. The
 * base class reads it in its {@code @BeforeAll} through {@link TestEnv#routing}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface RunsWith {
  BusRouting value();
}
