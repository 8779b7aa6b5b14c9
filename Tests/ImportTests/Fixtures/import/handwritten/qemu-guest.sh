#!/bin/bash
./qemu-guest -k build/app_qemu-arm64 -t arm64v -m 128 -c 2 -e ./guest_fs -a 'app_qemu-arm64 app_qemu-arm64 netdev.ip=10.0.0.2/24:10.0.0.1 vfs.fstab=[ "fs0:/:9pfs:::" ] env.vars=[ "A=hello world" ] -- -v "x y"' -b virbr0
