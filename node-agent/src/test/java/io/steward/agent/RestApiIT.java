package io.steward.agent;

import static io.steward.agent.AgentFixtures.COMMAND_TIMEOUT;
import static io.steward.agent.AgentFixtures.send;
import static io.steward.agent.AgentFixtures.status;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Properties;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.steward.core.event.DeciderEvent.RequestAnswered;
import io.steward.core.event.Event;
import io.steward.core.event.OperatorRequest;
import io.steward.core.event.OperatorRequest.SwitchoverRequested;
import io.steward.events.kafka.EventSerializer;
import io.steward.events.kafka.Topics;
import io.steward.testkit.Testbed;
import io.steward.testkit.agent.AgentNode;
import io.steward.testkit.etcd.EtcdNode;
import io.steward.testkit.kafka.KafkaBroker;
import io.steward.testkit.log.LogTap;

/**
 * The REST API's guard rails, on agents whose PostgreSQL was never created: bodies are checked
 * with Patroni's messages, credentials and the allowlist guard the mutating endpoints, TLS
 * serves Patroni's PEM files, and a valid request goes to the log and comes back with the
 * decider's verdict (played here by the test).
 */
class RestApiIT {

    @RegisterExtension
    static final Testbed testbed = new Testbed();

    private static final String CREDENTIALS = "Basic " + Base64.getEncoder()
            .encodeToString("admin:s3cret".getBytes(StandardCharsets.UTF_8));

    private static KafkaBroker kafka;
    private static EtcdNode etcd;
    private static LogTap log;
    private static AgentNode guarded;

    @BeforeAll
    static void start() {
        etcd = testbed.etcd().start();
        kafka = testbed.kafka().start();
        AgentFixtures.createTopics(kafka);
        log = LogTap.open(kafka.bootstrapServers(), Topics.DEFAULT.facts()); // what the agents hand in (no decider admits it here)
        guarded = testbed.agent("guarded").etcd(etcd).kafka(kafka)
                .set("restapi.authentication.username", "admin")
                .set("restapi.authentication.password", "s3cret")
                .start();
    }

    @AfterAll
    static void closeLog() throws Exception {
        AgentFixtures.close(log);
    }

    private static HttpResponse<String> post(String path, String body) {
        return send(guarded, "POST", path, body, CREDENTIALS);
    }

    @Test
    void badBodiesAreRefusedWithPatronisStatusAndAMessage() {
        record Case(String path, String body, int status, String message) {
        }
        List<Case> cases = List.of(
                new Case("/switchover", "{not json", 400, "the body is not valid JSON"),
                new Case("/switchover", "[1, 2]", 400, "the body must be a JSON object"),
                new Case("/switchover", "", 400, "the request needs a JSON object body"),
                new Case("/switchover", "{\"candidate\": \"pg2\"}", 400,
                        "Switchover could be performed only from a specific leader"),
                new Case("/switchover", "{\"leader\": \"pg1\", \"scheduled_at\": \"2020-01-01T00:00:00+00:00\"}", 422,
                        "Cannot schedule switchover in the past"),
                new Case("/switchover", "{\"leader\": \"pg1\", \"scheduled_at\": \"2099-01-01 10:00\"}", 400,
                        "Timezone information is mandatory for the scheduled switchover"),
                new Case("/switchover", "{\"leader\": \"pg1\", \"scheduled_at\": \"soon\"}", 422,
                        "Unable to parse scheduled timestamp"),
                new Case("/switchover", "{\"leader\": \"pg1\", \"canidate\": \"pg2\"}", 400, "Unknown field: canidate"),
                new Case("/failover", "{}", 400, "Failover could be performed only to a specific candidate"),
                new Case("/failover", "{\"candidate\": \"pg2\", \"scheduled_at\": \"2099-01-01T00:00:00Z\"}", 400,
                        "Failover can't be scheduled"),
                new Case("/restart", "{\"role\": \"boss\"}", 400,
                        "PostgreSQL role should be either primary, standby_leader, or replica"),
                new Case("/restart", "{\"timeout\": -5}", 400, "Timeout should be a positive number of seconds"),
                new Case("/restart", "{\"postgres_version\": \"fifteen\"}", 400, "postgres_version must look like"),
                new Case("/restart", "{\"postgres_version\": \"99999999999\"}", 400, "postgres_version must look like"),
                new Case("/restart", "{\"timeout\": 1e300}", 400, "at most 86400"),
                new Case("/switchover", "{\"leader\": \"" + "n".repeat(300) + "\"}", 400, "at most 253 characters"),
                new Case("/restart", "{\"when\": \"now\"}", 400, "Unknown filter for the scheduled restart: when"),
                new Case("/reinitialize", "{\"force\": true, \"wipe\": true}", 400, "Unknown option for reinitialize: wipe"));
        int mark = log.mark();

        for (Case c : cases) {
            HttpResponse<String> response = post(c.path(), c.body());
            assertThat(response.statusCode()).as("POST " + c.path() + " " + c.body() + ": " + response.body())
                    .isEqualTo(c.status());
            assertThat(response.body()).as("POST " + c.path() + " " + c.body()).contains(c.message());
        }
        assertThat(log.records().subList(mark, log.mark())).as("nothing refused reaches the log")
                .noneMatch(record -> record.event() instanceof OperatorRequest);
    }

    @Test
    void mutatingEndpointsNeedTheConfiguredCredentials() {
        HttpResponse<String> anonymous = send(guarded, "POST", "/restart", "{}", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).isEqualTo("no auth header received");
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                value -> assertThat(value).startsWith("Basic realm="));

        String wrong = "Basic " + Base64.getEncoder().encodeToString("admin:guess".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> guessed = send(guarded, "POST", "/switchover", "{\"leader\": \"pg1\"}", wrong);
        assertThat(guessed.statusCode()).isEqualTo(401);
        assertThat(guessed.body()).isEqualTo("not authenticated");
        assertThat(send(guarded, "DELETE", "/switchover", null, null).statusCode()).isEqualTo(401);
        assertThat(send(guarded, "POST", "/steward-admin/tasks/log-level?logger=ROOT&level=TRACE", "", null)
                .statusCode()).as("the admin pages' tasks are guarded too").isEqualTo(401);

        assertThat(status(guarded, "GET", "/patroni")).as("reading needs no credentials").isEqualTo(200);
        assertThat(status(guarded, "GET", "/health")).as("no PostgreSQL here").isEqualTo(503);
    }

    @Test
    void aValidRequestGoesToTheLogAndReturnsTheDecidersAnswer() throws Exception {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        int mark = log.mark();
        Thread decider = new Thread(() -> {
            SwitchoverRequested request = log.awaitAfter(mark, "a switchover request", SwitchoverRequested.class,
                    r -> true, COMMAND_TIMEOUT);
            try (KafkaProducer<String, Event> producer = new KafkaProducer<>(properties, new StringSerializer(),
                    new EventSerializer())) {
                producer.send(new ProducerRecord<>(Topics.DEFAULT.log(), request.group().key(),
                        new RequestAnswered(7, request.group(), request.requestId(), 412,
                                "candidate name does not match with sync_standby"))).get();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "test-decider");
        decider.start();

        HttpResponse<String> response = post("/switchover", "{\"leader\": \"pg1\", \"candidate\": \"pg2\"}");
        decider.join(COMMAND_TIMEOUT.toMillis());

        assertThat(response.statusCode()).isEqualTo(412);
        assertThat(response.body()).isEqualTo("candidate name does not match with sync_standby");
        SwitchoverRequested recorded = log.awaitAfter(mark, "the recorded request", SwitchoverRequested.class,
                r -> true, COMMAND_TIMEOUT);
        assertThat(recorded.leader()).isEqualTo("pg1");
        assertThat(recorded.candidate()).isEqualTo("pg2");
        assertThat(recorded.header().actor()).as("who asked, for the audit").isEqualTo("admin@api:127.0.0.1");
    }

    @Test
    void theAllowlistRefusesOtherAddresses() {
        AgentNode listed = testbed.agent("listed").etcd(etcd).kafka(kafka)
                .set("restapi.allowlist", List.of("10.0.0.0/8", "192.168.1.7")).start();
        AgentNode local = testbed.agent("local").etcd(etcd).kafka(kafka)
                .set("restapi.allowlist", List.of("127.0.0.0/8")).start();

        HttpResponse<String> refused = send(listed, "POST", "/reload", "{}", null);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).isEqualTo("Access is denied");
        assertThat(status(listed, "GET", "/patroni")).as("health and status stay open").isEqualTo(200);
        assertThat(send(local, "POST", "/switchover", "{}", null).statusCode())
                .as("allowed, then judged on its body").isEqualTo(400);
    }

    @Test
    void tlsServesPatronisPemFiles() throws Exception {
        Path dir = testbed.directoryFor("tls-files");
        Path key = dir.resolve("key.pem");
        Path cert = dir.resolve("cert.pem");
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out",
                cert.toString(), "-days", "2", "-subj", "/CN=steward-test", "-addext", "subjectAltName=IP:127.0.0.1");
        // the certificate and a traditional (PKCS#1) RSA key in one file, as some Patroni setups have it
        Path rsa = dir.resolve("rsa.pem");
        openssl(dir, "rsa", "-in", key.toString(), "-traditional", "-out", rsa.toString());
        Path combined = dir.resolve("combined.pem");
        Files.writeString(combined, Files.readString(cert) + Files.readString(rsa));

        AgentNode secure = testbed.agent("secure").etcd(etcd).kafka(kafka)
                .set("restapi.certfile", combined.toString()).start();

        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            trust.setCertificateEntry("steward", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, trustManagers.getTrustManagers(), null);
        HttpClient client = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();

        assertThat(secure.restUrl()).startsWith("https://");
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(secure.restUrl() + "/patroni"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"name\":\"secure\"");
    }

    private static void openssl(Path dir, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
    }
}
