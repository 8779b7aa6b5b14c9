#!/usr/bin/env fish
qemu-system-x86_64 -kernel build/app_qemu-x86_64
