package dev.shoal.bmcsim.machine;

/**
 * The device a boot actually used. CD only when a Cd/UsbCd override was active and a CD-type slot had
 * media; anything else falls through to the local disk, as a firmware boot order would.
 */
public enum BootSource {
    CD, HDD
}
