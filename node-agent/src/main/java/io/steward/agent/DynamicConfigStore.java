package io.steward.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.steward.core.config.ConfigTree;
import io.steward.core.config.DynamicConfig;

/**
 * The dynamic configuration this member last applied, kept on disk (as Patroni keeps
 * patroni.dynamic.json) so a restarted agent starts PostgreSQL with the same settings before the
 * decider hands it the current version. Before any version arrives, {@code bootstrap.dcs} applies.
 * Thread-safe.
 */
final class DynamicConfigStore {

    private static final Logger LOG = LoggerFactory.getLogger(DynamicConfigStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private volatile DynamicConfig current;

    DynamicConfigStore(Path file, ConfigTree bootstrap) {
        this.file = file;
        this.current = load(file).orElseGet(() -> DynamicConfig.parse(0, bootstrap).config());
    }

    DynamicConfig current() {
        return current;
    }

    synchronized void store(DynamicConfig config) {
        current = config;
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("version", config.version());
        document.put("config", config.tree().toMap());
        try {
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temp, JSON.writeValueAsString(document), StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("cannot keep the dynamic configuration in {}: {}", file, e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static java.util.Optional<DynamicConfig> load(Path file) {
        if (!Files.exists(file)) {
            return java.util.Optional.empty();
        }
        try {
            Map<String, Object> document = JSON.readValue(Files.readString(file), Map.class);
            long version = ((Number) document.get("version")).longValue();
            return java.util.Optional.of(DynamicConfig.parse(version, ConfigTree.of((Map<String, ?>) document.get("config")))
                    .config());
        } catch (IOException | RuntimeException e) {
            LOG.warn("ignoring an unreadable {}: {}", file, e.getMessage());
            return java.util.Optional.empty();
        }
    }
}
