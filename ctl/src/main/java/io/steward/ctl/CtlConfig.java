package io.steward.ctl;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JacksonException;

/**
 * stewardctl's settings: which deciders to ask (in order), the default scope and how long to wait
 * for an answer. They come from the YAML file ({@code -c}, {@code STEWARDCTL_CONFIG}, else
 * {@code ~/.config/stewardctl/stewardctl.yaml}), and {@code STEWARD_DECIDER} then {@code --decider}
 * replace the file's deciders.
 *
 * <pre>
 * decider: http://decider1:8080        # or a list, tried in order until one answers
 * scope: demo                          # the scope commands use when none is named
 * timeout: 40                          # seconds to wait for an answer (the decider waits up to 30)
 * </pre>
 */
record CtlConfig(List<URI> deciders, String scope, Duration timeout) {

    static final String CONFIG_VARIABLE = "STEWARDCTL_CONFIG";
    static final String DECIDER_VARIABLE = "STEWARD_DECIDER";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(40);
    static final List<URI> DEFAULT_DECIDERS = List.of(URI.create("http://127.0.0.1:8080"));

    private static final Set<String> KEYS = Set.of("decider", "scope", "timeout");

    /**
     * Reads the file and applies the overrides. A file named by {@code -c} or the environment must
     * exist; the default one may be absent.
     */
    static CtlConfig load(Path explicitFile, List<String> deciderFlags, CtlEnvironment environment) {
        Path file = explicitFile;
        if (file == null && environment.variable(CONFIG_VARIABLE) != null) {
            file = Path.of(environment.variable(CONFIG_VARIABLE));
        }
        Map<String, Object> values = Map.of();
        if (file != null) {
            if (!Files.isReadable(file)) {
                throw CtlException.usage("Provided config file " + file + " not existing or no read rights."
                        + " Check the -c/--config-file parameter or " + CONFIG_VARIABLE);
            }
            values = read(file);
        } else {
            Path fallback = environment.home().resolve(".config/stewardctl/stewardctl.yaml");
            if (Files.isReadable(fallback)) {
                file = fallback;
                values = read(fallback);
            }
        }
        String where = file == null ? "" : " in " + file;
        for (String key : values.keySet()) {
            if (!KEYS.contains(key)) {
                throw CtlException.usage("Unknown key '" + key + "'" + where + " (known keys: decider, scope, timeout)");
            }
        }
        List<URI> deciders = urls(values.get("decider"), "decider" + where);
        if (environment.variable(DECIDER_VARIABLE) != null) {
            deciders = urls(List.of(environment.variable(DECIDER_VARIABLE).split(",")), DECIDER_VARIABLE);
        }
        if (deciderFlags != null && !deciderFlags.isEmpty()) {
            deciders = urls(deciderFlags, "--decider");
        }
        return new CtlConfig(deciders.isEmpty() ? DEFAULT_DECIDERS : deciders, scope(values.get("scope"), where),
                timeout(values.get("timeout"), where));
    }

    private static Map<String, Object> read(Path file) {
        try {
            Object parsed = Json.YAML.readValue(Files.readString(file), Object.class);
            if (parsed == null) {
                return Map.of();
            }
            if (!(parsed instanceof Map<?, ?> map)) {
                throw CtlException.usage("The configuration file " + file + " must be a YAML mapping (decider:, scope:)");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> values = (Map<String, Object>) map;
            return values;
        } catch (JacksonException e) {
            throw CtlException.usage("Cannot parse " + file + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw CtlException.usage("Cannot read " + file + ": " + e.getMessage());
        }
    }

    private static List<URI> urls(Object value, String where) {
        List<URI> urls = new ArrayList<>();
        if (value == null) {
            return urls;
        }
        List<?> items = value instanceof List<?> list ? list : List.of(value);
        for (Object item : items) {
            String text = String.valueOf(item).strip();
            if (text.isEmpty()) {
                continue;
            }
            urls.add(url(text, where));
        }
        return urls;
    }

    /** {@code http://host:port}; a bare {@code host:port} means http. */
    static URI url(String text, String where) {
        String withScheme = text.contains("://") ? text : "http://" + text;
        try {
            URI uri = URI.create(withScheme.endsWith("/") ? withScheme.substring(0, withScheme.length() - 1) : withScheme);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw CtlException.usage("Invalid decider URL '" + text + "' (" + where + "): expected http://host:port");
        }
    }

    private static String scope(Object value, String where) {
        if (value == null) {
            return null;
        }
        if (value instanceof Map || value instanceof List) {
            throw CtlException.usage("'scope'" + where + " must be a name, got " + value);
        }
        return String.valueOf(value);
    }

    private static Duration timeout(Object value, String where) {
        if (value == null) {
            return DEFAULT_TIMEOUT;
        }
        try {
            double seconds = Double.parseDouble(String.valueOf(value));
            if (seconds > 0) {
                return Duration.ofMillis((long) (seconds * 1000));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw CtlException.usage("'timeout'" + where + " must be a positive number of seconds, got " + value);
    }
}
