package io.steward.bench.compare;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.steward.testkit.Await;
import io.steward.testkit.Ports;
import io.steward.testkit.Testbed;
import io.steward.testkit.etcd.EtcdNode;
import io.steward.testkit.process.ChildProcess;
import io.steward.testkit.process.ComponentLog;
import io.steward.testkit.process.RunAs;

/**
 * Patroni 3.0.2 (Debian's package) with its own etcd: three members with the same PostgreSQL
 * settings as Steward's test members, each Patroni daemon run as the postgres user.
 */
final class PatroniGroup implements ManagedGroup {

    private static final List<String> MEMBERS = List.of("p1", "p2", "p3");
    static final String SUPERUSER_PASSWORD = "bench-super";
    private static final Duration TIMEOUT = Duration.ofSeconds(180);

    private final Testbed testbed;
    private final EtcdNode etcd;
    private final Map<String, Member> members = new LinkedHashMap<>();

    private record Member(String name, Path dir, Path config, int pgPort, int restPort, ComponentLog log) {
        Path dataDir() {
            return dir.resolve("data");
        }
    }

    private final Map<String, ChildProcess> daemons = new LinkedHashMap<>();

    PatroniGroup(Testbed testbed, Profile profile, boolean synchronous) {
        this.testbed = testbed;
        this.etcd = testbed.etcd("patroni-etcd").start();
        for (String name : MEMBERS) {
            Path dir = testbed.directoryFor(name);
            Member member = new Member(name, dir, dir.resolve("patroni.yml"), Ports.allocate(),
                    Ports.allocate(), new ComponentLog(dir.resolve(name + ".log")));
            writeConfig(member, profile, synchronous);
            chownToPostgres(dir);
            members.put(name, member);
            start(name);
            if (name.equals(MEMBERS.get(0))) {
                Await.until("p1 bootstraps", TIMEOUT, () -> Http.status(restUrl(member) + "/primary") == 200);
            }
        }
    }

    private void writeConfig(Member member, Profile profile, boolean synchronous) {
        StringBuilder dcs = new StringBuilder();
        profile.patroni().forEach((key, value) -> dcs.append("    ").append(key).append(": ").append(value).append('\n'));
        String yaml = """
                scope: bench
                name: %s
                namespace: /service/
                restapi:
                  listen: 127.0.0.1:%d
                  connect_address: 127.0.0.1:%d
                etcd3:
                  hosts: %s
                bootstrap:
                  dcs:
                %s    maximum_lag_on_failover: 1048576
                    synchronous_mode: %s
                    postgresql:
                      use_pg_rewind: true
                      use_slots: true
                      parameters:
                        wal_keep_size: 64MB
                  initdb:
                  - encoding: UTF8
                  - data-checksums
                  pg_hba:
                  - local all all trust
                  - host replication replicator 127.0.0.1/32 scram-sha-256
                  - host all all 127.0.0.1/32 scram-sha-256
                postgresql:
                  listen: 127.0.0.1:%d
                  connect_address: 127.0.0.1:%d
                  data_dir: %s
                  bin_dir: /usr/lib/postgresql/15/bin
                  pgpass: %s
                  authentication:
                    superuser: {username: postgres, password: %s}
                    replication: {username: replicator, password: bench-repl}
                    rewind: {username: rewinder, password: bench-rewind}
                  parameters:
                    fsync: 'off'
                    shared_buffers: 16MB
                    unix_socket_directories: '%s'
                    wal_retrieve_retry_interval: 200ms
                """.formatted(member.name(), member.restPort(), member.restPort(), etcd.endpoint().replace("http://", ""),
                dcs, synchronous, member.pgPort(), member.pgPort(), member.dataDir(), member.dir().resolve("pgpass"),
                SUPERUSER_PASSWORD, member.dir());
        try {
            Files.writeString(member.config(), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void chownToPostgres(Path dir) {
        RunAs runAs = RunAs.postgres();
        if (!runAs.switchesUser()) {
            return;
        }
        try {
            UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(dir, users.lookupPrincipalByName(runAs.user()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot give " + dir + " to " + runAs.user(), e);
        }
    }

    private String restUrl(Member member) {
        return "http://127.0.0.1:" + member.restPort();
    }

    private void start(String name) {
        Member member = members.get(name);
        daemons.put(name, ChildProcess.start(List.of("/usr/bin/patroni", member.config().toString()), RunAs.postgres(),
                member.dir(), Map.of(), member.log()));
    }

    @Override
    public String manager() {
        return "Patroni";
    }

    @Override
    public List<String> members() {
        return MEMBERS;
    }

    @Override
    public int pgPort(String member) {
        return members.get(member).pgPort();
    }

    @Override
    public String superuserPassword() {
        return SUPERUSER_PASSWORD;
    }

    @Override
    public String awaitHealthy() {
        return Await.value("one primary and two streaming replicas under Patroni", TIMEOUT, () -> {
            List<String> writable = new ArrayList<>();
            for (String name : MEMBERS) {
                try {
                    if ("f".equals(sql(name).queryValue("SELECT pg_is_in_recovery()"))) {
                        writable.add(name);
                    }
                } catch (RuntimeException e) {
                    // down
                }
            }
            if (writable.size() != 1) {
                return Optional.empty();
            }
            try {
                List<String> streaming = sql(writable.get(0)).queryColumn("SELECT application_name FROM "
                        + "pg_stat_replication WHERE state = 'streaming' AND application_name <> 'pg_basebackup'");
                return streaming.size() == 2 ? Optional.of(writable.get(0)) : Optional.empty();
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        });
    }

    @Override
    public void killHost(String member) {
        List<ProcessHandle> postgres = Hosts.postgresProcesses(members.get(member).dataDir());
        daemons.get(member).kill();
        Hosts.killAll(postgres);
    }

    @Override
    public void restart(String member) {
        start(member);
    }

    @Override
    public void switchover(String from, String to) {
        Http.postExpecting200(restUrl(members.get(from)) + "/switchover",
                "{\"leader\": \"" + from + "\", \"candidate\": \"" + to + "\"}");
    }

    @Override
    public List<Long> managerPids() {
        return daemons.values().stream().filter(ChildProcess::isAlive).map(ChildProcess::pid).toList();
    }

    @Override
    public void close() {
        for (Map.Entry<String, ChildProcess> daemon : daemons.entrySet()) {
            List<ProcessHandle> postgres = Hosts.postgresProcesses(members.get(daemon.getKey()).dataDir());
            daemon.getValue().kill();
            Hosts.killAll(postgres);
        }
        etcd.close();
    }
}
