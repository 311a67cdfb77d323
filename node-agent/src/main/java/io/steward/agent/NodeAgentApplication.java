package io.steward.agent;

import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.servlet.DispatcherType;

import com.codahale.metrics.health.HealthCheck;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.dropwizard.core.Application;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import io.steward.agent.config.AgentConfig;
import io.steward.agent.config.ConfigLoader;
import io.steward.agent.rest.AccessFilter;
import io.steward.agent.rest.HealthResource;
import io.steward.agent.rest.MetricsResource;
import io.steward.agent.rest.OperationsResource;
import io.steward.agent.rest.PatroniResource;
import io.steward.agent.rest.PemKeyStore;

/**
 * The agent as a Dropwizard application: the member's YAML is Patroni's, so Dropwizard's own
 * server and logging settings are derived from it ({@code restapi.listen}, {@code certfile},
 * {@code log.level}) rather than read from a second file. The agent starts before the REST API
 * opens, so an answering API means a registered member that obeys commands; stopping the server
 * (SIGTERM) stops PostgreSQL and releases the leader lease, as Patroni does.
 */
public final class NodeAgentApplication extends Application<Configuration> {

    private final AgentConfig config;
    private final Path stateDir;

    NodeAgentApplication(AgentConfig config) {
        this.config = config;
        Path dataDir = config.postgresql().dataDir().toAbsolutePath();
        this.stateDir = dataDir.resolveSibling(dataDir.getFileName() + ".steward");
    }

    /**
     * Loads and validates {@code file} (with the environment's overrides), prints every problem,
     * and runs the agent until the process is asked to stop. Exits with 1 on an invalid file.
     */
    static void start(Path file, Map<String, String> environment, PrintStream err) throws Exception {
        ConfigLoader.Loaded loaded = ConfigLoader.load(file, environment, true);
        err.print(loaded.problems().report());
        if (!loaded.isValid()) {
            err.println(file + ": invalid configuration, not starting");
            System.exit(1);
        }
        new NodeAgentApplication(loaded.config()).run("server", file.toString());
    }

    @Override
    public String getName() {
        return "steward-agent";
    }

    @Override
    public void initialize(Bootstrap<Configuration> bootstrap) {
        String generated = dropwizardConfiguration();
        bootstrap.setConfigurationSourceProvider(ignored -> new ByteArrayInputStream(
                generated.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void run(Configuration configuration, Environment environment) {
        NodeAgent agent = new NodeAgent(config);
        // started before the REST API opens: once it answers, the member is registered and obeying
        agent.start();
        agent.reloadOnSighup();
        environment.lifecycle().manage(new Managed() {
            @Override
            public void stop() {
                agent.shutdown();
            }
        });
        environment.healthChecks().register("postgresql", new HealthCheck() {
            @Override
            protected Result check() {
                return agent.status().running() || agent.isExpectedDown() ? Result.healthy()
                        : Result.unhealthy("PostgreSQL is not running and was not stopped by the agent");
            }
        });
        environment.servlets().addFilter("access", new AccessFilter(config.restapi()))
                .addMappingForUrlPatterns(java.util.EnumSet.of(DispatcherType.REQUEST), true, "/*");
        // the admin pages (/steward-admin: tasks such as log-level) share the port: same rules
        environment.admin().addFilter("access", new AccessFilter(config.restapi()))
                .addMappingForUrlPatterns(java.util.EnumSet.of(DispatcherType.REQUEST), true, "/*");
        environment.jersey().register(new HealthResource(agent));
        environment.jersey().register(new PatroniResource(agent));
        environment.jersey().register(new MetricsResource(agent));
        environment.jersey().register(new OperationsResource(agent));
    }

    /** Dropwizard's server and logging settings, from the member's YAML. */
    String dropwizardConfiguration() {
        AgentConfig.RestApi restapi = config.restapi();
        Map<String, Object> connector = new LinkedHashMap<>();
        String host = restapi.listen().host();
        if (!host.isEmpty() && !host.equals("*")) {
            connector.put("bindHost", host);
        }
        connector.put("port", restapi.listen().port());
        if (restapi.tls()) {
            String password = UUID.randomUUID().toString();
            Path keyStore = stateDir.resolve("restapi.p12");
            PemKeyStore.write(restapi.certfile(), restapi.keyfile(), restapi.keyfilePassword(), keyStore, password);
            connector.put("type", "https");
            connector.put("keyStorePath", keyStore.toString());
            connector.put("keyStorePassword", password);
            connector.put("keyStoreType", "PKCS12");
            connector.put("validateCerts", false);
        } else {
            connector.put("type", "http");
        }
        Map<String, Object> server = new LinkedHashMap<>();
        server.put("type", "simple");
        server.put("applicationContextPath", "/");
        server.put("adminContextPath", "/steward-admin");
        server.put("connector", connector);
        server.put("requestLog", Map.of("appenders", List.of()));
        server.put("registerDefaultExceptionMappers", true);

        Map<String, Object> loggers = new LinkedHashMap<>();
        for (String quiet : List.of("org.apache.kafka", "io.etcd", "io.grpc", "io.netty", "org.eclipse.jetty",
                "org.glassfish", "io.dropwizard")) {
            loggers.put(quiet, "WARN");
        }
        loggers.put("io.dropwizard.core.server", "INFO");
        Map<String, Object> console = new LinkedHashMap<>();
        console.put("type", "console");
        console.put("target", "stdout");
        console.put("logFormat", "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level %X{member} [%thread] %logger{0}: %msg%n");
        Map<String, Object> logging = new LinkedHashMap<>();
        logging.put("level", config.logLevel());
        logging.put("loggers", loggers);
        logging.put("appenders", List.of(console));

        Map<String, Object> root = new LinkedHashMap<>();
        root.put("server", server);
        root.put("logging", logging);
        root.put("metrics", Map.of("reporters", List.of()));
        try {
            return new YAMLMapper().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
