package dev.shoal.bmcsim;

import dev.shoal.bmcsim.personality.Personality;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PersonalityParseTest {
    @Test
    void namesAndAliasesParse() {
        assertThat(Personality.parse("dell-idrac10")).isEqualTo(Personality.DELL_IDRAC10);
        assertThat(Personality.parse("iDRAC")).isEqualTo(Personality.DELL);
        assertThat(Personality.parse("ilo5")).isEqualTo(Personality.HPE);
        assertThat(Personality.parse("Generic")).isEqualTo(Personality.GENERIC);
        assertThat(Personality.parse("bmcweb")).isEqualTo(Personality.OPENBMC);
        assertThatThrownBy(() -> Personality.parse("fujitsu")).hasMessageContaining("fujitsu").hasMessageContaining("generic");
    }
}
