package dev.shoal.controller.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ByteSizesTest {
    @Test
    void binaryUnitsAndPlainBytes() {
        assertThat(ByteSizes.parse("64M")).isEqualTo(64L << 20);
        assertThat(ByteSizes.parse("64m")).isEqualTo(64L << 20);
        assertThat(ByteSizes.parse("64MiB")).isEqualTo(64L << 20);
        assertThat(ByteSizes.parse("512K")).isEqualTo(512L << 10);
        assertThat(ByteSizes.parse(" 2G ")).isEqualTo(2L << 30);
        assertThat(ByteSizes.parse("1T")).isEqualTo(1L << 40);
        assertThat(ByteSizes.parse("1048576")).isEqualTo(1L << 20);
    }

    @Test
    void anythingElseIsRefusedWithAnExample() {
        for (String bad : new String[] {"", "M", "64Q", "-1M", "1.5G", "64 megs"}) {
            assertThatThrownBy(() -> ByteSizes.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not a size (write it like 64M");
        }
        assertThatThrownBy(() -> ByteSizes.parse("9999999999T")).hasMessageContaining("too large");
    }
}
