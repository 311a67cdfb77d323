package io.steward.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.steward.agent.commands.CommandActions;
import io.steward.agent.commands.CommandGate;
import io.steward.agent.commands.ExecutedCommands;
import io.steward.agent.config.AgentConfig;
import io.steward.agent.kafka.CommandConsumer;
import io.steward.agent.kafka.EventPublisher;
import io.steward.agent.kafka.WriterKeyFile;
import io.steward.events.kafka.FactSeal;
import io.steward.agent.kafka.RequestForwarder;
import io.steward.agent.lease.Fencing;
import io.steward.agent.lease.LeaderLease;
import io.steward.agent.postgres.PostgresController;
import io.steward.agent.postgres.PostgresProbe;
import io.steward.core.command.Command;
import io.steward.core.config.DynamicConfig;
import io.steward.core.event.AgentEvent.ClusterInitialized;
import io.steward.core.event.AgentEvent.CommandOutcome;
import io.steward.core.event.AgentEvent.MemberObserved;
import io.steward.core.event.AgentEvent.MemberRegistered;
import io.steward.core.event.AgentEvent.MemberStateChanged;
import io.steward.core.event.OperatorRequest;
import io.steward.core.event.AgentEvent.Outcome;
import io.steward.core.event.AgentEvent.StateChange;
import io.steward.core.model.Endpoints;
import io.steward.core.model.Lsn;
import io.steward.core.model.Observation;
import io.steward.core.model.PgState;
import io.steward.core.model.Role;

/**
 * One member's agent: reports its PostgreSQL instance to the log, carries out the decider's
 * commands, holds the leader lease while primary and fences itself when it cannot keep it.
 * It decides nothing about the cluster.
 *
 * <p>Threads: one carries out commands in order; one reports (a heartbeat every
 * {@code kafka.heartbeat_interval}, and at once after each command); the lease renews and the
 * fence checks on threads of their own, so neither waits for a slow command; Kafka's own threads
 * publish, so reporting never blocks control of PostgreSQL.
 */
public final class NodeAgent implements CommandActions.Member, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);

    private final AgentConfig config;
    private final Path stateDir;
    private final String incarnation = UUID.randomUUID().toString();
    private final AtomicLong sequence = new AtomicLong();
    private final PostgresController postgres;
    private final PostgresProbe probe;
    private final DynamicConfigStore dynamicStore;
    private final Client etcd;
    private final Fencing fencing;
    private final LeaderLease lease;
    private final EventPublisher publisher;
    private final CommandConsumer commands;
    private final RequestForwarder forwarder;
    private final CommandGate gate;
    private final CommandActions actions;
    private final ExecutorService actionThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "agent-actions"));
    private final ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor(
            r -> new Thread(r, "agent-reporter"));
    private volatile boolean expectedDown = true;
    private volatile PgState activity;
    private volatile Observation lastObservation = Observation.NONE;
    private volatile long lastReportNanos = System.nanoTime();

    public NodeAgent(AgentConfig config) {
        this.config = config;
        Path dataDir = config.postgresql().dataDir().toAbsolutePath();
        this.stateDir = dataDir.resolveSibling(dataDir.getFileName() + ".steward");
        this.postgres = new PostgresController(config, stateDir);
        this.probe = new PostgresProbe(postgres);
        this.dynamicStore = new DynamicConfigStore(stateDir.resolve("dynamic.json"), config.bootstrap().dcs());
        ClientBuilder builder = Client.builder().endpoints(config.etcd().endpoints().toArray(String[]::new));
        if (config.etcd().username() != null) {
            builder.user(io.etcd.jetcd.ByteSequence.from(config.etcd().username(), java.nio.charset.StandardCharsets.UTF_8))
                    .password(io.etcd.jetcd.ByteSequence.from(String.valueOf(config.etcd().password()),
                            java.nio.charset.StandardCharsets.UTF_8));
        }
        // no keepalive pings while no call is open: etcd answers those with GOAWAY "too_many_pings"
        this.etcd = builder.keepaliveWithoutCalls(false).build();
        this.fencing = new Fencing(this::fence);
        DynamicConfig dynamic = dynamicStore.current();
        this.lease = new LeaderLease(etcd, leaderKey(), config.name(), dynamic.ttl(), config.safetyMargin(),
                stateDir.resolve("lease.id"), fencing, postgres::fenceAt);
        this.publisher = new EventPublisher(config.kafka(), "steward-agent-" + config.name(),
                FactSeal.member(config.scope(), config.name()), WriterKeyFile.read(config.kafka().writerKeyFile()));
        this.commands = new CommandConsumer(config, this::submit);
        this.forwarder = new RequestForwarder(config, publisher);
        this.gate = new CommandGate(config.group(), config.name(), new ExecutedCommands(stateDir.resolve("commands.log")));
        this.actions = new CommandActions(this, config.postgresql().removeDataDirectoryOnRewindFailure());
    }

    /** {@code <namespace><scope>/<group>/leader}, where the decider watches too. */
    public String leaderKey() {
        String namespace = config.namespace().startsWith("/") ? config.namespace() : "/" + config.namespace();
        namespace = namespace.endsWith("/") ? namespace : namespace + "/";
        return namespace + config.scope() + "/" + config.group().group() + "/leader";
    }

    /** Starts reporting and obeying; adopts a PostgreSQL instance already running. */
    public void start() {
        MDC.put("cluster", config.scope());
        MDC.put("member", config.name());
        if (!(postgres.isRunning() && adoptRunningInstance())) {
            // no lease of a previous incarnation is kept: whatever deadline it left (a primary's)
            // must not kill the replica or the new primary this agent starts
            postgres.fenceAt(0);
        }
        commands.start(Duration.ofSeconds(10));
        publisher.publish(new MemberRegistered(config.group(), config.name(), incarnation, endpoints(), config.tags(),
                "steward 0.1.0, PostgreSQL 15", postgres.hasData() ? postgres.systemIdentifier() : null));
        long interval = config.kafka().heartbeatInterval().toMillis();
        reporter.scheduleWithFixedDelay(this::heartbeatQuietly, 0, interval, TimeUnit.MILLISECONDS);
        LOG.info("agent for {} of {} started (incarnation {})", config.name(), config.group(), incarnation);
    }

    /**
     * A primary left running by a previous agent keeps its lease only if it still holds it; else it
     * is fenced. Returns whether a lease was kept.
     */
    private boolean adoptRunningInstance() {
        expectedDown = false;
        if (!postgres.isConfiguredAsStandby()) {
            if (lease.adopt()) {
                return true;
            }
            LOG.warn("PostgreSQL runs as primary but its leader lease is gone: fencing it");
            postgres.fence();
            expectedDown = true;
        }
        return false;
    }

    // ---- commands ---------------------------------------------------------------------------

    private void submit(Command command) {
        if (!command.member().equals(config.name())) {
            gate.observeEpoch(command.header().epoch());
            return;
        }
        actionThread.submit(() -> handle(command));
    }

    private void handle(Command command) {
        MDC.put("epoch", Long.toString(command.header().epoch()));
        String refusal = gate.admit(command);
        if (refusal != null) {
            LOG.warn("refused {} {}: {}", command.kind(), command.id(), refusal);
            publishOutcome(command, new CommandActions.Result(Outcome.REJECTED, refusal, null));
            return;
        }
        LOG.info("carrying out {} {}", command.kind(), command.id());
        CommandActions.Result result;
        try {
            result = actions.execute(command);
        } catch (RuntimeException e) {
            LOG.error("{} {} failed: {}", command.kind(), command.id(), e.getMessage(), e);
            result = new CommandActions.Result(Outcome.FAILED, e.getMessage(), null);
        }
        LOG.info("{} {}: {} ({})", command.kind(), command.id(), result.outcome(), result.detail());
        // the instance as it is now goes to the log before the outcome, so that whoever reads the
        // outcome already knows what the command left behind
        heartbeatQuietly();
        publishOutcome(command, result);
    }

    private void publishOutcome(Command command, CommandActions.Result result) {
        publisher.publish(new CommandOutcome(config.group(), config.name(), command.id(), command.header().epoch(),
                result.outcome(), result.detail(), result.lsn()));
    }

    // ---- fencing ----------------------------------------------------------------------------

    @Override
    public void fence(String reason) {
        expectedDown = true;
        // Stop first: nothing may wait before it (the lease's lock can be held through an etcd
        // call). A renewal answered meanwhile cannot arm the fence again: it fired.
        postgres.fence();
        lease.forget();
        stateChanged(StateChange.FENCED, null, reason);
        reportNow();
    }

    // ---- reporting --------------------------------------------------------------------------

    /** Reports now, in addition to the regular heartbeats. */
    public void reportNow() {
        reporter.execute(this::heartbeatQuietly);
    }

    private void heartbeatQuietly() {
        try {
            heartbeat();
        } catch (RuntimeException e) {
            LOG.warn("could not observe PostgreSQL: {}", e.getMessage());
        }
    }

    private synchronized void heartbeat() {
        Observation previous = lastObservation;
        Observation now = observe();
        if (previous.state() == PgState.RUNNING && now.state() == PgState.CRASHED) {
            LOG.error("PostgreSQL is no longer running and was not stopped by the agent");
            publisher.publish(new MemberStateChanged(config.group(), config.name(), incarnation, StateChange.CRASHED,
                    now.role(), now.state(), now.timeline(), now.walPosition(), "postmaster is gone"));
        }
        publisher.publish(new MemberObserved(config.group(), config.name(), incarnation, sequence.incrementAndGet(), now,
                config.tags(), endpoints()));
        lastReportNanos = System.nanoTime();
    }

    @Override
    public Observation observe() {
        PgState doing = activity;
        Observation observation = doing != null
                ? Observation.NONE.withState(doing == PgState.INITDB ? Role.UNINITIALIZED : Role.REPLICA, doing, 0)
                : probe.observe(expectedDown, dynamicStore.current().version(),
                        postgres.commandLineSettings(dynamicStore.current()));
        lastObservation = observation;
        return observation;
    }

    @Override
    public void busyWith(PgState doing) {
        activity = doing;
    }

    public Observation lastObservation() {
        return lastObservation;
    }

    /** How long since the last heartbeat went out (for /liveness). */
    public Duration sinceLastReport() {
        return Duration.ofNanos(System.nanoTime() - lastReportNanos);
    }

    private Endpoints endpoints() {
        return new Endpoints(config.restapi().url(), config.postgresql().connectAddress().host(),
                config.postgresql().connectAddress().port());
    }

    // ---- CommandActions.Member --------------------------------------------------------------

    @Override
    public io.steward.agent.postgres.LocalInstance postgres() {
        return postgres;
    }

    @Override
    public DynamicConfig dynamic() {
        return dynamicStore.current();
    }

    @Override
    public void dynamic(DynamicConfig dynamic) {
        dynamicStore.store(dynamic);
        lease.retime(dynamic.ttl(), config.safetyMargin());
    }

    @Override
    public boolean acquireLease(Duration patience) {
        return lease.acquire(patience);
    }

    @Override
    public void releaseLease() {
        lease.release();
    }

    @Override
    public String leaseHolder() {
        try {
            return lease.holder();
        } catch (RuntimeException e) {
            return "an unknown member (" + e.getMessage() + ")";
        }
    }

    /** Who holds the leader key now; null when nobody does or etcd does not answer. */
    public String leaseHolderOrNull() {
        try {
            return lease.holder();
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public boolean holdsLease() {
        return lease.isHeld();
    }

    @Override
    public void expectDown(boolean down) {
        expectedDown = down;
    }

    @Override
    public void stateChanged(StateChange change, Lsn lsn, String detail) {
        Observation now = observe();
        stateChanged(change, now.role(), now.state(), now.timeline(), lsn != null ? lsn : now.walPosition(), detail);
    }

    @Override
    public void stateChanged(StateChange change, Role role, PgState state, int timeline, Lsn lsn, String detail) {
        publisher.publish(new MemberStateChanged(config.group(), config.name(), incarnation, change, role, state, timeline,
                lsn, detail));
    }

    @Override
    public void clusterInitialized(long systemIdentifier) {
        publisher.publish(new ClusterInitialized(config.group(), config.name(), systemIdentifier, config.bootstrap().dcs()));
    }

    @Override
    public void reloadLocalConfiguration() {
        LOG.info("reloading PostgreSQL's configuration (the agent's own YAML is read at start)");
    }

    // ---- for the REST API -------------------------------------------------------------------

    public AgentConfig config() {
        return config;
    }

    public String incarnation() {
        return incarnation;
    }

    public RequestForwarder requests() {
        return forwarder;
    }

    /**
     * SIGHUP ({@code systemctl reload}): what {@code POST /reload} does, a reload of this member's
     * PostgreSQL configuration through the decider, instead of the JVM's default of exiting (which
     * would stop PostgreSQL). The agent's own YAML is read only at start. Runs on a thread of its
     * own: the signal handler must return at once.
     */
    public void reloadOnSighup() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> Thread.ofPlatform().name("sighup").start(() -> {
                LOG.info("SIGHUP: asking for a reload of PostgreSQL's configuration, as POST /reload does (the agent's "
                        + "YAML is read only at start)");
                RequestForwarder.Answer answer = forwarder.forward(new OperatorRequest.ReloadRequested(
                        new OperatorRequest.RequestHeader(UUID.randomUUID().toString(), "signal:SIGHUP", config.group()),
                        List.of(config.name()), OperatorRequest.RoleFilter.ANY), Duration.ofSeconds(30));
                LOG.info("SIGHUP: {} {}", answer.status(), answer.message());
            }));
        } catch (IllegalArgumentException e) {
            LOG.warn("SIGHUP cannot be handled here ({}); it stops the agent as SIGTERM does", e.getMessage());
        }
    }

    public boolean isExpectedDown() {
        return expectedDown;
    }

    private volatile long statusNanos;
    private volatile String syncState;
    private volatile int serverVersion;

    /**
     * The member's status for the REST API: observed at most 200 ms ago (health checks come often),
     * with the upstream's view of this standby at most a second old.
     */
    public io.steward.agent.rest.MemberStatus status() {
        long now = System.nanoTime();
        Observation observation = lastObservation;
        if (now - statusNanos > 200_000_000L) {
            try {
                observation = observe();
            } catch (RuntimeException e) {
                LOG.debug("status: {}", e.getMessage());
            }
            if (observation.isRunningReplica()) {
                syncState = postgres.syncStateOnUpstream();
            }
            if (serverVersion == 0 && observation.state() == PgState.RUNNING) {
                serverVersion = postgres.serverVersion();
            }
            statusNanos = now;
        }
        DynamicConfig dynamic = dynamicStore.current();
        return new io.steward.agent.rest.MemberStatus(observation, lease.isHeld(), config.tags(),
                observation.isRunningReplica() ? syncState : null, sinceLastReport(), dynamic.ttl(),
                dynamic.maximumLagOnFailover());
    }

    public int serverVersion() {
        return serverVersion;
    }

    /** Whether this member is the group's primary: it holds the lease and runs as primary. */
    public boolean isLeader() {
        return lease.isHeld();
    }

    public Role role() {
        return lastObservation.role();
    }

    /**
     * Stops the member for good, as Patroni does on SIGTERM: PostgreSQL stops cleanly and a held
     * lease is released, so the decider can fail over at once instead of waiting for it to expire.
     */
    public void shutdown() {
        try {
            actionThread.shutdown();
            actionThread.awaitTermination(30, TimeUnit.SECONDS);
            expectedDown = true;
            postgres.stop(io.steward.agent.postgres.StopMode.FAST);
            if (lease.isHeld()) {
                lease.release();
            }
            stateChanged(StateChange.STOPPED, null, "agent shut down");
            publisher.flush(Duration.ofSeconds(3));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("shutdown: {}", e.getMessage());
        } finally {
            close();
        }
    }

    @Override
    public void close() {
        reporter.shutdownNow();
        actionThread.shutdownNow();
        probe.release();
        commands.close();
        forwarder.close();
        publisher.close();
        lease.close();
        fencing.close();
        etcd.close();
    }
}
