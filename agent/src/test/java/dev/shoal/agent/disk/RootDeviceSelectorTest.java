package dev.shoal.agent.disk;

import dev.shoal.agent.StepFailure;
import dev.shoal.agent.task.RootDeviceHints;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Root device selection against a fake sysfs tree built in a temporary directory ({@link FakeSysfs}): a stand-in
 * for the disks, NVMe namespaces, USB sticks and CD drives of a real server, which cannot exist on a build machine.
 * Layout and file names follow the kernel's ({@code /sys/block/<name>/size}, {@code queue/rotational},
 * {@code device/model}, ...).
 */
class RootDeviceSelectorTest {
    @TempDir
    Path root;
    FakeSysfs fs;

    @BeforeEach
    void machine() throws Exception {
        fs = new FakeSysfs(root);
        fs.disk("sda").gib(1000).rotational(true).model("ST1000NM0055-1V4").vendor("ATA     ").serial("ZA1AAAAA")
                .wwid("naa.5000c500a1b2c3d4");
        fs.disk("sdb").gib(480).rotational(false).model("SAMSUNG MZ7LH480").vendor("ATA").serial("S45NNA0M123456");
        fs.disk("nvme0n1").gib(960).rotational(false).model("INTEL SSDPE2KX010T8").put("serial", "PHLJ9123456")
                .put("wwid", "eui.0025388b71b2c3d4");
        fs.disk("sdc").gib(2).rotational(false).model("Small").serial("TINY");
        fs.disk("loop0").gib(100);
        fs.disk("sr0").gib(0.1);
        fs.disk("zram0").gib(8);
        fs.disk("ram0").gib(8);
        fs.disk("dm-0").gib(50);
    }

    private static RootDeviceHints hints() {
        return RootDeviceHints.NONE;
    }

    private static RootDeviceHints with(String field, Object value) {
        RootDeviceHints h = RootDeviceHints.NONE;
        return switch (field) {
            case "name" -> new RootDeviceHints(Optional.of((String) value), h.serial(), h.wwn(), h.model(), h.vendor(), h.sizeMinGib(), h.sizeMaxGib(), h.rotational(), h.prefer());
            case "serial" -> new RootDeviceHints(h.name(), Optional.of((String) value), h.wwn(), h.model(), h.vendor(), h.sizeMinGib(), h.sizeMaxGib(), h.rotational(), h.prefer());
            case "wwn" -> new RootDeviceHints(h.name(), h.serial(), Optional.of((String) value), h.model(), h.vendor(), h.sizeMinGib(), h.sizeMaxGib(), h.rotational(), h.prefer());
            case "model" -> new RootDeviceHints(h.name(), h.serial(), h.wwn(), Optional.of((String) value), h.vendor(), h.sizeMinGib(), h.sizeMaxGib(), h.rotational(), h.prefer());
            case "vendor" -> new RootDeviceHints(h.name(), h.serial(), h.wwn(), h.model(), Optional.of((String) value), h.sizeMinGib(), h.sizeMaxGib(), h.rotational(), h.prefer());
            case "min" -> new RootDeviceHints(h.name(), h.serial(), h.wwn(), h.model(), h.vendor(), Optional.of((Double) value), h.sizeMaxGib(), h.rotational(), h.prefer());
            case "max" -> new RootDeviceHints(h.name(), h.serial(), h.wwn(), h.model(), h.vendor(), h.sizeMinGib(), Optional.of((Double) value), h.rotational(), h.prefer());
            case "rotational" -> new RootDeviceHints(h.name(), h.serial(), h.wwn(), h.model(), h.vendor(), h.sizeMinGib(), h.sizeMaxGib(), Optional.of((Boolean) value), h.prefer());
            case "prefer" -> new RootDeviceHints(h.name(), h.serial(), h.wwn(), h.model(), h.vendor(), h.sizeMinGib(), h.sizeMaxGib(), h.rotational(), Optional.of((String) value));
            default -> throw new IllegalArgumentException(field);
        };
    }

    private String select(RootDeviceHints h) throws StepFailure {
        return new RootDeviceSelector(fs.devices()).select(h, Set.of()).device().name();
    }

    @Test
    void withoutHintsTheSmallestDiskOfAtLeast4GibWins() throws Exception {
        RootDeviceSelector.Selection s = new RootDeviceSelector(fs.devices()).select(hints(), Set.of());

        assertThat(s.device().name()).isEqualTo("sdb"); // sdc is 2 GiB; loop0, zram0, ram0, sr0 never count; dm-0 only as a last resort
        assertThat(s.device().devPath()).isEqualTo(fs.dev.resolve("sdb"));
        assertThat(s.explanation()).contains("selected " + fs.dev.resolve("sdb")).contains("smallest of 3 matching")
                .contains("sdc (2.0 GiB").contains("smaller than 4 GiB")
                .doesNotContain("loop0").doesNotContain("sr0").doesNotContain("zram0");
    }

    @Test
    void preferLargest() throws Exception {
        assertThat(select(with("prefer", "largest"))).isEqualTo("sda");
    }

    @Test
    void eachHintNarrowsTheChoice() throws Exception {
        assertThat(select(with("serial", "  s45nna0m123456 "))).isEqualTo("sdb");
        assertThat(select(with("serial", "PHLJ9123456"))).isEqualTo("nvme0n1"); // NVMe: serial in the block directory
        assertThat(select(with("wwn", "0x5000c500a1b2c3d4"))).isEqualTo("sda"); // udev style against sysfs naa.
        assertThat(select(with("wwn", "eui.0025388b71b2c3d4"))).isEqualTo("nvme0n1");
        assertThat(select(with("model", "intel ssdpe2kx010t8"))).isEqualTo("nvme0n1");
        assertThat(select(with("vendor", "ata"))).isEqualTo("sdb"); // padded "ATA     " trimmed; smallest of sda, sdb
        assertThat(select(with("min", 500.0))).isEqualTo("nvme0n1");
        assertThat(select(with("max", 500.0))).isEqualTo("sdc"); // a size hint lifts the 4 GiB floor
        assertThat(select(with("rotational", true))).isEqualTo("sda");
        assertThat(select(with("name", "/dev/nvme0n1"))).isEqualTo("nvme0n1");
    }

    @Test
    void modelIsExactNotASubstring() {
        assertThatThrownBy(() -> select(with("model", "INTEL")))
                .isInstanceOf(StepFailure.class)
                .hasMessageContaining("model INTEL SSDPE2KX010T8 is not INTEL");
    }

    @Test
    void nameResolvesByIdAndByPathLinks() throws Exception {
        Files.writeString(fs.dev.resolve("sda"), "");
        Files.writeString(fs.dev.resolve("nvme0n1"), "");
        Path byId = Files.createDirectories(fs.dev.resolve("disk/by-id"));
        Files.createSymbolicLink(byId.resolve("wwn-0x5000c500a1b2c3d4"), Path.of("../../sda"));
        Path byPath = Files.createDirectories(fs.dev.resolve("disk/by-path"));
        Files.createSymbolicLink(byPath.resolve("pci-0000:01:00.0-nvme-1"), Path.of("../../nvme0n1"));

        assertThat(select(with("name", "/dev/disk/by-id/wwn-0x5000c500a1b2c3d4"))).isEqualTo("sda");
        assertThat(select(with("name", "/dev/disk/by-path/pci-0000:01:00.0-nvme-1"))).isEqualTo("nvme0n1");
    }

    @Test
    void noMatchListsEveryCandidateAndWhy() {
        RootDeviceHints h = new RootDeviceHints(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of(2000.0), Optional.empty(), Optional.of(false), Optional.empty());

        assertThatThrownBy(() -> new RootDeviceSelector(fs.devices()).select(h, Set.of()))
                .isInstanceOf(StepFailure.class)
                .satisfies(e -> assertThat(((StepFailure) e).step()).isEqualTo(TargetDisk.STEP))
                .hasMessageContaining("no disk matches root device hints {size_min_gib=2000, rotational=false}")
                .hasMessageContaining(fs.dev.resolve("sda") + " (1000.0 GiB, rotational")
                .hasMessageContaining("1000.0 GiB is under size_min_gib 2000")
                .hasMessageContaining(fs.dev.resolve("nvme0n1") + " (960.0 GiB")
                .hasMessageContaining(fs.dev.resolve("dm-0") + " (50.0 GiB): 50.0 GiB is under size_min_gib 2000");
    }

    @Test
    void deviceMapperOnlyWhenNoPlainDiskMatches() throws Exception {
        assertThat(select(with("max", 100.0))).isEqualTo("sdc");
        RootDeviceHints h = new RootDeviceHints(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of(10.0), Optional.of(60.0), Optional.empty(), Optional.empty());
        assertThat(select(h)).isEqualTo("dm-0");
    }

    @Test
    void bootMediaTaskMediaRemovableAndReadOnlyDisksAreNotChosen() throws Exception {
        fs.disk("sdd").gib(16).rotational(false).removable().partition("sdd1");
        fs.mount("/dev/sdb2", "/run/initramfs/live");
        fs.disk("sdb").partition("sdb2");
        fs.disk("sde").gib(8).put("ro", "1");
        fs.disk("sdf").gib(6);

        RootDeviceSelector.Selection s = new RootDeviceSelector(fs.devices()).select(hints(), Set.of(Path.of("/dev/sdf")));

        assertThat(s.device().name()).isEqualTo("nvme0n1");
        assertThat(s.explanation())
                .contains("sdb (480.0 GiB, non-rotational, vendor ATA, model SAMSUNG MZ7LH480, serial S45NNA0M123456): in use: /dev/sdb2 mounted at /run/initramfs/live")
                .contains("sdd (16.0 GiB, non-rotational, removable): removable")
                .contains("sde (8.0 GiB): read-only")
                .contains("sdf (6.0 GiB): holds the task media");
        // A removable disk is allowed when the hints pin it down.
        fs.disk("sdd").serial("USB123");
        assertThat(select(with("serial", "USB123"))).isEqualTo("sdd");
    }

    @Test
    void noBlockDevicesAtAll() throws Exception {
        FakeSysfs empty = new FakeSysfs(Files.createDirectories(root.resolve("empty")));
        assertThatThrownBy(() -> new RootDeviceSelector(empty.devices()).select(hints(), Set.of()))
                .hasMessageContaining("no block devices found to choose from (no root device hints)");
    }
}
