package dev.shoal.controller.agent;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;

/**
 * Sends {@code /api/v1/jobs/{id}/agent/...} to the agent router and everything else to the wrapped handler
 * (the Basic-auth wrapped operator API). The agent has no operator password; it proves itself with its
 * per-job token and signature instead. A path mapping cannot express this: {@code /api/v1/jobs/*} would
 * also catch the operator's job routes. Only the agent router's own routes are reachable this way, so
 * nothing of the operator API can be reached without Basic auth through an {@code /agent/} path.
 */
public final class AgentPathHandler extends Handler.Wrapper {
    private final Handler agent;

    public AgentPathHandler(Handler agent, Handler others) {
        super(others);
        this.agent = agent;
        addBean(agent);
    }

    @Override
    public void setServer(Server server) {
        super.setServer(server);
        agent.setServer(server);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        // the same decoded path the Router matches, so the two cannot disagree about what is an agent path
        if (isAgentPath(request.getHttpURI().getDecodedPath())) {
            return agent.handle(request, response, callback);
        }
        return super.handle(request, response, callback);
    }

    /** {@code /api/v1/jobs/{non-empty id}/agent/} followed by anything. */
    static boolean isAgentPath(String path) {
        if (path == null || !path.startsWith("/api/v1/jobs/")) {
            return false;
        }
        String[] s = path.split("/", -1); // "", api, v1, jobs, id, agent, ...
        return s.length >= 7 && !s[4].isEmpty() && s[5].equals("agent");
    }
}
