package dev.shoal.bmcsim.bmc;

import java.util.List;

/**
 * One virtual-media slot as it really is (not as a stale Redfish answer may report it).
 *
 * @param image                the inserted image's URL, null when empty
 * @param inserted             media is attached
 * @param connectedVia         "URI" while inserted, else "NotConnected"
 * @param transferProtocolType as the insert sent it, null if it sent none
 * @param ejecting             an eject is still running (iDRAC): inserts fail until it ends
 * @param ranges               the byte ranges the BMC read from the image at insert time
 */
public record SlotState(String id, List<String> mediaTypes, String image, boolean inserted, boolean writeProtected,
                        String connectedVia, String transferProtocolType, String transferMethod, String userName,
                        boolean ejecting, List<String> ranges) {
    public SlotState {
        mediaTypes = List.copyOf(mediaTypes);
        ranges = List.copyOf(ranges);
    }

    public boolean cdType() {
        return mediaTypes.contains("CD") || mediaTypes.contains("DVD");
    }
}
