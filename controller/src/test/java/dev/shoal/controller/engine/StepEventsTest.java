package dev.shoal.controller.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StepEventsTest {
    @Test
    void signedTaskIsoUrlsAreMaskedAndOtherUrlsAreNot() {
        String url = "http://c:8080/media/tasks/01a1fdf9-864e-7369-8b63-95ed52a84757/1795279751/gkkimQUPsZF2pfaYi2ebjik4qHUsr3_Msj6vKbgEyEw/task.iso";
        assertThat(StepEvents.masked("inserted " + url + " into virtual media slot 2"))
                .isEqualTo("inserted http://c:8080/media/tasks/01a1fdf9-864e-7369-8b63-95ed52a84757/1795279751/******/task.iso"
                        + " into virtual media slot 2");
        assertThat(StepEvents.masked("inserted http://c:8080/static/isos/maintenance.iso")).endsWith("/static/isos/maintenance.iso");
    }
}
