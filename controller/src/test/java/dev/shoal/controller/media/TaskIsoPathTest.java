package dev.shoal.controller.media;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-written shape checks accept exactly what the spelled-out grammar does. */
class TaskIsoPathTest {
    static final Pattern JOB_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    static final Pattern EXPIRES = Pattern.compile("0|[1-9][0-9]{0,11}");
    static final Pattern SIGNATURE = Pattern.compile("[A-Za-z0-9_-]{43}");

    @Test
    void examples() {
        assertThat(TaskIsoPath.isJobId("01a1fe32-d0a5-7162-a6b4-ecd0386277c6")).isTrue();
        assertThat(TaskIsoPath.isJobId("01A1FE32-d0a5-7162-a6b4-ecd0386277c6")).isFalse();
        assertThat(TaskIsoPath.isJobId("01a1fe32-d0a5-7162-a6b4-ecd0386277c")).isFalse();
        assertThat(TaskIsoPath.isJobId("01a1fe32d-0a5-7162-a6b4-ecd0386277c6")).isFalse();
        assertThat(TaskIsoPath.isJobId("../../../../../../../../../../etc/pw")).isFalse();
        assertThat(List.of("0", "1", "1795283505", "999999999999")).allMatch(TaskIsoPath::isExpires);
        assertThat(List.of("", "01", "-1", "+1", "1e9", "9999999999999", " 1")).noneMatch(TaskIsoPath::isExpires);
        assertThat(TaskIsoPath.isSignature("gkkimQUPsZF2pfaYi2ebjik4qHUsr3_Msj6vKbgEyEw")).isTrue();
        assertThat(TaskIsoPath.isSignature("gkkimQUPsZF2pfaYi2ebjik4qHUsr3_Msj6vKbgEyE=")).isFalse();
        assertThat(TaskIsoPath.isSignature("gkkimQUPsZF2pfaYi2ebjik4qHUsr3_Msj6vKbgEy")).isFalse();
    }

    @Test
    void agreesWithTheGrammarOnRandomStrings() {
        Random r = new Random(42);
        String alphabet = "0123456789abcdefABCXYZxyz_-+./= ";
        for (int n = 0; n < 200_000; n++) {
            int len = r.nextInt(4) == 0 ? 36 + r.nextInt(8) - 4 : r.nextInt(14);
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < len; i++) {
                b.append(i == 8 || i == 13 || i == 18 || i == 23 ? (r.nextInt(5) == 0 ? 'x' : '-')
                        : alphabet.charAt(r.nextInt(r.nextBoolean() ? 16 : alphabet.length())));
            }
            String s = b.toString();
            assertThat(TaskIsoPath.isJobId(s)).as(s).isEqualTo(JOB_ID.matcher(s).matches());
            assertThat(TaskIsoPath.isExpires(s)).as(s).isEqualTo(EXPIRES.matcher(s).matches());
            String sig = s.length() >= 43 ? s.substring(0, 43) : (s + "a".repeat(43)).substring(0, 43);
            assertThat(TaskIsoPath.isSignature(sig)).as(sig).isEqualTo(SIGNATURE.matcher(sig).matches());
        }
    }
}
