package chat.client.example;

import chat.api.v1.ApiV1;
import chat.client.ChatClient;
import chat.shared.bus.Bodies;
import chat.shared.model.ThreadSummary;
import io.vertx.core.Future;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An example service built on the client library alone (the system tests run it as its own JVM): it joins
 * the cluster from the same environment variables as the chat's services, names its bot user, opens a
 * thread with one person, and posts as the bot whenever a line arrives on stdin (the line is the build
 * number), printing the v1 events it hears. Lines on stdout: {@code THREAD <id>}, {@code SENT <message>},
 * {@code EVENT <address> <body>}. It leaves the cluster when stdin closes.
 *
 * <p>Environment: the cluster settings of the README, {@code BOT_USER} (the bot's user id) and
 * {@code NOTIFY_USER} (the person to notify).
 */
public final class DeployNotifier {
  private DeployNotifier() {}

  public static void main(String[] args) throws Exception {
    String bot = System.getenv("BOT_USER");
    String person = System.getenv("NOTIFY_USER");
    ChatClient chat = ChatClient.connect("deploy-notifier").await();
    Future.all(List.of(
        chat.onMessageSent(e -> print("EVENT " + ApiV1.EVENT_MESSAGE_SENT + " " + Bodies.encode(e).encode())).ready(),
        chat.onMemberAdded(e -> print("EVENT " + ApiV1.EVENT_MEMBER_ADDED + " " + Bodies.encode(e).encode())).ready()))
        .await();
    chat.upsertUser(bot, "Deploy Bot").await();
    ThreadSummary thread = chat.createThread(bot, "Deploys", List.of(person)).await();
    print("THREAD " + thread.id());

    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String build;
    while ((build = in.readLine()) != null) {
      ApiV1.SendReply sent = chat.send(bot, thread.id(), "Build " + build + " is live", "build-" + build).await();
      print("SENT " + sent.message().toJson().encode());
    }
    chat.close().await();
  }

  private static synchronized void print(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
