package dev.shoal.controller.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Applies LOG_LEVEL to our own loggers; libraries stay at WARN unless debugging everything. */
public final class Logging {
    private Logging() {
    }

    public static void setLevel(String level) {
        Level l = Level.toLevel(level, Level.INFO);
        ((Logger) LoggerFactory.getLogger("dev.shoal")).setLevel(l);
        ((Logger) LoggerFactory.getLogger("shoal")).setLevel(l);
        if (l.toInt() <= Level.DEBUG.toInt()) {
            ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(l);
        }
    }
}
