package dev.shoal.registry.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.registry.name.RepositoryName;
import dev.shoal.registry.storage.BlobStore;
import org.eclipse.jetty.http.HttpHeader;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** {@code GET /v2/{name}/tags/list?n=&last=}: tags in lexical order, paged with a {@code Link: rel="next"}. */
final class TagsApi {
    private final BlobStore store;

    TagsApi(BlobStore store) {
        this.store = store;
    }

    void list(Exchange ex, RepositoryName name) throws IOException, RegistryError {
        List<String> all = store.tags(name).orElseThrow(
                () -> new RegistryError(ErrorCode.NAME_UNKNOWN, "repository " + name + " is not known"));
        String last = ex.query("last");
        List<String> after = last == null ? all : all.stream().filter(t -> t.compareTo(last) > 0).toList();
        int n = limit(ex.query("n"), after.size());
        List<String> page = after.subList(0, Math.min(n, after.size()));
        if (page.size() < after.size() && !page.isEmpty()) {
            ex.header(HttpHeader.LINK.asString(), "<" + Locations.tags(name) + "?n=" + n + "&last="
                    + URLEncoder.encode(page.getLast(), StandardCharsets.UTF_8) + ">; rel=\"next\"");
        }
        ObjectNode body = ex.newObject();
        body.put("name", name.value());
        ArrayNode tags = body.putArray("tags");
        page.forEach(tags::add);
        ex.json(200, body);
    }

    private static int limit(String n, int all) throws RegistryError {
        if (n == null || n.isEmpty()) {
            return all;
        }
        try {
            int v = Integer.parseInt(n);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new RegistryError(ErrorCode.PAGINATION_NUMBER_INVALID, "n must be a non-negative integer, got '"
                    + (n.length() > 20 ? n.substring(0, 20) + "..." : n) + "'");
        }
    }
}
