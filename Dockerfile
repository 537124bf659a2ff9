# One image per service, from one parameterised build:
#   docker build --build-arg SERVICE=gateway -t chat/gateway:latest .
#   (SERVICE = gateway | messaging-service | presence-service | unread-service | notifier)
# The image runs <SERVICE>/target/<SERVICE>-all.jar on a JRE 17 as an unprivileged user. Every setting comes
# from environment variables (README, "Configuration"); extra JVM flags go in JAVA_TOOL_OPTIONS.
ARG SERVICE=gateway

FROM maven:3.9-eclipse-temurin-17 AS build
ARG SERVICE
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -ntp -q -DskipTests -pl "${SERVICE}" -am package \
 && cp "${SERVICE}/target/${SERVICE}-all.jar" /app.jar

FROM eclipse-temurin:17-jre-jammy
ARG SERVICE
LABEL org.opencontainers.image.title="chat-${SERVICE}" \
      org.opencontainers.image.description="chat backend: ${SERVICE}"
RUN groupadd --system --gid 10001 chat \
 && useradd --system --uid 10001 --gid chat --home-dir /app --shell /usr/sbin/nologin chat
WORKDIR /app
COPY --from=build --chown=10001:10001 /app.jar /app/app.jar
USER 10001:10001
# 8080: gateway HTTP API and bridge (PORT); 9100: service health and metrics (OPS_PORT);
# 5701: Hazelcast membership (CLUSTER_PORT); 5710: clustered event bus (EVENTBUS_PORT).
EXPOSE 8080 9100 5701 5710
ENTRYPOINT ["java", \
  "-XX:MaxRAMPercentage=75", \
  "-XX:InitialRAMPercentage=25", \
  "-XX:+ExitOnOutOfMemoryError", \
  "-XX:+UseG1GC", \
  "-XX:MaxGCPauseMillis=20", \
  "-Djava.io.tmpdir=/tmp", \
  "-Dvertx.cacheDirBase=/tmp/vertx-cache", \
  "-jar", "/app/app.jar"]
