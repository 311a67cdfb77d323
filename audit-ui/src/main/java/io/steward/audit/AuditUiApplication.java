package io.steward.audit;

import java.net.URI;
import java.time.Duration;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

import io.dropwizard.assets.AssetsBundle;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import io.steward.audit.alert.AlertChange;
import io.steward.audit.alert.AlertMetrics;
import io.steward.audit.alert.AlertRules;
import io.steward.audit.alert.AlertmanagerWebhook;
import io.steward.audit.api.AuditResource;
import io.steward.audit.config.AuditUiConfiguration;
import io.steward.audit.log.LogFollower;
import io.steward.audit.log.LogStore;
import io.steward.events.kafka.Topics;

/**
 * The audit UI:
 *
 * <pre>
 * steward-audit-ui server audit-ui.yml   run
 * steward-audit-ui check audit-ui.yml    check the file and exit
 * </pre>
 *
 * <p>Reads the log into memory with the core's fold and serves the web page ({@code /ui/}), its JSON
 * API ({@code /api}) and Prometheus metrics ({@code /metrics}); turns the log into alerts posted to
 * an Alertmanager-compatible webhook. Everything it shows is computed from the log alone.
 */
public final class AuditUiApplication extends Application<AuditUiConfiguration> {

    private LogStore store;
    private LogFollower follower;
    private volatile org.eclipse.jetty.server.Server server;

    public static void main(String[] args) throws Exception {
        new AuditUiApplication().run(args);
    }

    @Override
    public String getName() {
        return "steward-audit-ui";
    }

    @Override
    public void initialize(Bootstrap<AuditUiConfiguration> bootstrap) {
        bootstrap.addBundle(new AssetsBundle("/assets", "/ui", "index.html", "assets"));
    }

    @Override
    public void run(AuditUiConfiguration config, Environment environment) {
        environment.lifecycle().addServerLifecycleListener(started -> server = started);
        store = new LogStore();
        follower = new LogFollower(store, config.kafka().bootstrapServers(), config.kafka().properties(),
                new Topics(config.kafka().topicPrefix()), config.start());
        AuditUiConfiguration.AlertingSettings alerting = config.alerting();
        AlertRules rules = new AlertRules(new AlertRules.Policy(alerting.uiUrl(), alerting.lagThresholdBytes(),
                Duration.ofSeconds(alerting.pausedTooLongS()), Duration.ofMinutes(5)));
        AlertMetrics metrics = new AlertMetrics();
        AlertmanagerWebhook webhook = alerting.webhookUrl() == null ? null : new AlertmanagerWebhook(
                withRepeat(AlertmanagerWebhook.Config.defaults(URI.create(alerting.webhookUrl())),
                        alerting.repeatIntervalS()));
        boolean[] live = {false};
        follower.addListener((before, record, after) -> {
            var changes = rules.apply(before, record, after);
            metrics.observe(before, record, after, changes);
            if (webhook == null) {
                return;
            }
            if (live[0]) {
                webhook.submit(changes);
            } else if (follower.isCaughtUp()) {
                // History is not news: once caught up, what is still active is sent once, then every change.
                live[0] = true;
                webhook.submit(rules.active().stream()
                        .map(alert -> new AlertChange(AlertChange.Status.FIRING, alert)).toList());
            }
        });
        Thread thread = new Thread(follower, "audit-log-follower");
        if (webhook != null) {
            environment.lifecycle().manage(webhook);
        }
        environment.lifecycle().manage(new Managed() {
            @Override
            public void start() {
                thread.start();
            }

            @Override
            public void stop() throws InterruptedException {
                follower.close();
                thread.join(5000);
            }
        });
        environment.jersey().register(new AuditResource(store, config.policy().toPolicy(), follower::isCaughtUp));
        environment.jersey().register(new MetricsResource(metrics));
        environment.jersey().register(new Home());
        environment.healthChecks().register("log-follower", new com.codahale.metrics.health.HealthCheck() {
            @Override
            protected Result check() {
                return thread.isAlive() ? Result.healthy() : Result.unhealthy("the log follower has stopped");
            }
        });
    }

    private static AlertmanagerWebhook.Config withRepeat(AlertmanagerWebhook.Config config, long seconds) {
        return new AlertmanagerWebhook.Config(config.url(), seconds > 0, Duration.ofSeconds(Math.max(1, seconds)),
                config.queueCapacity(), config.initialBackoff(), config.maxBackoff(), config.requestTimeout());
    }

    /** Stops the server started by {@code run("server", ...)} in this JVM (tests). */
    public void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    /** The log as read so far (tests). */
    public LogStore store() {
        return store;
    }

    /** The follower (tests). */
    public LogFollower follower() {
        return follower;
    }

    /** {@code GET /}: the web page. */
    @Path("/")
    public static final class Home {
        @GET
        public jakarta.ws.rs.core.Response home() {
            return jakarta.ws.rs.core.Response.seeOther(URI.create("/ui/")).build();
        }
    }

    /** {@code GET /metrics}: failover counts and durations, alerts firing, in Prometheus' text format. */
    @Path("/metrics")
    public static final class MetricsResource {
        private final AlertMetrics metrics;

        MetricsResource(AlertMetrics metrics) {
            this.metrics = metrics;
        }

        @GET
        @Produces("text/plain; version=0.0.4")
        public String metrics() {
            return metrics.render();
        }
    }
}
