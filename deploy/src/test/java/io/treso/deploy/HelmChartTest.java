package io.treso.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.treso.jobs.config.JobConfig;
import io.treso.jobs.runtime.FlinkSettings;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code helm/treso} rendered by real Helm in the JVM (helm-java bundles Helm's Go library): lint
 * is clean; on default values and four variants (HA, PodMonitor, an existing Secret, dashboards)
 * every FlinkDeployment validates against the operator's CRD schema (unknown fields refused), core
 * objects read into Kubernetes' typed models with nothing left over, the Flink block is Treso's
 * own, the job's properties are valid job configuration; bad values are refused by {@code
 * values.schema.json} with a message naming the value.
 */
class HelmChartTest {
    static final Path CHART = Path.of("..", "helm", "treso");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonNode crdSchema;
    private static JsonSchema crdValidator;

    @BeforeAll
    static void crd() throws Exception {
        Map<String, Object> crd =
                Yaml.map(
                        Path.of(
                                "src",
                                "test",
                                "resources",
                                "k8s",
                                "flinkdeployments.flink.apache.org-v1.yml"));
        JsonNode versions = JSON.valueToTree(crd).path("spec").path("versions");
        for (JsonNode v : versions) {
            if (v.path("name").asText().equals("v1beta1")) {
                crdSchema = v.path("schema").path("openAPIV3Schema");
            }
        }
        assertNotNull(crdSchema, "the CRD has a v1beta1 schema");
        crdValidator =
                JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(crdSchema);
    }

    @Test
    void lintIsClean() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertFalse(lint.isFailed(), "helm lint: " + lint.getMessages());
        System.out.println("helm lint --strict: " + lint.getMessages());
    }

    @Test
    void defaultValuesRenderAValidDeploymentWithTresosFlinkBlock() throws Exception {
        Rendered r = render(Map.of());
        JsonNode spec = r.flinkDeployment().path("spec");
        assertEquals("v2_2", spec.path("flinkVersion").asText());
        JsonNode job = spec.path("job");
        assertEquals("savepoint", job.path("upgradeMode").asText());
        assertEquals("local:///opt/flink/usrlib/treso-jobs.jar", job.path("jarURI").asText());
        assertEquals("io.treso.jobs.TresoJob", job.path("entryClass").asText());
        JsonNode flink = spec.path("flinkConfiguration");
        FlinkSettings.clusterBlock()
                .forEach(
                        (k, v) ->
                                assertEquals(
                                        v,
                                        flink.path(k).asText(),
                                        "flinkConfiguration carries Treso's " + k));
        assertTrue(flink.path("execution.checkpointing.dir").asText().startsWith("s3://"));
        assertEquals(
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory",
                flink.path("metrics.reporter.prom.factory.class").asText());
        assertTrue(flink.path("high-availability.type").isMissingNode(), "HA is off by default");
        Container main = r.podTemplate().getSpec().getContainers().get(0);
        assertEquals("flink-main-container", main.getName());
        assertTrue(main.getSecurityContext().getReadOnlyRootFilesystem());
        assertTrue(r.podTemplate().getSpec().getSecurityContext().getRunAsNonRoot());
        assertTrue(
                r.podTemplate().getSpec().getVolumes().stream()
                        .anyMatch(v -> v.getName().equals("tmp") && v.getEmptyDir() != null));
        assertTrue(main.getEnvFrom().isEmpty(), "no Secret unless one is named");
        assertTrue(r.kinds().stream().noneMatch(k -> k.equals("PodMonitor")));

        // The properties the job reads are valid job configuration.
        String props = r.configMap("-config").getData().get("treso.properties");
        Properties p = new Properties();
        p.load(new StringReader(props));
        Map<String, String> values = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k)));
        JobConfig config = JobConfig.of(values);
        assertEquals("kafka:9092", config.get(JobConfig.KAFKA_BOOTSTRAP));
    }

    @Test
    void highAvailabilityOn() throws Exception {
        Rendered r = render(Map.of("highAvailability.enabled", true));
        JsonNode spec = r.flinkDeployment().path("spec");
        assertEquals(
                "kubernetes",
                spec.path("flinkConfiguration").path("high-availability.type").asText());
        assertEquals(2, spec.path("jobManager").path("replicas").asInt());
    }

    @Test
    void podMonitorOn() throws Exception {
        Rendered r = render(Map.of("metrics.podMonitor.enabled", true));
        JsonNode monitor =
                r.docs.stream()
                        .filter(d -> d.path("kind").asText().equals("PodMonitor"))
                        .findFirst()
                        .orElseThrow();
        assertEquals("monitoring.coreos.com/v1", monitor.path("apiVersion").asText());
        assertEquals(
                "metrics",
                monitor.path("spec").path("podMetricsEndpoints").get(0).path("port").asText());
        Map<String, String> podLabels = r.podTemplate().getMetadata().getLabels();
        monitor.path("spec")
                .path("selector")
                .path("matchLabels")
                .fields()
                .forEachRemaining(
                        e ->
                                assertEquals(
                                        e.getValue().asText(),
                                        podLabels.get(e.getKey()),
                                        "the PodMonitor selects the Flink pods by " + e.getKey()));
        assertTrue(
                r.podTemplate().getSpec().getContainers().get(0).getPorts().stream()
                        .anyMatch(port -> "metrics".equals(port.getName())));
    }

    @Test
    void credentialsComeFromAnExistingSecret() throws Exception {
        Rendered r =
                render(
                        Map.of(
                                "existingSecret", "treso-credentials",
                                "treso.kafkaClient.security\\.protocol", "SASL_SSL"));
        Container main = r.podTemplate().getSpec().getContainers().get(0);
        assertEquals("treso-credentials", main.getEnvFrom().get(0).getSecretRef().getName());
        assertTrue(
                r.configMap("-config")
                        .getData()
                        .get("treso.properties")
                        .contains("treso.kafka.client.security.protocol=SASL_SSL"));
        var refused =
                assertThrows(
                        Exception.class,
                        () ->
                                render(
                                        Map.of(
                                                "treso.kafkaClient.sasl\\.jaas\\.config",
                                                "org.apache.kafka...password=\"S3cret\";")));
        assertFalse(refused.getMessage().contains("S3cret"), refused.getMessage());
    }

    @Test
    void dashboardsAsLabelledConfigMaps() throws Exception {
        Rendered r = render(Map.of("dashboards.enabled", true));
        List<JsonNode> dashboards =
                r.docs.stream()
                        .filter(
                                d ->
                                        "1"
                                                .equals(
                                                        d.path("metadata")
                                                                .path("labels")
                                                                .path("grafana_dashboard")
                                                                .asText()))
                        .toList();
        try (var files = Files.list(ComposeStackTest.DOCKER.resolve("grafana/dashboards"))) {
            assertEquals(files.count(), dashboards.size(), "one ConfigMap per dashboard");
        }
        for (JsonNode d : dashboards) {
            d.path("data")
                    .fields()
                    .forEachRemaining(e -> assertTrue(e.getValue().asText().contains("\"uid\"")));
        }
    }

    @Test
    void theNotifierAsASecondDeploymentWithRoutesThatParseAndNoUrl() throws Exception {
        assertEquals(
                1,
                render(Map.of()).docs.stream()
                        .filter(d -> d.path("kind").asText().equals("FlinkDeployment"))
                        .count(),
                "off by default");
        Rendered r =
                render(
                        Map.of(
                                "notifier.enabled", true,
                                "existingSecret", "treso-secrets",
                                "notifier.options.treso\\.notify\\.locale", "fr-FR"));
        JsonNode notifier =
                r.docs.stream()
                        .filter(
                                d ->
                                        d.path("metadata")
                                                .path("name")
                                                .asText()
                                                .equals("treso-notifier"))
                        .findFirst()
                        .orElseThrow();
        JsonNode job = notifier.path("spec").path("job");
        assertEquals("io.treso.jobs.notify.NotifyJob", job.path("entryClass").asText());
        assertEquals("/opt/treso/notify.properties", job.path("args").get(1).asText());
        assertEquals(
                "treso-secrets",
                notifier.path("spec")
                        .path("podTemplate")
                        .path("spec")
                        .path("containers")
                        .get(0)
                        .path("envFrom")
                        .get(0)
                        .path("secretRef")
                        .path("name")
                        .asText(),
                "the webhook URL comes from the Secret");
        java.util.Properties p = new java.util.Properties();
        p.load(new java.io.StringReader(r.configMap("-config").getData().get("notify.properties")));
        Map<String, String> values = new java.util.TreeMap<>();
        p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k)));
        io.treso.jobs.notify.NotifySettings settings =
                io.treso.jobs.notify.NotifySettings.of(values);
        assertEquals("$TRESO_SLACK_WEBHOOK_URL", settings.routes.get(0).webhook.toString());
        assertEquals(java.util.Locale.FRANCE, settings.locale);
        values.keySet().removeIf(io.treso.jobs.notify.NotifySettings::isNotifyKey);
        io.treso.jobs.config.JobConfig.of(values);
        assertRefused(
                Map.of("notifier.routes[0].webhook", "https://hooks.slack.com/services/T/B/x"),
                "webhook");
    }

    @Test
    void theRulesAsAPrometheusRule() throws Exception {
        assertTrue(
                render(Map.of()).docs.stream()
                        .noneMatch(d -> d.path("kind").asText().equals("PrometheusRule")),
                "off by default: the CRD exists only where the Prometheus Operator runs");
        Rendered r =
                render(
                        Map.of(
                                "metrics.prometheusRule.enabled",
                                true,
                                "metrics.prometheusRule.labels.release",
                                "kube-prometheus"));
        JsonNode rule =
                r.docs.stream()
                        .filter(d -> d.path("kind").asText().equals("PrometheusRule"))
                        .findFirst()
                        .orElseThrow();
        assertEquals(
                "kube-prometheus", rule.path("metadata").path("labels").path("release").asText());
        assertEquals(
                JSON.valueToTree(
                        Yaml.map(ComposeStackTest.DOCKER.resolve("prometheus/treso-rules.yml"))
                                .get("groups")),
                rule.path("spec").path("groups"),
                "the PrometheusRule holds the compose stack's rules");
    }

    @Test
    void theChartCarriesTheSameFilesAsTheImage() throws Exception {
        assertEquals(
                Files.readString(ComposeStackTest.DOCKER.resolve("prometheus/treso-rules.yml")),
                Files.readString(CHART.resolve("files/treso-rules.yml")),
                "helm/treso/files/treso-rules.yml is a copy of docker/prometheus/treso-rules.yml: copy it again");
        assertEquals(
                Files.readString(ComposeStackTest.FLINK_BLOCK),
                Files.readString(CHART.resolve("files").resolve(FlinkSettings.CLUSTER_BLOCK)),
                "helm/treso/files/treso-flink.yaml is a byte-identical copy of the jobs resource: copy it again");
        try (var files = Files.list(ComposeStackTest.DOCKER.resolve("grafana/dashboards"))) {
            for (Path f : files.toList()) {
                assertEquals(
                        Files.readString(f),
                        Files.readString(CHART.resolve("dashboards").resolve(f.getFileName())),
                        f.getFileName()
                                + " differs between docker/grafana/dashboards and helm/treso/dashboards");
            }
        }
    }

    @Test
    void badValuesAreRefusedNamingTheValue() {
        assertRefused(Map.of("image.repository", ""), "image.repository");
        assertRefused(Map.of("job.parallelism", -2), "job.parallelism");
        assertRefused(Map.of("state.checkpointDir", "/data/checkpoints"), "state.checkpointDir");
        assertRefused(Map.of("image.tag", "latest"), "image.tag");
    }

    private static void assertRefused(Map<String, Object> values, String key) {
        Exception e = assertThrows(Exception.class, () -> render(values), "refused: " + values);
        assertTrue(
                e.getMessage().contains(key), "the refusal names " + key + ": " + e.getMessage());
        System.out.println(
                "helm refuses " + values + ": " + e.getMessage().strip().replace('\n', ' '));
    }

    /** A rendered chart: its documents, checked against the CRD and the typed models. */
    private record Rendered(List<JsonNode> docs) {
        JsonNode flinkDeployment() {
            return docs.stream()
                    .filter(d -> d.path("kind").asText().equals("FlinkDeployment"))
                    .findFirst()
                    .orElseThrow();
        }

        Pod podTemplate() throws Exception {
            return JSON.treeToValue(flinkDeployment().path("spec").path("podTemplate"), Pod.class);
        }

        ConfigMap configMap(String suffix) throws Exception {
            for (JsonNode d : docs) {
                if (d.path("kind").asText().equals("ConfigMap")
                        && d.path("metadata").path("name").asText().endsWith(suffix)) {
                    return JSON.treeToValue(d, ConfigMap.class);
                }
            }
            throw new AssertionError("no ConfigMap *" + suffix);
        }

        List<String> kinds() {
            return docs.stream().map(d -> d.path("kind").asText()).toList();
        }
    }

    private static Rendered render(Map<String, Object> values) throws Exception {
        TemplateCommand t = new Helm(CHART).template().withName("treso").withNamespace("treasury");
        values.forEach(t::set);
        String yaml = t.call();
        List<JsonNode> docs = new ArrayList<>();
        for (Map<String, Object> d : Yaml.documents(yaml)) docs.add(JSON.valueToTree(d));
        Rendered r = new Rendered(docs);
        for (JsonNode fd : docs) {
            if (!fd.path("kind").asText().equals("FlinkDeployment")) continue;
            String name = fd.path("metadata").path("name").asText();
            Set<ValidationMessage> errors = crdValidator.validate(fd);
            assertTrue(errors.isEmpty(), name + " against the operator's CRD: " + errors);
            List<String> unknown = new ArrayList<>();
            unknownFields(fd, crdSchema, "", unknown);
            assertTrue(
                    unknown.isEmpty(),
                    name
                            + ": fields the CRD does not know (Kubernetes would drop them): "
                            + unknown);
            Pod pod = JSON.treeToValue(fd.path("spec").path("podTemplate"), Pod.class);
            leftovers(pod.getAdditionalProperties(), "podTemplate");
            leftovers(pod.getSpec().getAdditionalProperties(), "podTemplate.spec");
            for (Container c : pod.getSpec().getContainers()) {
                leftovers(c.getAdditionalProperties(), "container " + c.getName());
                leftovers(c.getSecurityContext().getAdditionalProperties(), "securityContext");
            }
        }
        for (JsonNode d : docs) {
            if (d.path("kind").asText().equals("ConfigMap")) {
                ConfigMap cm = JSON.treeToValue(d, ConfigMap.class);
                leftovers(cm.getAdditionalProperties(), "ConfigMap " + cm.getMetadata().getName());
                leftovers(cm.getMetadata().getAdditionalProperties(), "ConfigMap metadata");
            }
        }
        return r;
    }

    private static void leftovers(Map<String, Object> extra, String where) {
        assertTrue(
                extra == null || extra.isEmpty(),
                where + " has fields its type does not know: " + extra);
    }

    /** Walks {@code node} beside its schema: a field no {@code properties} names is unknown. */
    private static void unknownFields(
            JsonNode node, JsonNode schema, String path, List<String> out) {
        if (schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) return;
        if (node.isObject()) {
            JsonNode props = schema.path("properties");
            JsonNode additional = schema.path("additionalProperties");
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                var e = it.next();
                String p = path + "." + e.getKey();
                if (props.has(e.getKey())) {
                    unknownFields(e.getValue(), props.get(e.getKey()), p, out);
                } else if (additional.isObject()) {
                    unknownFields(e.getValue(), additional, p, out);
                } else if (!path.isEmpty()
                        || !Set.of("apiVersion", "kind", "metadata").contains(e.getKey())) {
                    out.add(p);
                }
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) unknownFields(item, schema.path("items"), path + "[]", out);
        }
    }
}
