package dev.shoal.controller.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.controller.http.Json;
import dev.shoal.controller.testing.JobBodies;
import dev.shoal.controller.testing.TestController;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Listing jobs: newest first, cursor paging with nothing lost or repeated, state filters, and bad parameters. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JobPagingTest {
    static final int JOBS = 120;
    static final int MAX_PAGES = 20;

    @TempDir
    static Path root;
    static TestController c;
    /** In creation order. */
    static final List<String> created = new ArrayList<>();
    static final Set<String> cancelled = new LinkedHashSet<>();

    @BeforeAll
    static void start() throws Exception {
        c = TestController.local(root);
        for (int i = 0; i < JOBS; i++) {
            HttpResponse<String> r = c.post("/api/v1/jobs", JobBodies.image("10.0.1." + (i % 250)));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            String id = Json.parse(r.body()).path("id").asText();
            created.add(id);
            if (i % 3 == 1) {
                assertThat(c.post("/api/v1/jobs/" + id + "/cancel", "").statusCode()).isEqualTo(200);
                cancelled.add(id);
            }
        }
        assertThat(cancelled).hasSize(JOBS / 3);
    }

    @AfterAll
    static void stop() {
        if (c != null) {
            c.close();
        }
    }

    record Page(List<JsonNode> items, String nextCursor) {
        List<String> ids() {
            return items.stream().map(j -> j.path("id").asText()).toList();
        }
    }

    static Page page(String query) throws Exception {
        HttpResponse<String> r = c.get("/api/v1/jobs" + query);
        assertThat(r.statusCode()).as(query + " " + r.body()).isEqualTo(200);
        JsonNode body = Json.parse(r.body());
        assertThat(body.has("next_cursor")).isTrue();
        List<JsonNode> items = new ArrayList<>();
        body.path("items").forEach(items::add);
        return new Page(items, body.path("next_cursor").isNull() ? null : body.path("next_cursor").asText());
    }

    /** Follows next_cursor from the first page to the last; returns each page. */
    static List<Page> allPages(String params) throws Exception {
        List<Page> pages = new ArrayList<>();
        String cursor = null;
        do {
            assertThat(pages.size()).as("pages followed").isLessThan(MAX_PAGES);
            String q = "?" + params + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            Page p = page(q);
            pages.add(p);
            cursor = p.nextCursor();
        } while (cursor != null);
        return pages;
    }

    static void assertNewestFirstWithoutDuplicates(List<String> ids) {
        for (int i = 1; i < ids.size(); i++) {
            assertThat(ids.get(i)).as("id %d sorts before id %d", i, i - 1).isLessThan(ids.get(i - 1));
        }
        assertThat(new LinkedHashSet<>(ids)).hasSameSizeAs(ids);
    }

    @Test
    @Order(1)
    void idsAreUuidV7InCreationOrder() {
        for (String id : created) {
            UUID u = UUID.fromString(id);
            assertThat(u.version()).as(id).isEqualTo(7);
            assertThat(u.variant()).as(id).isEqualTo(2);
            assertThat(u.toString()).isEqualTo(id);
        }
        for (int i = 1; i < created.size(); i++) {
            assertThat(created.get(i)).isGreaterThan(created.get(i - 1));
        }
    }

    @Test
    @Order(2)
    void pagesOfFiftyCoverEveryJobNewestFirst() throws Exception {
        List<Page> pages = allPages("limit=50");

        assertThat(pages).extracting(p -> p.items().size()).containsExactly(50, 50, 20);
        assertThat(pages.get(0).nextCursor()).isNotBlank();
        assertThat(pages.get(1).nextCursor()).isNotBlank().isNotEqualTo(pages.get(0).nextCursor());
        assertThat(pages.get(2).nextCursor()).isNull();
        List<String> ids = pages.stream().flatMap(p -> p.ids().stream()).toList();
        assertNewestFirstWithoutDuplicates(ids);
        assertThat(ids).containsExactlyElementsOf(created.reversed());
        // cursors are opaque: they do not show the id they continue from
        assertThat(pages.get(0).nextCursor()).doesNotContain(pages.get(0).ids().getLast());
    }

    @Test
    @Order(2)
    void defaultLimitIsFiftyAndOtherLimitsPageEvenly() throws Exception {
        Page first = page("");
        assertThat(first.items()).hasSize(50);
        assertThat(first.nextCursor()).isNotNull();

        assertThat(allPages("limit=500")).singleElement().satisfies(p -> {
            assertThat(p.items()).hasSize(JOBS);
            assertThat(p.nextCursor()).isNull();
        });
        // exactly one page's worth: the last page is full and has no cursor after it
        assertThat(allPages("limit=120")).extracting(p -> p.items().size()).containsExactly(120);
        assertThat(allPages("limit=40")).extracting(p -> p.items().size()).containsExactly(40, 40, 40);
        List<Page> ones = allPages("limit=7");
        assertThat(ones).hasSize(18);
        assertNewestFirstWithoutDuplicates(ones.stream().flatMap(p -> p.ids().stream()).toList());
    }

    @Test
    @Order(2)
    void stateFilters() throws Exception {
        List<Page> onlyCancelled = allPages("state=cancelled&limit=15");
        assertThat(onlyCancelled).extracting(p -> p.items().size()).containsExactly(15, 15, 10);
        List<JsonNode> items = onlyCancelled.stream().flatMap(p -> p.items().stream()).toList();
        assertThat(items).allSatisfy(j -> assertThat(j.path("state").asText()).isEqualTo("cancelled"));
        List<String> cancelledIds = items.stream().map(j -> j.path("id").asText()).toList();
        assertNewestFirstWithoutDuplicates(cancelledIds);
        assertThat(cancelledIds).containsExactlyElementsOf(new ArrayList<>(cancelled).reversed());

        List<JsonNode> queued = page("?state=queued&limit=500").items();
        assertThat(queued).hasSize(JOBS - cancelled.size())
                .allSatisfy(j -> assertThat(j.path("state").asText()).isEqualTo("queued"));

        assertThat(page("?state=queued,cancelled&limit=500").ids()).containsExactlyElementsOf(created.reversed());
        assertThat(page("?state=queued,%20cancelled&limit=500").ids()).hasSize(JOBS);
        assertThat(page("?state=cancelled,cancelled&limit=500").ids()).hasSize(cancelled.size());
        Page none = page("?state=complete,failed,provisioning,succeeded");
        assertThat(none.items()).isEmpty();
        assertThat(none.nextCursor()).isNull();
        // an empty filter is no filter
        assertThat(page("?state=&limit=500").ids()).hasSize(JOBS);
    }

    @ParameterizedTest
    @Order(3)
    @ValueSource(strings = {"limit=0", "limit=501", "limit=x", "limit=-1", "limit=1.5", "limit=", "limit=99999999999",
            "state=done", "state=queued,done", "state=QUEUED", "state=queued,,cancelled",
            "cursor=zzz", "cursor=%21%21%21", "cursor=YWZ0ZXI6", "cursor=Zm9vOmJhcg"})
    void badParametersAre400NamingTheParameter(String query) throws Exception {
        HttpResponse<String> r = c.get("/api/v1/jobs?" + query);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode error = Json.parse(r.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("invalid_request");
        String param = query.substring(0, query.indexOf('='));
        assertThat(error.path("details").findValuesAsText("field")).containsExactly(param);
        assertThat(error.path("message").asText()).startsWith(param + ":");
    }

    @Test
    @Order(3)
    void aCursorForAnotherStateStillWorks() throws Exception {
        // a cursor marks a position in the id order; it can be reused with another filter without error
        Page first = page("?limit=10");
        Page next = page("?state=cancelled&limit=500&cursor=" + first.nextCursor());
        assertThat(next.items()).isNotEmpty()
                .allSatisfy(j -> assertThat(j.path("id").asText()).isLessThan(first.ids().getLast()));
        assertThat(Base64.getUrlDecoder().decode(first.nextCursor())).isNotEmpty();
    }

    @Test
    @Order(10)
    void jobsCreatedWhilePagingDoNotShiftLaterPages() throws Exception {
        Page first = page("?limit=50");
        List<String> added = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> r = c.post("/api/v1/jobs", JobBodies.image("10.0.2." + i));
            assertThat(r.statusCode()).isEqualTo(201);
            added.add(Json.parse(r.body()).path("id").asText());
        }
        List<String> rest = new ArrayList<>();
        String cursor = first.nextCursor();
        for (int n = 0; cursor != null && n < MAX_PAGES; n++) {
            Page p = page("?limit=50&cursor=" + cursor);
            rest.addAll(p.ids());
            cursor = p.nextCursor();
        }
        assertThat(cursor).isNull();

        List<String> all = new ArrayList<>(first.ids());
        all.addAll(rest);
        assertThat(all).containsExactlyElementsOf(created.reversed()).doesNotContainAnyElementsOf(added);
        assertThat(page("?limit=5").ids()).containsExactlyElementsOf(added.reversed());
    }
}
