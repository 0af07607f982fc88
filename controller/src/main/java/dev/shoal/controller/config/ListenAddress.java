package dev.shoal.controller.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Where the single HTTP listener binds. An empty host means every interface, as in {@code :8080}. */
public record ListenAddress(String host, int port) {

    public static ListenAddress parse(String text) {
        String t = text.strip();
        int colon = t.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("\"" + text + "\" is not HOST:PORT or :PORT");
        }
        String host = t.substring(0, colon);
        String portText = t.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("\"" + text + "\": write IPv6 addresses in brackets, like [::1]:8080");
        }
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + text + "\": port \"" + portText + "\" is not a number");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("\"" + text + "\": port " + port + " is out of range 0..65535");
        }
        return new ListenAddress(host, port);
    }

    public boolean allInterfaces() {
        return host.isEmpty() || host.equals("0.0.0.0") || host.equals("::");
    }

    public boolean isLoopback() {
        if (allInterfaces()) {
            return false;
        }
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** host:port as a URL authority; {@code localhost} stands in for "every interface". */
    public String authority(int boundPort) {
        String h = allInterfaces() ? "localhost" : host.contains(":") ? "[" + host + "]" : host;
        return h + ":" + boundPort;
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
