package io.steward.decider;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.steward.decider.admission.FactAdmission;
import io.steward.decider.admission.WriterKeyCommand;
import io.steward.decider.admission.WriterSecret;
import io.steward.decider.api.DeciderResource;
import io.steward.decider.api.InvalidRequestMapper;
import io.steward.decider.api.ScopesResource;
import io.steward.decider.config.DeciderConfiguration;
import io.steward.decider.etcd.LeaderKeys;
import io.steward.decider.leadership.Leadership;
import io.steward.decider.loop.DecisionLoop;
import io.steward.decider.loop.LoopProgress;
import io.steward.decider.requests.AnswerWaiters;
import io.steward.decider.requests.RequestWriter;
import io.steward.events.kafka.TopicLayout;
import io.steward.events.kafka.Topics;

/**
 * The decision service:
 *
 * <pre>
 * steward-decider server decider.yml   run
 * steward-decider check decider.yml    check the file and exit
 * steward-decider writer-key decider.yml member demo pg1     the key pg1's agent seals its facts with
 * </pre>
 *
 * <p>Every instance folds the whole log and serves the API; the one elected through etcd also
 * decides and writes. Stopping an instance (SIGTERM) resigns its leadership at once, so a standby
 * takes over without waiting for the lease to expire.
 */
public final class DeciderApplication extends Application<DeciderConfiguration> {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DeciderApplication.class);

    public static void main(String[] args) throws Exception {
        new DeciderApplication().run(args);
    }

    @Override
    public String getName() {
        return "steward-decider";
    }

    @Override
    public void initialize(Bootstrap<DeciderConfiguration> bootstrap) {
        // Dropwizard's defaults: unknown keys are errors with suggestions, values are validated.
        bootstrap.addCommand(new WriterKeyCommand());
    }

    @Override
    public void run(DeciderConfiguration config, Environment environment) {
        Topics topics = new Topics(config.kafka().topicPrefix());
        createTopics(config, topics);
        Client etcd = etcd(config.etcd());
        String instance = config.instance();
        LeaderKeys leaderKeys = new LeaderKeys(etcd, config.etcd().namespace());
        AnswerWaiters waiters = new AnswerWaiters();
        LoopProgress progress = LoopProgress.forLeaseTtl(config.leadership().ttl());
        Leadership leadership = new Leadership(etcd, config.etcd().election(), instance, config.leadership().ttl(),
                config.leadership().safetyMargin(), progress::isMakingProgress);
        DecisionLoop loop = new DecisionLoop(new DecisionLoop.Settings(config.kafka().bootstrapServers(),
                config.kafka().properties(), topics, instance, config.policy().toPolicy(), config.loop().tickInterval(),
                config.loop().snapshotInterval()), leadership, leaderKeys, waiters, progress,
                new FactAdmission(WriterSecret.read(config.admission().secretFile())));
        RequestWriter requests = new RequestWriter(config.kafka().bootstrapServers(), config.kafka().properties(), topics,
                waiters, instance);
        Thread loopThread = new Thread(() -> {
            loop.run();
            if (loop.failure() != null) {
                giveUp(leadership);
            }
        }, "decision-loop");
        environment.lifecycle().manage(new Managed() {
            @Override
            public void start() {
                leaderKeys.start(5);
                loopThread.start(); // it campaigns for leadership once it has caught up with the log
            }

            @Override
            public void stop() throws InterruptedException {
                leadership.close();
                loop.close();
                loopThread.join(5000);
                requests.close();
                leaderKeys.close();
                etcd.close();
            }
        });
        environment.jersey().register(new ScopesResource(loop, requests));
        environment.jersey().register(new DeciderResource(instance, loop));
        environment.jersey().register(new InvalidRequestMapper());
        environment.healthChecks().register("decision-loop", new com.codahale.metrics.health.HealthCheck() {
            @Override
            protected Result check() {
                return loopThread.isAlive() ? Result.healthy() : Result.unhealthy("the decision loop has stopped");
            }
        });
    }

    /**
     * The loop cannot go on: an instance that kept its leadership without deciding would stop every
     * decision for good (no standby can be elected). It resigns at once, so a standby takes over
     * without waiting for the lease to expire, and exits non-zero for its supervisor to restart it.
     */
    private static void giveUp(Leadership leadership) {
        LOG.error("the decision loop has stopped; resigning the leadership and exiting");
        leadership.close();
        Thread.ofPlatform().name("exit").start(() -> System.exit(1)); // not on the loop thread: shutdown joins it
    }

    private static void createTopics(DeciderConfiguration config, Topics topics) {
        Map<String, Object> properties = new java.util.HashMap<>(config.kafka().properties());
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        try (Admin admin = Admin.create(properties)) {
            new TopicLayout(config.kafka().partitions(), config.kafka().replicationFactor()).create(admin, topics);
        }
    }

    private static Client etcd(DeciderConfiguration.EtcdSettings settings) {
        ClientBuilder builder = Client.builder().endpoints(settings.endpoints().toArray(String[]::new));
        if (settings.username() != null) {
            builder.user(ByteSequence.from(settings.username(), StandardCharsets.UTF_8))
                    .password(ByteSequence.from(String.valueOf(settings.password()), StandardCharsets.UTF_8));
        }
        return builder.build();
    }
}
