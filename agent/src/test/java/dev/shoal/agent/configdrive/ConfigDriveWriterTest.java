package dev.shoal.agent.configdrive;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.agent.StepFailure;
import dev.shoal.agent.task.ConfigDrive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static dev.shoal.agent.configdrive.Disks.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigDriveWriterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long DISK = 64L * MIB;

    @TempDir
    Path dir;

    static ConfigDrive drive(String userData) throws Exception {
        ObjectNode meta = (ObjectNode) JSON.readTree("""
                {"uuid": "6a6d5e2c-1f0b-4a43-9a5e-2b9f2d3c4e5f", "hostname": "node-1", "name": "node-1",
                 "public_keys": {"k": "ssh-ed25519 AAAA test"}}""");
        ObjectNode net = (ObjectNode) JSON.readTree("""
                {"links": [{"id": "eth0", "type": "phy", "ethernet_mac_address": "52:54:00:12:34:56"}],
                 "networks": [{"id": "n0", "link": "eth0", "type": "ipv4_dhcp"}], "services": []}""");
        return new ConfigDrive(meta, Optional.ofNullable(userData), net);
    }

    /** Runs the writer and checks what every success must show: a new last partition, aligned, readable as config-2. */
    private Disks.Dumped writeAndCheck(Path disk, ConfigDrive drive, long usableEnd) throws Exception {
        List<Disks.Dumped> before = Disks.partitions(Disks.dump(disk));
        List<String> beforeData = hashes(disk, before);

        ConfigDrivePartition p = new ConfigDriveWriter(Disks.sfdisk()).write(drive, disk);

        String dump = Disks.dump(disk);
        List<Disks.Dumped> after = Disks.partitions(dump);
        assertThat(Files.size(disk)).isEqualTo(DISK);
        assertThat(after).hasSize(before.size() + 1);
        assertThat(after.subList(0, before.size())).isEqualTo(before); // entries unchanged
        assertThat(hashes(disk, before)).isEqualTo(beforeData); // and their bytes
        Disks.Dumped cd = after.getLast();
        assertThat(cd.start()).isEqualTo(p.placement().start());
        assertThat(cd.start() % 2048).isZero();
        assertThat(cd.size() % 2048).isZero();
        assertThat(cd.start()).isGreaterThanOrEqualTo(before.stream().mapToLong(d -> d.start() + d.size()).max().orElseThrow());
        assertThat(cd.start() + cd.size()).isLessThanOrEqualTo(usableEnd).isGreaterThan(usableEnd - 2048); // at the end
        assertThat(p.number()).isEqualTo(before.size() + 1);

        long offset = cd.start() * 512;
        assertThat(Disks.probe(disk, offset, "LABEL")).isEqualTo("config-2");
        assertThat(Disks.probe(disk, offset, "TYPE")).isEqualTo("iso9660");
        Path iso = Disks.extract(disk, offset, cd.size() * 512, dir.resolve("cd-" + System.nanoTime() + ".iso"));
        assertThat(Disks.run("", Disks.tool("blkid", "util-linux"), "-o", "value", "-s", "LABEL", iso.toString()).strip())
                .isEqualTo("config-2");
        assertThat(Disks.run("", Disks.tool("isoinfo", "genisoimage"), "-d", "-i", iso.toString())).contains("Volume id: config-2");
        for (String version : List.of("latest", "2018-08-27")) {
            assertThat(JSON.readTree(Disks.isoFile(iso, "/openstack/" + version + "/meta_data.json"))).isEqualTo(drive.metaData());
            assertThat(JSON.readTree(Disks.isoFile(iso, "/openstack/" + version + "/network_data.json"))).isEqualTo(drive.networkData());
        }
        String listing = Disks.run("", Disks.tool("isoinfo", "genisoimage"), "-R", "-f", "-i", iso.toString());
        if (drive.userData().isPresent()) {
            for (String version : List.of("latest", "2018-08-27")) {
                assertThat(Disks.isoFile(iso, "/openstack/" + version + "/user_data")).isEqualTo(drive.userData().get());
            }
        } else {
            assertThat(listing).doesNotContain("user_data");
        }
        return cd;
    }

    private static List<String> hashes(Path disk, List<Disks.Dumped> parts) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        for (Disks.Dumped d : parts) {
            out.add(Disks.sha256(disk, d.start() * 512, d.size() * 512));
        }
        return out;
    }

    @Test
    void addsAConfig2PartitionAtTheEndOfAnMbrDisk() throws Exception {
        Path disk = Disks.partitioned(dir.resolve("mbr.img"), DISK, "label: dos\nstart=2048, size=16384, type=L, bootable\n");
        Disks.fill(disk, 2048L * 512, 8L * MIB, 1);

        Disks.Dumped cd = writeAndCheck(disk, drive("#cloud-config\npassword: hunter2\n"), DISK / 512);

        assertThat(cd.type()).isEqualTo("83");
        assertThat(cd.start() + cd.size()).isEqualTo(DISK / 512); // dos has no backup table: up to the last sector
    }

    @Test
    void addsANamedPartitionBeforeTheBackupGpt() throws Exception {
        Path disk = Disks.partitioned(dir.resolve("gpt.img"), DISK, """
                label: gpt
                start=2048, size=2048, type=21686148-6449-6E6F-744E-656564454649
                start=4096, size=16384, type=L
                """);
        Disks.fill(disk, 2048L * 512, 9L * MIB, 2);

        Disks.Dumped cd = writeAndCheck(disk, drive(null), DISK / 512 - 33);

        assertThat(cd.rest()).contains("name=\"config-2\"");
        assertThat(Disks.header(Disks.dump(disk), "last-lba")).isEqualTo(Long.toString(DISK / 512 - 34));
    }

    /** The image's backup GPT sits at 32 MiB, where the image ended: it is moved to the 64 MiB disk's end first. */
    @Test
    void movesAnImagesBackupGptToTheDiskEndFirst() throws Exception {
        Path disk = Disks.partitioned(dir.resolve("small-gpt.img"), 32L * MIB, "label: gpt\nstart=2048, size=40960, type=L\n");
        Disks.fill(disk, 2048L * 512, 20L * MIB, 3);
        String imageBackupHeader = Disks.sha256(disk, 32L * MIB - 512, 512);
        try (var ch = java.nio.channels.FileChannel.open(disk, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.allocate(1), DISK - 1); // the image was written onto a bigger disk
        }
        assertThat(Disks.header(Disks.dump(disk), "last-lba")).isEqualTo(Long.toString(32L * MIB / 512 - 34));

        Disks.Dumped cd = writeAndCheck(disk, drive("#!/bin/sh\necho hi\n"), DISK / 512 - 33);

        assertThat(Disks.header(Disks.dump(disk), "last-lba")).isEqualTo(Long.toString(DISK / 512 - 34));
        assertThat(cd.start()).isGreaterThan(32L * MIB / 512); // in the space the small image's table had hidden
        assertThat(imageBackupHeader).isNotEqualTo(Disks.sha256(dir.resolve("small-gpt.img"), DISK - 512, 512));
    }

    @Test
    void aDiskWithoutAPartitionTableFailsClearlyAndIsLeftAlone() throws Exception {
        Path disk = dir.resolve("bare.img");
        Disks.partitioned(dir.resolve("unused.img"), MIB, "label: dos\n"); // proves sfdisk is there
        Files.write(disk, new byte[0]);
        Disks.fill(disk, 0, 4L * MIB, 4);
        String before = Disks.sha256(disk, 0, 4L * MIB);

        assertThatThrownBy(() -> new ConfigDriveWriter(Disks.sfdisk()).write(drive(null), disk))
                .isInstanceOf(StepFailure.class).hasMessageContaining("has no partition table")
                .extracting(e -> ((StepFailure) e).step()).isEqualTo("config-drive");
        assertThat(Disks.sha256(disk, 0, 4L * MIB)).isEqualTo(before);
    }

    @Test
    void noFreeSpaceAtTheEndFailsClearlyWithoutChangingTheTable() throws Exception {
        Path mbr = Disks.partitioned(dir.resolve("full.img"), DISK, "label: dos\nstart=2048, type=L\n"); // to the end
        Path gpt = Disks.partitioned(dir.resolve("full-gpt.img"), DISK, "label: gpt\nstart=2048, type=L\n");
        for (Path disk : List.of(mbr, gpt)) {
            String before = Disks.dump(disk);
            assertThatThrownBy(() -> new ConfigDriveWriter(Disks.sfdisk()).write(drive(null), disk))
                    .as(disk.toString()).isInstanceOf(StepFailure.class).hasMessageContaining("no free space at the end of the disk");
            assertThat(Disks.partitions(Disks.dump(disk))).isEqualTo(Disks.partitions(before));
        }
    }

    @Test
    void anMbrWithFourPrimaryPartitionsFailsClearly() throws Exception {
        Path disk = Disks.partitioned(dir.resolve("four.img"), DISK, """
                label: dos
                start=2048, size=2048, type=L
                start=4096, size=2048, type=L
                start=6144, size=2048, type=L
                start=8192, size=2048, type=L
                """);
        assertThatThrownBy(() -> new ConfigDriveWriter(Disks.sfdisk()).write(drive(null), disk))
                .isInstanceOf(StepFailure.class).hasMessageContaining("four primary partition slots");
    }

    @Test
    void placementAlignsToMibForOtherSectorSizesAndStaysInsideWhatAnMbrAddresses() throws Exception {
        var part = new PartitionTable.Partition(1, 256, 1024, "83");
        PartitionTable big = new PartitionTable(PartitionTable.Label.DOS, 4096, OptionalLong.empty(), OptionalLong.empty(), List.of(part));
        Placement p = Placement.atEnd(big, 100L * MIB + 4096 * 3, 3 * MIB + 1);
        assertThat(p.size()).isEqualTo(4 * 256); // 4 MiB of 4 KiB sectors
        assertThat(p.start() % 256).isZero();
        assertThat(p.byteOffset() + p.byteSize()).isEqualTo(100L * MIB);

        PartitionTable huge = new PartitionTable(PartitionTable.Label.DOS, 512, OptionalLong.empty(), OptionalLong.empty(), List.of());
        Placement q = Placement.atEnd(huge, 4L << 40, MIB); // a 4 TiB disk with an MBR
        assertThat(q.end()).isEqualTo(1L << 32);

        PartitionTable t = PartitionTable.parse(JSON.readTree("""
                {"partitiontable": {"label": "gpt", "unit": "sectors", "firstlba": 34, "lastlba": 131038, "sectorsize": 512,
                 "partitions": [{"node": "/dev/nvme0n1p1", "start": 2048, "size": 2048, "type": "C12A7328-F81F-11D2-BA4B-00A0C93EC93B"}]}}"""));
        assertThat(t.partitions().getFirst().number()).isEqualTo(1);
        assertThat(Placement.atEnd(t, DISK, 100).start()).isEqualTo(129024 - 2048); // the last whole MiB before the backup GPT
    }
}
