"""The same boot + finish sequence with python3-sushy (OpenStack Ironic's Redfish client), timed.
usage: sushy_sequence.py BASE_URL USER PASSWORD MAINT_ISO TASK_ISO  -> prints seconds on the last line"""
import sys, time
import sushy
from sushy import exceptions

base, user, password, maint, task = sys.argv[1:6]

def wait_power(system, wanted, timeout=60):
    end = time.time() + timeout
    while time.time() < end:
        system.refresh()
        if system.power_state == wanted:
            return
        time.sleep(0.1)
    raise RuntimeError("power state %s not reached" % wanted)

t0 = time.time()
root = sushy.Sushy(base, username=user, password=password, verify=False)
system = root.get_system(root.get_system_collection().members_identities[0])
manager = root.get_manager(root.get_manager_collection().members_identities[0])
slots = [manager.virtual_media.get_member(i) for i in manager.virtual_media.members_identities]
cds = [s for s in slots if any(t in ("cd", "dvd") for t in [str(m).lower() for m in s.media_types])]
others = [s for s in slots if s not in cds]
use = (cds + others)[:2]
if system.power_state != sushy.POWER_STATE_OFF:
    system.reset_system(sushy.RESET_FORCE_OFF)
    wait_power(system, sushy.POWER_STATE_OFF)
for s in use:
    try:
        s.eject_media()
    except exceptions.SushyError:
        pass
use[0].insert_media(maint, inserted=True, write_protected=True)
use[1].insert_media(task, inserted=True, write_protected=True)
system.set_system_boot_options(sushy.BOOT_SOURCE_TARGET_CD, enabled=sushy.BOOT_SOURCE_ENABLED_ONCE,
                               mode=sushy.BOOT_SOURCE_MODE_UEFI)
system.reset_system(sushy.RESET_ON)
wait_power(system, sushy.POWER_STATE_ON)
system.reset_system(sushy.RESET_FORCE_OFF)
wait_power(system, sushy.POWER_STATE_OFF)
for s in use:
    s.refresh()
    s.eject_media()
system.set_system_boot_options(sushy.BOOT_SOURCE_TARGET_HDD, enabled=sushy.BOOT_SOURCE_ENABLED_CONTINUOUS,
                               mode=sushy.BOOT_SOURCE_MODE_UEFI)
system.reset_system(sushy.RESET_ON)
wait_power(system, sushy.POWER_STATE_ON)
print("%.4f" % (time.time() - t0))
