"""Drives a simulated BMC with Debian's python3-sushy (the library OpenStack Ironic uses).

Usage: /usr/bin/python3 sushy_flow.py BASE_URL USER PASSWORD ADMIN_URL BMC_NAME IMAGE_URL

After each step it prints one JSON line: {"step": ..., "state": <GET ADMIN/bmcs/NAME/state>, ...},
so the Java test can assert every change against the simulator's own state.
"""
import json
import logging
import sys
import urllib.request

import sushy

base, user, password, admin, name, image = sys.argv[1:7]
logging.basicConfig(level=logging.WARNING)
no_proxy = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def state():
    with no_proxy.open(admin + "/bmcs/" + name + "/state", timeout=10) as r:
        return json.load(r)


def step(label, **extra):
    print(json.dumps({"step": label, "state": state(), **extra}), flush=True)


root = sushy.Sushy(base, username=user, password=password, verify=False)
systems = root.get_system_collection()
ids = sorted(systems.members_identities)
step("list_systems", systems=ids)

system = root.get_system(ids[0])
manager = root.get_manager(sorted(root.get_manager_collection().members_identities)[0])
slots = manager.virtual_media.get_members()
cd = next(vm for vm in slots if sushy.VirtualMediaType.CD in vm.media_types
          or sushy.VirtualMediaType.DVD in vm.media_types)
step("virtual_media", slots=sorted(vm.identity for vm in slots), cd=cd.identity,
     inserted=bool(cd.inserted))

cd.insert_media(image, inserted=True, write_protected=True)
cd.refresh()
step("insert_media", inserted=bool(cd.inserted), image=cd.image)

system.set_system_boot_options(sushy.BootSource.CD,
                               enabled=sushy.BootSourceOverrideEnabled.ONCE,
                               mode=sushy.BootSourceOverrideMode.UEFI)
step("set_boot_options")

system.reset_system(sushy.ResetType.ON)
system.refresh()
step("reset_on", power=str(system.power_state.value))

cd.eject_media()
cd.refresh()
step("eject_media", inserted=bool(cd.inserted))
