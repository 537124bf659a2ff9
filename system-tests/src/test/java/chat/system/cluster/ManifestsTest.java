package chat.system.cluster;

import static chat.system.cluster.Manifests.at;
import static chat.system.cluster.Manifests.list;
import static chat.system.cluster.Manifests.map;
import static chat.system.cluster.Manifests.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.config.ChatConfig;
import chat.shared.runtime.OpsServer;
import chat.shared.runtime.VertxFactory;
import chat.shared.testing.TestEnv;
import chat.system.cluster.Manifests.Doc;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The Kubernetes manifests, the Dockerfile and the code agree: a deployment that parses but sets a
 * misspelt variable, probes a path nobody serves or runs an image nobody builds fails here, not in a
 * cluster.
 */
class ManifestsTest {
  /** The services that ship as images, with the variable of the port their health and metrics listen on. */
  private static final Map<String, String> SERVICES = Map.of(
      "gateway", "OPS_PORT",
      "messaging-service", "OPS_PORT",
      "presence-service", "OPS_PORT",
      "unread-service", "OPS_PORT",
      "notifier", "OPS_PORT");
  private static final Pattern CONFIG_READ = Pattern.compile("e\\.(?:string|integer|longValue|bool|list)\\(\"([A-Z0-9_]+)\"");
  /** A key ChatConfig names once as a constant ({@code String CERT = "CLUSTER_TLS_CERT"}) and reads through it. */
  private static final Pattern CONFIG_CONSTANT = Pattern.compile("String [A-Z_]+ = \"([A-Z][A-Z0-9_]+)\"");
  /** A direct read: {@code System.getenv("X")}, or {@code env.get("X")} on the map ChatProcess reads. */
  private static final Pattern GETENV = Pattern.compile("(?:getenv|env\\.get)\\(\"([A-Z0-9_]+)\"\\)");

  private static Manifests k8s;
  private static Map<String, String> configMap;

  @BeforeAll
  static void load() {
    k8s = Manifests.load(Repo.path("k8s"));
    configMap = new HashMap<>();
    map(k8s.get("ConfigMap", "chat-config").body(), "data").forEach((k, v) -> configMap.put(k, String.valueOf(v)));
  }

  @Test
  @DisplayName("Every YAML file in k8s/ parses and every document names its apiVersion, kind and name")
  void everyManifestParses() {
    assertFalse(k8s.all().isEmpty());
    for (Doc doc : k8s.all()) {
      if (doc.file().getFileName().toString().equals("kustomization.yaml")) {
        continue;
      }
      assertNotNull(doc.body().get("apiVersion"), doc.file() + ": apiVersion");
      assertNotNull(doc.kind(), doc.file() + ": kind");
      assertNotNull(doc.name(), doc.file() + ": metadata.name");
    }
  }

  @Test
  @DisplayName("kubectl apply -k k8s/ deploys every manifest except the Secret template, and nothing that is missing")
  void kustomizationCoversEveryManifest() {
    Set<Path> applied = new HashSet<>();
    collectKustomization(Repo.path("k8s"), applied);
    Set<Path> expected = Manifests.yamlFiles(Repo.path("k8s")).stream()
        .filter(p -> !p.getFileName().toString().equals("kustomization.yaml"))
        .filter(p -> !p.getFileName().toString().equals("secret.example.yaml"))
        .collect(Collectors.toSet());
    assertEquals(new TreeSet<>(expected), new TreeSet<>(applied));
    assertEquals("chat", string(kustomization(), "namespace"));
  }

  @Test
  @DisplayName("Every variable the manifests set is one the code reads, so no setting is silently ignored")
  void everyEnvironmentVariableIsReadByTheCode() {
    Set<String> known = configKeys();
    assertTrue(known.containsAll(List.of("PORT", "OPS_PORT", "JWT_SECRET", "CLUSTER_KUBERNETES_SERVICE")), known::toString);
    Set<String> unknown = new TreeSet<>();
    configMap.keySet().stream().filter(k -> !known.contains(k)).forEach(unknown::add);
    for (String service : SERVICES.keySet()) {
      for (Map<String, Object> env : list(container(service), "env")) {
        if (!known.contains((String) env.get("name"))) {
          unknown.add(service + ": " + env.get("name"));
        }
      }
    }
    assertEquals(Set.of(), unknown, "variables no code reads (known: " + known + ")");
  }

  @Test
  @DisplayName("Each container listens where its probes, Services and Prometheus look, on the port its own variable sets")
  void portsAgreeWithTheConfiguration() {
    for (Map.Entry<String, String> e : SERVICES.entrySet()) {
      String service = e.getKey();
      Map<String, Object> c = container(service);
      int opsPort = Integer.parseInt(envValue(c, e.getValue()));
      assertEquals(opsPort, containerPort(c, "ops"), service + " ops port vs " + e.getValue());
      assertEquals(opsPort, containerPort(c, string(c, "livenessProbe", "httpGet", "port")), service + " liveness port");
      assertEquals(opsPort, containerPort(c, string(c, "readinessProbe", "httpGet", "port")), service + " readiness port");
      assertEquals(opsPort, containerPort(c, string(c, "startupProbe", "httpGet", "port")), service + " startup port");
      assertEquals(String.valueOf(opsPort),
          string(deployment(service).body(), "spec", "template", "metadata", "annotations", "prometheus.io/port"));
      String portName = service.equals("gateway") ? "http" : "ops";
      if (service.equals("gateway")) {
        assertEquals(Integer.parseInt(envValue(c, "PORT")), containerPort(c, "http"), "gateway http port vs PORT");
      }
      ChatConfig config = ChatConfig.from(podEnvironment(c));
      assertEquals(config.cluster().port(), containerPort(c, "hazelcast"), service + " CLUSTER_PORT");
      assertEquals(config.cluster().busPort(), containerPort(c, "eventbus"), service + " EVENTBUS_PORT");
      Doc svc = k8s.get("Service", service);
      assertEquals(portName, string(svc.body(), "spec", "ports", 0, "targetPort"), service + " Service targetPort");
      assertEquals(labels(deployment(service)), map(svc.body(), "spec", "selector"), service + " Service selector");
    }
  }

  @Test
  @DisplayName("The probes ask the real health endpoints: services' ops server answers them, the gateway routes them")
  void probesUseTheRealEndpoints() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      int port = TestEnv.freePort();
      OpsServer.start(vertx, port).await();
      HttpClient client = vertx.createHttpClient();
      for (String service : SERVICES.keySet()) {
        Map<String, Object> c = container(service);
        String live = string(c, "livenessProbe", "httpGet", "path");
        String ready = string(c, "readinessProbe", "httpGet", "path");
        assertEquals("/health/live", live, service + " liveness path");
        assertEquals("/health/ready", ready, service + " readiness path");
        assertEquals(live, string(c, "startupProbe", "httpGet", "path"), service + " startup path");
        for (String path : List.of(live, ready)) {
          int status = client.request(HttpMethod.GET, port, "127.0.0.1", path)
              .compose(req -> req.send()).map(resp -> resp.statusCode()).await();
          assertEquals(200, status, "ops server " + path);
        }
      }
    } finally {
      vertx.close().await();
    }
  }

  @Test
  @DisplayName("Each Deployment runs the image the Dockerfile builds from its own module's fat jar")
  void imagesMatchTheDockerfileAndModules() {
    String dockerfile = Repo.read("Dockerfile");
    assertTrue(dockerfile.contains("ARG SERVICE"), "Dockerfile is parameterised by SERVICE");
    assertTrue(dockerfile.contains("${SERVICE}/target/${SERVICE}-all.jar"), "Dockerfile runs <SERVICE>-all.jar");
    assertTrue(dockerfile.contains("USER 10001"), "Dockerfile runs as a non-root user");
    assertTrue(dockerfile.contains("-XX:MaxRAMPercentage") && dockerfile.contains("-XX:+ExitOnOutOfMemoryError"));
    Set<String> kustomizeImages = list(kustomization(), "images").stream()
        .map(i -> (String) i.get("name")).collect(Collectors.toSet());
    Set<String> deployed = new HashSet<>();
    for (Doc d : k8s.ofKind("Deployment")) {
      String image = string(d.body(), "spec", "template", "spec", "containers", 0, "image");
      if (image.startsWith("chat/")) {
        deployed.add(d.name());
        assertEquals("chat/" + d.name() + ":latest", image, "image of " + d.name());
        assertEquals(d.name(), string(d.body(), "spec", "template", "spec", "containers", 0, "name"));
        String pom = Repo.read(d.name() + "/pom.xml");
        Matcher main = Pattern.compile("<main.class>([\\w.]+)</main.class>").matcher(pom);
        assertTrue(main.find(), d.name() + " declares a main class");
        assertTrue(Files.isRegularFile(Repo.path(d.name() + "/src/main/java/" + main.group(1).replace('.', '/') + ".java")),
            d.name() + " has its main class " + main.group(1));
        assertTrue(pom.contains("maven-shade-plugin"), d.name() + " builds a fat jar");
        assertTrue(kustomizeImages.contains("chat/" + d.name()), "kustomization images lists chat/" + d.name());
      }
    }
    assertEquals(SERVICES.keySet(), deployed);
    assertTrue(Repo.read(".dockerignore").contains("target"), ".dockerignore keeps build output out of the context");
  }

  @Test
  @DisplayName("Every pod finds the others: the headless Service, its RBAC and the cluster settings agree with VertxFactory")
  void hazelcastDiscoveryAgreesWithTheCode() throws Exception {
    Doc headless = k8s.get("Service", configMap.get("CLUSTER_KUBERNETES_SERVICE"));
    assertEquals("None", string(headless.body(), "spec", "clusterIP"));
    assertEquals(Boolean.TRUE, at(headless.body(), "spec", "publishNotReadyAddresses"));
    Map<String, Object> selector = map(headless.body(), "spec", "selector");
    Set<String> accounts = new HashSet<>();
    for (String service : SERVICES.keySet()) {
      Doc d = deployment(service);
      Map<String, Object> podLabels = map(d.body(), "spec", "template", "metadata", "labels");
      assertTrue(podLabels.entrySet().containsAll(selector.entrySet()), service + " pods are Hazelcast endpoints");
      accounts.add(string(d.body(), "spec", "template", "spec", "serviceAccountName"));
      Map<String, Object> c = container(service);
      assertEquals(containerPort(c, "hazelcast"), containerPort(c, string(headless.body(), "spec", "ports", 0, "targetPort")));
      for (String key : List.of("CLUSTER_HOST", "CLUSTER_PUBLIC_HOST")) {
        assertEquals("status.podIP", envField(c, key), service + " " + key);
      }
      assertEquals("metadata.namespace", envField(c, "CLUSTER_KUBERNETES_NAMESPACE"));

      ChatConfig config = ChatConfig.from(podEnvironment(c));
      assertTrue(config.cluster().enabled() && config.cluster().kubernetes(), service + " joins by Kubernetes discovery");
      Config hz = hazelcastConfig(config.cluster());
      JoinConfig join = hz.getNetworkConfig().getJoin();
      assertFalse(join.getMulticastConfig().isEnabled());
      assertFalse(join.getTcpIpConfig().isEnabled());
      assertTrue(join.getKubernetesConfig().isEnabled());
      assertEquals(headless.name(), join.getKubernetesConfig().getProperty("service-name"));
      assertEquals("10.1.2.3", hz.getNetworkConfig().getPublicAddress());
    }
    assertEquals(1, accounts.size(), "one ServiceAccount for every member");
    String account = accounts.iterator().next();
    k8s.get("ServiceAccount", account);
    Doc binding = k8s.ofKind("RoleBinding").stream()
        .filter(b -> list(b.body(), "subjects").stream().anyMatch(s -> account.equals(s.get("name"))))
        .findFirst().orElseThrow(() -> new AssertionError("no RoleBinding for " + account));
    Doc role = k8s.get("Role", string(binding.body(), "roleRef", "name"));
    Set<String> readable = new HashSet<>();
    for (Map<String, Object> rule : list(role.body(), "rules")) {
      @SuppressWarnings("unchecked")
      List<String> verbs = (List<String>) rule.get("verbs");
      if (verbs.containsAll(List.of("get", "list"))) {
        @SuppressWarnings("unchecked")
        List<String> resources = (List<String>) rule.get("resources");
        readable.addAll(resources);
      }
    }
    assertTrue(readable.containsAll(List.of("endpoints", "endpointslices", "pods", "services")), readable::toString);
  }

  @Test
  @DisplayName("The gateway survives a node drain and load: two replicas, a PodDisruptionBudget, an autoscaler, sticky Ingress")
  void gatewayIsHighlyAvailable() {
    Doc gateway = deployment("gateway");
    assertTrue(((Number) at(gateway.body(), "spec", "replicas")).intValue() >= 2);
    Map<String, Object> labels = labels(gateway);
    Doc pdb = k8s.get("PodDisruptionBudget", "gateway");
    assertEquals(labels, map(pdb.body(), "spec", "selector", "matchLabels"));
    Doc hpa = k8s.get("HorizontalPodAutoscaler", "gateway");
    assertEquals("gateway", string(hpa.body(), "spec", "scaleTargetRef", "name"));
    assertTrue(((Number) at(hpa.body(), "spec", "minReplicas")).intValue() >= 2);
    Doc ingress = k8s.ofKind("Ingress").get(0);
    Map<String, Object> annotations = map(ingress.body(), "metadata", "annotations");
    assertEquals("cookie", annotations.get("nginx.ingress.kubernetes.io/affinity"));
    assertTrue(Integer.parseInt((String) annotations.get("nginx.ingress.kubernetes.io/proxy-read-timeout")) >= 60);
    Map<String, Object> backend = map(ingress.body(), "spec", "rules", 0, "http", "paths", 0, "backend", "service");
    assertEquals("gateway", backend.get("name"));
    assertEquals("http", string(backend, "port", "name"));
    assertEquals("http", string(k8s.get("Service", "gateway").body(), "spec", "ports", 0, "name"));
  }

  @Test
  @DisplayName("The Ingress routes only /api, /eventbus and the page: never health or metrics; the gateway trusts X-Forwarded-For from the Ingress only")
  void ingressRoutesOnlyThePublicPaths() {
    Doc ingress = k8s.ofKind("Ingress").get(0);
    List<Map<String, Object>> paths = list(ingress.body(), "spec", "rules", 0, "http", "paths");
    Set<String> prefixes = new TreeSet<>();
    for (Map<String, Object> p : paths) {
      String path = (String) p.get("path");
      String type = (String) p.get("pathType");
      assertTrue(type.equals("Prefix") || type.equals("Exact"), path + " " + type);
      for (String hidden : List.of("/metrics", "/health/ready", "/health/live", "/health")) {
        boolean routed = type.equals("Exact") ? path.equals(hidden) : hidden.equals(path) || hidden.startsWith(path + "/")
            || path.equals("/");
        assertFalse(routed, "the Ingress routes " + hidden + " through " + path + " (" + type + ")");
      }
      if (type.equals("Prefix")) {
        prefixes.add(path);
      }
      assertEquals("gateway", string(p, "backend", "service", "name"));
      assertEquals("http", string(p, "backend", "service", "port", "name"));
    }
    assertTrue(prefixes.containsAll(List.of("/api", "/eventbus")), prefixes::toString);
    Map<String, Object> gateway = container("gateway");
    ChatConfig config = ChatConfig.from(podEnvironment(gateway));
    assertTrue(config.hasOpsPort(), "the gateway serves health and metrics on OPS_PORT");
    assertFalse(config.trustedProxies().isEmpty(), "the gateway trusts the Ingress's X-Forwarded-For");
    assertFalse(Repo.read("k8s/gateway.yaml").contains("0.0.0.0/0"), "no proxy trusted from everywhere");
  }

  @Test
  @DisplayName("Every chat Deployment rolls with no pod gone before its successor is ready; the README and ConfigMap give the routing's rollout order")
  void upgradesRoll() {
    for (String service : List.of("gateway", "messaging-service", "presence-service", "unread-service", "notifier")) {
      Map<String, Object> body = deployment(service).body();
      assertEquals("RollingUpdate", string(body, "spec", "strategy", "type"), service);
      assertEquals(0, ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) body.get("spec")).get("strategy")).get("rollingUpdate"))
          .get("maxUnavailable"), service);
    }
    assertTrue(Repo.read("README.md").contains("`BUS_ROUTING=dual`"), "the README gives the rollout order");
    assertTrue(Repo.read("k8s/configmap.yaml").contains("BUS_ROUTING=dual"), "the ConfigMap says it beside the setting");
  }

  @Test
  @DisplayName("Secrets are referenced, never inlined, and the template lists every key the pods need")
  void secretsComeFromTheSecretTemplate() {
    Doc template = k8s.get("Secret", "chat-secrets");
    Set<String> keys = map(template.body(), "stringData").keySet();
    assertTrue(keys.contains("JWT_SECRET"));
    for (Doc d : k8s.ofKind("Deployment")) {
      for (Map<String, Object> c : list(d.body(), "spec", "template", "spec", "containers")) {
        for (Map<String, Object> env : list(c, "env")) {
          Object ref = at(env, "valueFrom", "secretKeyRef");
          if (ref != null) {
            assertEquals("chat-secrets", string(ref, "name"));
            assertTrue(keys.contains(string(ref, "key")), d.name() + " needs " + string(ref, "key"));
          }
          assertFalse(List.of("JWT_SECRET", "PGPASSWORD").contains(env.get("name")) && env.containsKey("value"),
              d.name() + " inlines " + env.get("name"));
        }
      }
    }
    assertFalse(configMap.containsKey("JWT_SECRET") || configMap.containsKey("PGPASSWORD"));
    assertNotEquals("true", configMap.get("CHAT_DEV_LOGIN"), "dev login stays off in the cluster");
  }

  @Test
  @DisplayName("The production ConfigMap enforces an issuer and an audience, and no Deployment requires JWT_SECRET (JWT_PUBLIC_KEY may replace it)")
  void tokensAreScopedAndTheSecretIsOptional() {
    assertTrue(configMap.get("JWT_ISSUER") != null && !configMap.get("JWT_ISSUER").isBlank(), "JWT_ISSUER");
    assertTrue(configMap.get("JWT_AUDIENCE") != null && !configMap.get("JWT_AUDIENCE").isBlank(), "JWT_AUDIENCE");
    for (Doc d : k8s.ofKind("Deployment")) {
      for (Map<String, Object> c : list(d.body(), "spec", "template", "spec", "containers")) {
        for (Map<String, Object> env : list(c, "env")) {
          Object ref = at(env, "valueFrom", "secretKeyRef");
          if ("JWT_SECRET".equals(env.get("name")) && ref != null) {
            assertEquals(Boolean.TRUE, at(env, "valueFrom", "secretKeyRef", "optional"), d.name() + " requires JWT_SECRET");
          }
        }
      }
    }
  }

  @Test
  @DisplayName("Every pod mounts the cluster certificate, and CLUSTER_TLS_CERT/KEY/CA name files of the Secret template, readable by the pod")
  void everyPodMountsTheClusterCertificate() {
    Doc template = k8s.get("Secret", "chat-cluster-tls");
    Set<String> keys = map(template.body(), "stringData").keySet();
    assertEquals(Set.of("tls.crt", "tls.key", "ca.crt"), keys, "the keys cert-manager writes");
    for (String service : SERVICES.keySet()) {
      Map<String, Object> pod = map(deployment(service).body(), "spec", "template", "spec");
      Map<String, Object> volume = list(pod, "volumes").stream()
          .filter(v -> "chat-cluster-tls".equals(string(v, "secret", "secretName"))).findFirst()
          .orElseThrow(() -> new AssertionError(service + " has no volume of the Secret chat-cluster-tls"));
      Map<String, Object> c = container(service);
      Map<String, Object> mount = list(c, "volumeMounts").stream().filter(m -> volume.get("name").equals(m.get("name")))
          .findFirst().orElseThrow(() -> new AssertionError(service + " does not mount " + volume.get("name")));
      assertEquals(Boolean.TRUE, mount.get("readOnly"), service + " mounts it read-only");
      int mode = ((Number) at(volume, "secret", "defaultMode")).intValue();
      assertEquals(0, mode & 0007, service + ": the key is not world-readable");
      assertTrue((mode & 0040) != 0 && at(pod, "securityContext", "fsGroup") != null, service + ": its group (fsGroup) reads it");

      ChatConfig.Tls tls = ChatConfig.from(podEnvironment(c)).cluster().tls();
      assertTrue(tls.on(), service + " runs the bus with TLS");
      assertEquals(List.of(), tls.missing(), service);
      for (String path : List.of(tls.certPath(), tls.keyPath(), tls.caPath())) {
        String dir = string(mount, "mountPath") + "/";
        assertTrue(path.startsWith(dir) && keys.contains(path.substring(dir.length())), service + ": " + path + " is a file of the mount");
      }
      assertEquals(3, Set.of(tls.certPath(), tls.keyPath(), tls.caPath()).size(), "three different files");
    }
  }

  @Test
  @DisplayName("The NetworkPolicy admits the cluster ports only from cluster members and the API port only from the Ingress controller's namespace")
  void networkPolicyGuardsTheClusterPorts() {
    Map<String, Object> memberLabel = map(k8s.get("Service", configMap.get("CLUSTER_KUBERNETES_SERVICE")).body(), "spec", "selector");
    Set<Integer> clusterPorts = new HashSet<>();
    int apiPort = Integer.parseInt(envValue(container("gateway"), "PORT"));
    for (String service : SERVICES.keySet()) {
      ChatConfig config = ChatConfig.from(podEnvironment(container(service)));
      clusterPorts.add(config.cluster().port());
      clusterPorts.add(config.cluster().busPort());
    }
    assertEquals(Set.of(5701, 5710), clusterPorts, "every pod uses the same cluster ports");

    Set<Integer> fromMembers = new HashSet<>();
    boolean apiFromIngress = false;
    for (String service : SERVICES.keySet()) {
      Map<String, Object> podLabels = map(deployment(service).body(), "spec", "template", "metadata", "labels");
      List<Doc> policies = k8s.ofKind("NetworkPolicy").stream()
          .filter(p -> podLabels.entrySet().containsAll(map(p.body(), "spec", "podSelector", "matchLabels").entrySet()))
          .toList();
      assertFalse(policies.isEmpty(), service + " pods are selected by a NetworkPolicy, so what it does not admit is dropped");
      for (Doc policy : policies) {
        assertTrue(list(policy.body(), "spec", "policyTypes").toString().contains("Ingress"), policy.name());
        for (Map<String, Object> rule : list(policy.body(), "spec", "ingress")) {
          Set<Integer> ports = list(rule, "ports").stream().map(p -> ((Number) p.get("port")).intValue()).collect(Collectors.toSet());
          assertFalse(ports.isEmpty(), policy.name() + ": a rule without ports admits every port, the cluster's included");
          List<Map<String, Object>> from = list(rule, "from");
          boolean onlyMembers = !from.isEmpty() && from.stream().allMatch(f -> f.keySet().equals(Set.of("podSelector"))
              && map(f, "podSelector", "matchLabels").equals(memberLabel));
          if (ports.stream().anyMatch(clusterPorts::contains)) {
            assertTrue(onlyMembers, policy.name() + " admits the cluster ports " + ports + " from " + from);
            fromMembers.addAll(ports);
          }
          if (service.equals("gateway") && ports.contains(apiPort)) {
            assertTrue(!from.isEmpty() && from.stream().allMatch(f -> f.keySet().equals(Set.of("namespaceSelector"))
                && !map(f, "namespaceSelector", "matchLabels").isEmpty()), policy.name() + " admits the API port from " + from);
            apiFromIngress |= policy.name().contains("ingress");
          }
        }
      }
    }
    assertEquals(clusterPorts, fromMembers, "cluster members reach each other on both cluster ports");
    assertTrue(apiFromIngress, "the gateway's API port is admitted from the Ingress controller's namespace");
    assertEquals("true", memberLabel.get("chat/cluster-member"));
  }

  private static Map<String, Object> kustomization() {
    Path root = Repo.path("k8s/kustomization.yaml");
    return k8s.all().stream().filter(d -> d.file().equals(root)).findFirst()
        .orElseThrow(() -> new AssertionError("no k8s/kustomization.yaml")).body();
  }

  private static Doc deployment(String name) {
    return k8s.get("Deployment", name);
  }

  @Test
  @DisplayName("k8s-embedded/ is the base with EMBED_ORIGINS set to origins the gateway accepts and the affinity cookie SameSite=None; Secure; the base keeps Lax and no framing")
  @SuppressWarnings("unchecked")
  void embeddingOverlayMakesTheAffinityCookieCrossSite() {
    Doc base = k8s.ofKind("Ingress").get(0);
    Map<String, Object> baseAnnotations = map(base.body(), "metadata", "annotations");
    assertEquals("Lax", baseAnnotations.get(COOKIE_SAMESITE));
    assertEquals("true", baseAnnotations.get(COOKIE_SECURE));
    assertTrue(ChatConfig.from(configMap).embedOrigins().isEmpty(), "the base frames nowhere");

    Map<String, Object> overlay = Manifests.load(Repo.path("k8s-embedded")).all().get(0).body();
    assertEquals(List.of("../k8s"), overlay.get("resources"), "the overlay is the whole base");
    Manifests patched = Manifests.load(Repo.path("k8s"));
    for (Map<String, Object> patch : list(overlay, "patches")) {
      Doc target = patched.get(string(patch, "target", "kind"), string(patch, "target", "name"));
      List<Map<String, Object>> ops = new Yaml(new SafeConstructor(new LoaderOptions())).load(string(patch, "patch"));
      ops.forEach(op -> applyJsonPatch(target.body(), op));
    }
    Map<String, Object> annotations = map(patched.ofKind("Ingress").get(0).body(), "metadata", "annotations");
    assertEquals("None", annotations.get(COOKIE_SAMESITE));
    assertEquals("true", annotations.get(COOKIE_SECURE), "browsers drop a SameSite=None cookie without Secure");
    Map<String, String> env = new HashMap<>();
    map(patched.get("ConfigMap", "chat-config").body(), "data").forEach((k, v) -> env.put(k, String.valueOf(v)));
    assertFalse(ChatConfig.from(env).embedOrigins().isEmpty(), "the overlay sets EMBED_ORIGINS, and validly");
  }

  private static final String COOKIE_SAMESITE = "nginx.ingress.kubernetes.io/session-cookie-samesite";
  private static final String COOKIE_SECURE = "nginx.ingress.kubernetes.io/session-cookie-secure";

  /** An RFC 6902 {@code add} or {@code replace} on maps, as kustomize applies the overlay's patches. */
  @SuppressWarnings("unchecked")
  private static void applyJsonPatch(Map<String, Object> doc, Map<String, Object> op) {
    String[] path = string(op, "path").substring(1).split("/");
    Map<String, Object> node = doc;
    for (int i = 0; i < path.length - 1; i++) {
      node = (Map<String, Object>) node.get(unescape(path[i]));
    }
    String key = unescape(path[path.length - 1]);
    String kind = string(op, "op");
    assertTrue(kind.equals("add") || (kind.equals("replace") && node.containsKey(key)), op + " applies to the base");
    node.put(key, op.get("value"));
  }

  private static String unescape(String token) {
    return token.replace("~1", "/").replace("~0", "~");
  }

  private static Map<String, Object> labels(Doc deployment) {
    return map(deployment.body(), "spec", "selector", "matchLabels");
  }

  private static Map<String, Object> container(String service) {
    return list(deployment(service).body(), "spec", "template", "spec", "containers").stream()
        .filter(c -> service.equals(c.get("name"))).findFirst()
        .orElseThrow(() -> new AssertionError("no container " + service));
  }

  private static int containerPort(Map<String, Object> container, String nameOrNumber) {
    if (nameOrNumber != null && nameOrNumber.matches("\\d+")) {
      return Integer.parseInt(nameOrNumber);
    }
    return list(container, "ports").stream().filter(p -> nameOrNumber != null && nameOrNumber.equals(p.get("name")))
        .map(p -> ((Number) p.get("containerPort")).intValue()).findFirst()
        .orElseThrow(() -> new AssertionError("no container port named " + nameOrNumber));
  }

  private static String envValue(Map<String, Object> container, String name) {
    return list(container, "env").stream().filter(e -> name.equals(e.get("name")))
        .map(e -> String.valueOf(e.get("value"))).findFirst()
        .orElseThrow(() -> new AssertionError("container does not set " + name));
  }

  private static String envField(Map<String, Object> container, String name) {
    return list(container, "env").stream().filter(e -> name.equals(e.get("name")))
        .map(e -> string(e, "valueFrom", "fieldRef", "fieldPath")).findFirst()
        .orElseThrow(() -> new AssertionError("container does not set " + name));
  }

  /** What the process would see: the ConfigMap, then the container's own variables (downward API as a sample IP). */
  private static Map<String, String> podEnvironment(Map<String, Object> container) {
    Map<String, String> env = new HashMap<>(configMap);
    for (Map<String, Object> e : list(container, "env")) {
      String field = string(e, "valueFrom", "fieldRef", "fieldPath");
      String value = e.containsKey("value") ? String.valueOf(e.get("value"))
          : "status.podIP".equals(field) ? "10.1.2.3"
          : "metadata.namespace".equals(field) ? "chat"
          : "secret";
      env.put((String) e.get("name"), value);
    }
    return env;
  }

  private static Config hazelcastConfig(ChatConfig.Cluster cluster) throws Exception {
    Method m = VertxFactory.class.getDeclaredMethod("hazelcast", ChatConfig.Cluster.class);
    m.setAccessible(true);
    return (Config) m.invoke(null, cluster);
  }

  /** Every environment variable any process reads: ChatConfig's keys and direct reads of the environment. */
  private static Set<String> configKeys() {
    Set<String> keys = new TreeSet<>();
    String chatConfig = Repo.read("shared/src/main/java/chat/shared/config/ChatConfig.java");
    for (Pattern p : List.of(CONFIG_READ, CONFIG_CONSTANT)) {
      Matcher m = p.matcher(chatConfig);
      while (m.find()) {
        keys.add(m.group(1));
      }
    }
    // the notifier names its own keys (NOTIFY_*) as constants of NotifierConfig
    Matcher own = CONFIG_CONSTANT.matcher(Repo.read("notifier/src/main/java/chat/notifier/NotifierConfig.java"));
    while (own.find()) {
      keys.add(own.group(1));
    }
    // Read by the AWS SDK's default credentials chain in the gateway's S3AttachmentStore, not by our code.
    keys.addAll(List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"));
    for (String module : List.of("shared", "gateway", "messaging-service", "presence-service", "unread-service", "notifier")) {
      Matcher g = GETENV.matcher(sources(module + "/src/main/java"));
      while (g.find()) {
        keys.add(g.group(1));
      }
    }
    return keys;
  }

  private static String sources(String dir) {
    try (Stream<Path> files = Files.walk(Repo.path(dir))) {
      StringBuilder all = new StringBuilder();
      for (Path p : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        all.append(Files.readString(p)).append('\n');
      }
      return all.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void collectKustomization(Path dir, Set<Path> applied) {
    Doc kustomization = Manifests.load(dir).all().stream()
        .filter(d -> d.file().equals(dir.resolve("kustomization.yaml"))).findFirst()
        .orElseThrow(() -> new AssertionError("no kustomization.yaml in " + dir));
    @SuppressWarnings("unchecked")
    List<String> resources = (List<String>) kustomization.body().get("resources");
    for (String r : resources) {
      Path p = dir.resolve(r).normalize();
      assertTrue(Files.exists(p), "kustomization resource " + p + " exists");
      if (Files.isDirectory(p)) {
        collectKustomization(p, applied);
      } else {
        applied.add(p);
      }
    }
  }
}
