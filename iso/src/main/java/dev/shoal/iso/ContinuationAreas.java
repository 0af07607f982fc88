package dev.shoal.iso;

import java.util.ArrayList;
import java.util.List;

/**
 * Blocks holding SUSP continuation areas: system use entries that do not fit into their 255-byte directory record
 * (the root's ER entry, long Rock Ridge names). An area never spans two blocks.
 */
final class ContinuationAreas {
    record Position(int block, int offset) {}

    private final List<byte[]> blocks = new ArrayList<>();
    private int used = Bytes.BLOCK;

    Position allocate(byte[] data) {
        if (data.length > Bytes.BLOCK) throw new IllegalArgumentException("continuation area larger than a block");
        if (used + data.length > Bytes.BLOCK) {
            blocks.add(new byte[Bytes.BLOCK]);
            used = 0;
        }
        Position p = new Position(blocks.size() - 1, used);
        System.arraycopy(data, 0, blocks.getLast(), used, data.length);
        used += data.length;
        return p;
    }

    List<byte[]> blocks() {
        return blocks;
    }
}
