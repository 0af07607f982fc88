package dev.shoal.agent.configdrive;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * A disk's partition table as {@code sfdisk --json} reports it, in sectors of {@link #sectorSize()} bytes.
 * {@code firstLba}/{@code lastLba} are the usable range GPT declares; a dos table has none.
 */
public record PartitionTable(Label label, int sectorSize, OptionalLong firstLba, OptionalLong lastLba,
                             List<Partition> partitions) {
    public enum Label { DOS, GPT }

    /** {@code number} comes from the node name's trailing digits (sda1, nvme0n1p1, disk.img2). */
    public record Partition(int number, long start, long size, String type) {
        public long end() {
            return start + size; // exclusive
        }
    }

    public PartitionTable {
        partitions = List.copyOf(partitions);
    }

    /** Parses {@code sfdisk --json} output; an unknown label (sun, sgi...) is refused: only dos and gpt are handled. */
    public static PartitionTable parse(JsonNode root) {
        JsonNode t = root.path("partitiontable");
        String label = t.path("label").asText("");
        Label l = switch (label) {
            case "dos" -> Label.DOS;
            case "gpt" -> Label.GPT;
            default -> throw new IllegalArgumentException("partition table label '" + label + "' is not dos or gpt");
        };
        if (!"sectors".equals(t.path("unit").asText("sectors"))) {
            throw new IllegalArgumentException("sfdisk reported unit " + t.path("unit").asText() + ", not sectors");
        }
        int sectorSize = t.path("sectorsize").asInt(512);
        List<Partition> parts = new ArrayList<>();
        for (JsonNode p : t.path("partitions")) {
            parts.add(new Partition(number(p.path("node").asText("")), p.path("start").asLong(), p.path("size").asLong(),
                    p.path("type").asText("").toLowerCase(Locale.ROOT)));
        }
        return new PartitionTable(l, sectorSize, optional(t.get("firstlba")), optional(t.get("lastlba")), parts);
    }

    /** The end (exclusive, in sectors) of the last partition, or 0 if there is none. */
    public long usedEnd() {
        return partitions.stream().mapToLong(Partition::end).max().orElse(0);
    }

    /** dos has four primary slots; logical partitions (5+) live inside an extended one and do not use a slot. */
    public long primaryCount() {
        return partitions.stream().filter(p -> p.number() >= 1 && p.number() <= 4).count();
    }

    private static OptionalLong optional(JsonNode n) {
        return n == null || !n.canConvertToLong() ? OptionalLong.empty() : OptionalLong.of(n.asLong());
    }

    private static int number(String node) {
        int i = node.length();
        while (i > 0 && Character.isDigit(node.charAt(i - 1))) {
            i--;
        }
        return i == node.length() ? -1 : Integer.parseInt(node.substring(i));
    }
}
