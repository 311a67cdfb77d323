package io.steward.testkit.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.steward.testkit.Await;
import io.steward.testkit.process.ComponentLog;

/**
 * The kernel objects a {@link Network} is made of, named after the JVM that made them: network
 * namespaces {@code stw<pid>n<k>-<host>} and, in the root namespace, the observer's veth
 * {@code stw<pid>n<k>} (at most 14 characters, within the kernel's 15 for an interface). The pid
 * in the name is what lets a later JVM remove what a killed one left behind.
 *
 * <p>Thread-safe; choosing a subnet is serialised across JVMs by a file lock.
 */
final class Namespaces {

    /** {@code stw<pid>n<k>} with an optional {@code -<host>}: a name the test kit owns. */
    private static final Pattern OWNED = Pattern.compile("stw(\\d+)n(\\d+)(-[a-z0-9-]+)?");
    private static final Pattern SUBNET_ADDRESS = Pattern.compile("inet 10\\.231\\.(\\d+)\\.\\d+/");
    private static final Path LOCK_FILE = Path.of("/tmp/steward-testkit-network.lock");

    private Namespaces() {
    }

    /** {@code stw<pid>n<k>}: the prefix of every name of network {@code k} of this JVM. */
    static String prefix(long pid, int network) {
        return "stw" + pid + "n" + network;
    }

    /** The names of all network namespaces. */
    static List<String> namespaces() {
        List<String> names = new ArrayList<>();
        for (String line : RootCommand.checked(null, "ip", "netns", "list").split("\\R")) {
            if (!line.isBlank()) {
                names.add(line.strip().split("\\s+")[0]);
            }
        }
        return names;
    }

    /** The names of the interfaces in the root namespace. */
    static List<String> rootLinks() {
        List<String> names = new ArrayList<>();
        for (String line : RootCommand.checked(null, "ip", "-o", "link", "show").split("\\R")) {
            String[] fields = line.split(":\\s+", 3);
            if (fields.length >= 2) {
                names.add(fields[1].split("@")[0]);
            }
        }
        return names;
    }

    /** The processes that live in namespace {@code namespace} now. */
    static List<Long> pids(String namespace) {
        RootCommand.Result result = RootCommand.run(null, null, List.of("ip", "netns", "pids", namespace));
        List<Long> pids = new ArrayList<>();
        if (result.succeeded()) {
            for (String line : result.output().split("\\R")) {
                if (line.strip().matches("\\d+")) {
                    pids.add(Long.parseLong(line.strip()));
                }
            }
        }
        return pids;
    }

    /** SIGKILL to every process in {@code namespace} (frozen ones too), and waits until they are gone. */
    static void killAll(String namespace) {
        Await.until("every process in " + namespace + " to die", Duration.ofSeconds(20), () -> {
            List<Long> pids = pids(namespace);
            pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            return pids.isEmpty();
        });
    }

    /** Kills what runs in {@code namespace} and deletes it (with the veth ends inside it). */
    static void delete(String namespace, ComponentLog log) {
        if (!namespaces().contains(namespace)) {
            return;
        }
        killAll(namespace);
        RootCommand.run(log, null, List.of("ip", "netns", "delete", namespace));
    }

    /** Deletes an interface of the root namespace, if it is still there. */
    static void deleteLink(String link, ComponentLog log) {
        if (rootLinks().contains(link)) {
            RootCommand.run(log, null, List.of("ip", "link", "delete", link));
        }
    }

    /**
     * Removes the namespaces and root veths whose names carry the pid of a JVM that no longer runs
     * (killed before it could clean up); returns what it removed.
     */
    static List<String> removeStale(ComponentLog log) {
        List<String> removed = new ArrayList<>();
        for (String namespace : namespaces()) {
            if (ownerPid(namespace).filter(pid -> !isLiveJvm(pid)).isPresent()) {
                delete(namespace, log);
                removed.add(namespace);
            }
        }
        for (String link : rootLinks()) {
            if (ownerPid(link).filter(pid -> !isLiveJvm(pid)).isPresent()) {
                deleteLink(link, log);
                removed.add(link);
            }
        }
        return removed;
    }

    /** The pid in a name the test kit owns. */
    static Optional<Long> ownerPid(String name) {
        Matcher matcher = OWNED.matcher(name);
        return matcher.matches() ? Optional.of(Long.parseLong(matcher.group(1))) : Optional.empty();
    }

    /** Whether {@code pid} is a running Java process (a reused pid of another program is not). */
    private static boolean isLiveJvm(long pid) {
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .map(handle -> handle.info().command().map(command -> command.endsWith("java")).orElse(true))
                .orElse(false);
    }

    /**
     * Chooses a /24 of 10.231.0.0/16 that no interface of the root namespace is on and hands its
     * third octet to {@code claim}, which must put an address of it on an interface before it
     * returns: all under a lock shared by the JVMs of this machine, so two never choose the same.
     */
    static <T> T claimSubnet(long pid, IntFunction<T> claim) {
        try (FileChannel channel = FileChannel.open(LOCK_FILE, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = channel.lock();
            try {
                return claimUnused(pid, claim);
            } finally {
                lock.release();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + LOCK_FILE, e);
        }
    }

    private static <T> T claimUnused(long pid, IntFunction<T> claim) {
        Set<Integer> used = new TreeSet<>();
        Matcher matcher = SUBNET_ADDRESS.matcher(RootCommand.checked(null, "ip", "-o", "-4", "addr", "show"));
        while (matcher.find()) {
            used.add(Integer.parseInt(matcher.group(1)));
        }
        int start = (int) (pid % 254);
        for (int i = 0; i < 254; i++) {
            int octet = 1 + (start + i) % 254;
            if (!used.contains(octet)) {
                return claim.apply(octet);
            }
        }
        throw new IllegalStateException("every /24 of 10.231.0.0/16 is on an interface already");
    }
}
