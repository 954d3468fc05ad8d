package dev.modelc.cli;

import dev.modelc.codegen.ClassCache;
import java.nio.file.Path;

/**
 * Where the command line keeps compiled model classes between runs: {@code $XDG_CACHE_HOME/modelc},
 * else {@code ~/.cache/modelc}. The system property {@code modelc.cache} names another folder, or
 * turns the cache off with {@code off}.
 */
final class UserCache {
    private static Path folder;
    private static ClassCache classes = ClassCache.NONE;

    private UserCache() {
    }

    /** The cache of compiled classes, made again only when the settings name another folder. */
    static synchronized ClassCache classes() {
        Path named = folder(System.getProperty("modelc.cache"), System.getenv("XDG_CACHE_HOME"),
                System.getProperty("user.home"));
        if (named == null) {
            return ClassCache.NONE;
        }
        if (!named.equals(folder)) {
            folder = named;
            classes = ClassCache.in(named);
        }
        return classes;
    }

    /** The folder the settings name, or null for none. */
    static Path folder(String property, String xdgCacheHome, String home) {
        if (property != null && !property.isBlank()) {
            return property.equals("off") ? null : Path.of(property);
        }
        // The XDG specification says a relative path is invalid and to be ignored.
        if (xdgCacheHome != null && !xdgCacheHome.isBlank() && Path.of(xdgCacheHome).isAbsolute()) {
            return Path.of(xdgCacheHome, "modelc");
        }
        if (home == null || home.isBlank()) {
            return null;
        }
        return Path.of(home, ".cache", "modelc");
    }
}
