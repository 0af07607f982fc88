package dev.shoal.controller.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SignedPathsTest {
    @Test
    void theSignatureSegmentIsMaskedInPathsAndInText() {
        assertThat(SignedPaths.mask("/media/tasks/01a1fe32-d0a5-7162-a6b4-ecd0386277c6/1795279751/gkkimQUPsZF2pfaYi2ebjik4qHUsr3_Msj6vKbgEyEw/task.iso"))
                .isEqualTo("/media/tasks/01a1fe32-d0a5-7162-a6b4-ecd0386277c6/1795279751/******/task.iso");
        assertThat(SignedPaths.mask("/media/tasks/x/1/not-quite-a-signature")).as("malformed ones too")
                .isEqualTo("/media/tasks/x/1/******");
        assertThat(SignedPaths.mask("GET http://c/media/tasks/a/2/secret/task.iso and http://c/media/tasks/b/3/other/task.iso"))
                .isEqualTo("GET http://c/media/tasks/a/2/******/task.iso and http://c/media/tasks/b/3/******/task.iso");
        assertThat(SignedPaths.mask("/static/isos/maintenance.iso")).isEqualTo("/static/isos/maintenance.iso");
        assertThat(SignedPaths.mask("/media/tasks/a")).isEqualTo("/media/tasks/a");
        assertThat(SignedPaths.mask(null)).isEmpty();
    }
}
